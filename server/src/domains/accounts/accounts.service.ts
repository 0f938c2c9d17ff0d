import argon2 from 'argon2';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCodes, type RegisterBody, type RoleName, type UpdateProfileBody } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { isDuplicateKey } from '../../db/connection.js';
import { AppError, Errors } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { newId, newSecret, sha256 } from '../../ids.js';
import type { SettingsService } from '../settings/index.js';
import type { PresenceStatus, SessionDoc, UserDoc } from './accounts.model.js';
import { requirePermission, type Actor } from './accounts.policy.js';
import type { AccountsStore } from './accounts.store.js';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Verified against when the user is unknown, so both failures take the same time. */
const DUMMY_HASH_PROMISE = argon2.hash('obmeet-dummy-password', ARGON2_OPTIONS);
const INVALID_LOGIN = 'Incorrect username or password';

export interface LoginLimits {
  perIpPerMinute: number;
  failuresPerUser: number;
  sessionTtlDays: number;
}

export interface AuthResult {
  user: UserDoc;
  session: SessionDoc;
}

export class AccountsService {
  private readonly ipLimiter: RateLimiterAbstract;
  private readonly userFailureLimiter: RateLimiterAbstract;

  constructor(
    private readonly store: AccountsStore,
    private readonly settings: SettingsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly limits: LoginLimits,
  ) {
    this.ipLimiter = new RateLimiterMemory({ points: limits.perIpPerMinute, duration: 60 });
    this.userFailureLimiter = new RateLimiterMemory({ points: limits.failuresPerUser, duration: 15 * 60 });
  }

  // ---- registration -------------------------------------------------------------------

  async register(body: RegisterBody): Promise<UserDoc> {
    const isFirst = (await this.store.countUsers()) === 0;
    if (!isFirst) {
      const mode = await this.settings.get('accounts.registration');
      if (mode === 'closed') throw Errors.of(ErrorCodes.registrationClosed, 'Registration is closed', 403);
      if (mode === 'invite') {
        if (!body.inviteToken) throw Errors.of(ErrorCodes.invalidInvite, 'An invite is required to register', 403);
        const invite = await this.store.consumeInvite(sha256(body.inviteToken));
        if (!invite) throw Errors.of(ErrorCodes.invalidInvite, 'The invite is invalid or used up', 403);
      }
    }
    // The first user becomes admin; a unique username index settles concurrent first sign-ups
    // only per name, so the count is re-checked after the insert.
    const user = await this.insertUser({
      username: body.username,
      email: body.email,
      name: body.name,
      password: body.pass,
      roles: isFirst ? ['admin'] : ['user'],
      type: 'user',
    });
    if (isFirst && (await this.store.countUsers()) > 1) {
      const [first] = await this.store.users.find({}).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
      if (first && first._id !== user._id) {
        await this.store.updateUser(user._id, { roles: ['user'] });
        user.roles = ['user'];
      }
    }
    return user;
  }

  async createUserAsAdmin(
    actor: Actor,
    input: { username: string; email: string; password: string; name: string; roles?: RoleName[]; type?: 'user' | 'bot' },
  ): Promise<UserDoc> {
    requirePermission(actor, 'create-user');
    if (input.roles && input.roles.length) requirePermission(actor, 'assign-roles');
    const type = input.type ?? 'user';
    const roles = input.roles ?? [type === 'bot' ? 'bot' : 'user'];
    return this.insertUser({ ...input, roles, type });
  }

