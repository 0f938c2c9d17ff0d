import type { Router } from 'express';
import { CreateRegistrationTokenBody, RedeemRegistrationBody, WorkspaceId, type RegistrationTokenResult } from '@obmeet/contracts';
import { z } from 'zod';
import { requireAccount, requireWorkspace } from '../../http/auth.js';
import { parse, route } from '../../http/handler.js';
import { presentWorkspace } from './registry.present.js';

const WorkspaceParams = z.object({ workspaceId: WorkspaceId }).strict();

export function registryRoutes(r: Router): void {
  // ---- vendor console (Bearer console token) ----
  r.post('/console/registration-tokens', requireAccount, route(async (req, res) => {
    const body = parse(CreateRegistrationTokenBody, req.body);
    const { token, expiresAt } = await req.cloud.registry.createToken(req.account!._id, body);
    res.status(201);
    const out: RegistrationTokenResult = { token, expiresAt: expiresAt.toISOString() };
    return out;
  }));

  r.get('/console/workspaces', requireAccount, route(async (req) => {
    const list = await req.cloud.registry.listWorkspaces(req.account!._id);
    return { workspaces: list.map(presentWorkspace) };
  }));

  r.delete('/console/workspaces/:workspaceId', requireAccount, route(async (req) => {
    const { workspaceId } = parse(WorkspaceParams, req.params);
    await req.cloud.registry.requireOwned(req.account!._id, workspaceId);
    await req.cloud.registry.unregister(workspaceId);
    return {};
  }));

  // ---- workspace (registration token, then HTTP Basic workspaceId:clientSecret) ----
  r.post('/registry/redeem', route(async (req, res) => {
    const { token } = parse(RedeemRegistrationBody, req.body);
    const credentials = await req.cloud.registry.redeem(token, req.ip ?? 'unknown');
    res.status(201);
    return credentials;
  }));

  r.get('/registry/self', requireWorkspace, route(async (req) => ({ workspace: presentWorkspace(req.ws!) })));

  r.post('/registry/refresh', requireWorkspace, route(async (req) => req.cloud.registry.refresh(req.ws!)));

  r.post('/registry/revoke', requireWorkspace, route(async (req) => {
    await req.cloud.registry.revoke(req.ws!);
    return {};
  }));

  r.delete('/registry', requireWorkspace, route(async (req) => {
    await req.cloud.registry.unregister(req.ws!._id);
    return {};
  }));
}
