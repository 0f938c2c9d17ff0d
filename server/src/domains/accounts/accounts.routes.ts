import type { Router } from 'express';
import type passport from 'passport';
import {
  AdminCreateUserBody,
  ChangePasswordBody,
  CreateInviteBody,
  CreatePatBody,
  LoginBody,
  Paging,
  RegisterBody,
  RemovePatBody,
  SetActiveBody,
  SetRolesBody,
  UpdateProfileBody,
  UserInfoQuery,
} from '@obmeet/contracts';
import { z } from 'zod';
import { Errors } from '../../errors.js';
import { requireAuth, SESSION_COOKIE, verifyLocal } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { can } from './accounts.policy.js';
import { presentUser } from './accounts.present.js';

export interface AccountsRouteOptions {
  passport: passport.PassportStatic;
  secureCookies: boolean;
  sessionTtlDays: number;
  version: string;
}

const UsersListQuery = Paging.extend({ query: z.string().max(100).optional() });

export function accountsRoutes(r: Router, o: AccountsRouteOptions): void {
  r.get('/info', route(async (req) => ({
    info: { version: o.version },
    setupDone: await req.workspace.accounts.isSetupDone(),
    registration: await req.workspace.settings.get('accounts.registration'),
  })));

  r.post('/users.register', route(async (req) => {
    const body = parse(RegisterBody, req.body);
    const user = await req.workspace.accounts.register(body);
    return { user: presentUser(user, { withEmail: true }) };
  }));

  r.post('/login', route(async (req, res) => {
    const body = parse(LoginBody, req.body);
    const user = await verifyLocal(o.passport, req, res);
    const { token } = await req.workspace.accounts.createLoginSession(user);
    if (body.cookie) {
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: o.secureCookies,
        path: '/',
        maxAge: o.sessionTtlDays * 86_400_000,
      });
    }
    return { status: 'success', data: { userId: user._id, authToken: token, me: presentUser(user, { withEmail: true }) } };
  }));

  r.post('/logout', requireAuth, route(async (req, res) => {
    await req.workspace.accounts.logout(req.auth!.session._id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return { status: 'success', data: { message: "You've been logged out!" } };
  }));

  r.get('/me', requireAuth, route(async (req) => presentUser(req.auth!.user, { withEmail: true })));

  r.get('/users.info', requireAuth, route(async (req) => {
    const q = parse(UserInfoQuery, req.query);
    const user = 'userId' in q ? await req.workspace.accounts.requireUser(q.userId) : await req.workspace.accounts.findByUsername(q.username);
    if (!user) throw Errors.notFound('User');
    const a = actor(req);
    return { user: presentUser(user, { withEmail: user._id === a.userId || can(a, 'view-user-administration') }) };
  }));

  r.get('/users.list', requireAuth, route(async (req) => {
    const q = parse(UsersListQuery, req.query);
    const a = actor(req);
    const { users, total } = await req.workspace.accounts.listUsers(a, q.query, q.offset, q.count);
    const withEmail = can(a, 'view-user-administration');
    return { users: users.map((u) => presentUser(u, { withEmail })), count: users.length, offset: q.offset, total };
  }));

  r.post('/users.create', requireAuth, route(async (req) => {
    const body = parse(AdminCreateUserBody, req.body);
    const user = await req.workspace.accounts.createUserAsAdmin(actor(req), body);
    return { user: presentUser(user, { withEmail: true }) };
  }));

  r.post('/users.setActiveStatus', requireAuth, route(async (req) => {
    const body = parse(SetActiveBody, req.body);
    const user = await req.workspace.accounts.setActive(actor(req), body.userId, body.activeStatus);
    return { user: presentUser(user, { withEmail: true }) };
  }));

  r.post('/users.setRoles', requireAuth, route(async (req) => {
    const body = parse(SetRolesBody, req.body);
    const user = await req.workspace.accounts.setRoles(actor(req), body.userId, body.roles);
    return { user: presentUser(user, { withEmail: true }) };
  }));

  r.post('/users.updateOwnBasicInfo', requireAuth, route(async (req) => {
    const body = parse(UpdateProfileBody, (req.body as { data?: unknown })?.data ?? req.body);
    const user = await req.workspace.accounts.updateProfile(actor(req), body);
    return { user: presentUser(user, { withEmail: true }) };
  }));

  r.post('/users.changePassword', requireAuth, route(async (req) => {
    const body = parse(ChangePasswordBody, req.body);
    await req.workspace.accounts.changePassword(actor(req), body.currentPassword, body.newPassword);
  }));

  r.post('/users.generatePersonalAccessToken', requireAuth, route(async (req) => {
    const body = parse(CreatePatBody, req.body);
    return { token: await req.workspace.accounts.createPersonalAccessToken(actor(req), body.tokenName) };
  }));

  r.get('/users.getPersonalAccessTokens', requireAuth, route(async (req) => ({
    tokens: await req.workspace.accounts.listPersonalAccessTokens(actor(req)),
  })));

  r.post('/users.removePersonalAccessToken', requireAuth, route(async (req) => {
    const body = parse(RemovePatBody, req.body);
    await req.workspace.accounts.removePersonalAccessToken(actor(req), body.tokenName);
  }));

  r.post('/invites.create', requireAuth, route(async (req) => {
    const body = parse(CreateInviteBody, req.body);
    return { token: await req.workspace.accounts.createInvite(actor(req), body.maxUses) };
  }));
}