  private async insertUser(input: {
    username: string;
    email: string;
    name: string;
    password: string;
    roles: RoleName[];
    type: 'user' | 'bot';
  }): Promise<UserDoc> {
    await this.assertUnique(input.username, input.email);
    const now = this.clock.now();
    const doc: UserDoc = {
      _id: newId(),
      username: input.username,
      usernameKey: input.username.toLowerCase(),
      name: input.name,
      email: input.email,
      emailKey: input.email.toLowerCase(),
      emailVerified: false,
      roles: input.roles,
      type: input.type,
      active: true,
      passwordHash: await argon2.hash(input.password, ARGON2_OPTIONS),
      status: 'offline',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.insertUser(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw Errors.conflict(ErrorCodes.usernameTaken, 'Username or email already in use');
      throw err;
    }
    return doc;
  }

  private async assertUnique(username: string, email: string, exceptId?: string): Promise<void> {
    const byName = await this.store.userByUsername(username);
    if (byName && byName._id !== exceptId) throw Errors.conflict(ErrorCodes.usernameTaken, 'Username already in use');
    const byEmail = await this.store.users.findOne({ emailKey: email.toLowerCase() });
    if (byEmail && byEmail._id !== exceptId) throw Errors.conflict(ErrorCodes.emailTaken, 'Email already in use');
  }

  async createInvite(actor: Actor, maxUses: number): Promise<string> {
    requirePermission(actor, 'create-invite-links');
    const token = newSecret();
    await this.store.insertInvite({ _id: sha256(token), createdBy: actor.userId, remaining: maxUses, createdAt: this.clock.now() });
    return token;
  }

  // ---- login, sessions, tokens ------------------------------------------------------------

  /** Checks credentials with rate limits; the same error for an unknown user and a wrong password. */
  async verifyCredentials(login: string, password: string, ip: string): Promise<UserDoc> {
    const userKey = login.toLowerCase();
    await this.consume(this.ipLimiter, ip);
    const failures = await this.userFailureLimiter.get(userKey);
    if (failures && failures.consumedPoints >= this.limits.failuresPerUser) {
      throw Errors.rateLimited(Math.ceil(failures.msBeforeNext / 1000));
    }
    const user = await this.store.userByUsernameOrEmail(login);
    const hash = user?.passwordHash ?? (await DUMMY_HASH_PROMISE);
    const ok = await argon2.verify(hash, password).catch(() => false);
    if (!user || !user.passwordHash || !ok) {
      await this.userFailureLimiter.penalty(userKey, 1);
      throw Errors.of(ErrorCodes.invalidCredentials, INVALID_LOGIN, 401);
    }
    if (!user.active) throw Errors.of(ErrorCodes.userDeactivated, 'This account is deactivated', 403);
    await this.userFailureLimiter.delete(userKey);
    return user;
  }

  private async consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (res) {
      const ms = (res as { msBeforeNext?: number }).msBeforeNext ?? 60_000;
      throw Errors.rateLimited(Math.ceil(ms / 1000));
    }
  }

