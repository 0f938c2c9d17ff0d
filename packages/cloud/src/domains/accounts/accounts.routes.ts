import type { Router } from 'express';
import { CloudLoginBody, CloudSignupBody, type CloudLoginResult } from '@obmeet/contracts';
import { requireAccount } from '../../http/auth.js';
import { parse, route } from '../../http/handler.js';
import { presentAccount } from './accounts.present.js';

export function accountsRoutes(r: Router): void {
  r.post('/accounts/signup', route(async (req, res) => {
    const body = parse(CloudSignupBody, req.body);
    const account = await req.cloud.accounts.signup(body, req.ip ?? 'unknown');
    res.status(201);
    return { account: presentAccount(account) };
  }));

  r.post('/accounts/login', route(async (req) => {
    const body = parse(CloudLoginBody, req.body);
    const { token, expiresAt, account } = await req.cloud.accounts.login(body, req.ip ?? 'unknown');
    const out: CloudLoginResult = { token, expiresAt: expiresAt.toISOString(), account: presentAccount(account) };
    return out;
  }));

  r.post('/accounts/logout', requireAccount, route(async (req) => {
    await req.cloud.accounts.logout(req.consoleSessionId!);
    return {};
  }));

  r.get('/accounts/me', requireAccount, route(async (req) => ({ account: presentAccount(req.account!) })));
}