  /** Creates a login session; returns the token once (only its hash is stored). */
  async createLoginSession(user: UserDoc): Promise<{ token: string; session: SessionDoc }> {
    const now = this.clock.now();
    const token = newSecret();
    const session: SessionDoc = {
      _id: sha256(token),
      userId: user._id,
      kind: 'login',
      lastTokenPart: token.slice(-6),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.limits.sessionTtlDays * 86_400_000),
    };
    await this.store.insertSession(session);
    await this.store.updateUser(user._id, { lastLoginAt: now });
    return { token, session };
  }

  /** Resolves a token (cookie, X-Auth-Token or personal access token) to its user and session. */
  async authenticateToken(token: string, claimedUserId?: string): Promise<AuthResult | null> {
    if (!token || token.length > 200) return null;
    const session = await this.store.sessionByHash(sha256(token));
    if (!session) return null;
    if (claimedUserId && session.userId !== claimedUserId) return null;
    const now = this.clock.now();
    if (session.expiresAt && session.expiresAt <= now) {
      await this.store.deleteSession(session._id);
      return null;
    }
    const user = await this.store.userById(session.userId);
    if (!user || !user.active) return null;
    if (now.getTime() - session.lastUsedAt.getTime() > 60_000) await this.store.touchSession(session._id, now);
    return { user, session };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.deleteSession(sessionId);
    this.events.emit('session.revoked', { sessionId });
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.requireUser(actor.userId);
    const ok = user.passwordHash ? await argon2.verify(user.passwordHash, currentPassword).catch(() => false) : false;
    if (!ok) throw Errors.of(ErrorCodes.invalidCredentials, 'The current password is wrong', 400);
    await this.store.updateUser(user._id, { passwordHash: await argon2.hash(newPassword, ARGON2_OPTIONS), updatedAt: this.clock.now() });
    // other login sessions end; the one that changed the password stays
    for (const s of await this.store.sessionsOfUser(user._id)) {
      if (s.kind === 'login' && s._id !== actor.sessionId) await this.logout(s._id);
    }
  }

  async createPersonalAccessToken(actor: Actor, name: string): Promise<string> {
    requirePermission(actor, 'create-personal-access-tokens');
    if (await this.store.patByName(actor.userId, name)) {
      throw Errors.conflict(ErrorCodes.conflict, 'A token with this name already exists');
    }
    const token = newSecret();
    const now = this.clock.now();
    await this.store.insertSession({
      _id: sha256(token),
      userId: actor.userId,
      kind: 'pat',
      name,
      lastTokenPart: token.slice(-6),
      createdAt: now,
      lastUsedAt: now,
    });
    return token;
  }

  async listPersonalAccessTokens(actor: Actor) {
    const pats = await this.store.patsOfUser(actor.userId);
    return pats.map((p) => ({ name: p.name ?? '', createdAt: p.createdAt.toISOString(), lastTokenPart: p.lastTokenPart }));
  }

  async removePersonalAccessToken(actor: Actor, name: string): Promise<void> {
    const pat = await this.store.patByName(actor.userId, name);
    if (!pat) throw Errors.notFound('Token');
    await this.logout(pat._id);
  }

  // ---- profile and administration -------------------------------------------------------

  async requireUser(id: string): Promise<UserDoc> {
    const user = await this.store.userById(id);
    if (!user) throw Errors.notFound('User');
    return user;
  }

  async findByUsername(username: string): Promise<UserDoc | null> {
    return this.store.userByUsername(username);
  }

  async usersByUsernames(usernames: string[]): Promise<UserDoc[]> {
    return usernames.length ? this.store.usersByUsernames(usernames) : [];
  }

  async usersByIds(ids: string[]): Promise<UserDoc[]> {
    return this.store.usersByIds(ids);
  }

  async updateProfile(actor: Actor, patch: UpdateProfileBody): Promise<UserDoc> {
    const user = await this.requireUser(actor.userId);
    const username = patch.username ?? user.username;
    const email = patch.email ?? user.email;
    if (patch.username || patch.email) await this.assertUnique(username, email, user._id);
    const set: Partial<UserDoc> = { updatedAt: this.clock.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.username !== undefined) Object.assign(set, { username, usernameKey: username.toLowerCase() });
    if (patch.email !== undefined) Object.assign(set, { email, emailKey: email.toLowerCase(), emailVerified: false });
    if (patch.avatarUrl !== undefined) set.avatarUrl = patch.avatarUrl || undefined;
    try {
      const updated = await this.store.updateUser(user._id, set);
      this.events.emit('user.changed', { userId: user._id });
      return updated!;
    } catch (err) {
      if (isDuplicateKey(err)) throw Errors.conflict(ErrorCodes.usernameTaken, 'Username or email already in use');
      throw err;
    }
  }

  async setActive(actor: Actor, userId: string, active: boolean): Promise<UserDoc> {
    requirePermission(actor, 'edit-other-user-active-status');
    if (userId === actor.userId && !active) throw Errors.invalid('You cannot deactivate yourself');
    await this.requireUser(userId);
    const updated = await this.store.updateUser(userId, { active, updatedAt: this.clock.now() });
    if (!active) {
      for (const s of await this.store.sessionsOfUser(userId)) await this.logout(s._id);
      this.events.emit('user.deactivated', { userId });
    }
    return updated!;
  }

  async setRoles(actor: Actor, userId: string, roles: RoleName[]): Promise<UserDoc> {
    requirePermission(actor, 'assign-roles');
    await this.requireUser(userId);
    if (userId === actor.userId && !roles.includes('admin')) throw Errors.invalid('You cannot remove your own admin role');
    const updated = await this.store.updateUser(userId, { roles: [...new Set(roles)], updatedAt: this.clock.now() });
    return updated!;
  }

  async listUsers(actor: Actor, query: string | undefined, offset: number, count: number) {
    requirePermission(actor, 'view-user-list');
    const [users, total] = await this.store.listUsers(query, offset, count);
    return { users, total };
  }

  async setStatus(userId: string, status: PresenceStatus): Promise<UserDoc | null> {
    return this.store.updateUser(userId, { status });
  }

  async isSetupDone(): Promise<boolean> {
    return (await this.store.countUsers()) > 0;
  }
}

export { AppError };
