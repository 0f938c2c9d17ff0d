import argon2 from 'argon2';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCodes, type CloudLoginBody, type CloudSignupBody } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { isDuplicateKey } from '../../db/connection.js';
import { Errors } from '../../errors.js';
import { consume } from '../../http/limits.js';
import { newId, newSecret, sha256 } from '../../ids.js';
import type { AccountDoc } from './accounts.model.js';
import type { AccountsStore } from './accounts.store.js';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Verified against when the account is unknown, so both failures take the same time. */
const DUMMY_HASH = argon2.hash('obmeet-cloud-dummy-password', ARGON2_OPTIONS);

export interface AccountLimits {
  loginPerIpPerMinute: number;
  failuresPerAccount: number;
  signupPerIpPerHour: number;
  sessionTtlHours: number;
}

export class AccountsService {
  private readonly loginIpLimiter: RateLimiterAbstract;
  private readonly failureLimiter: RateLimiterAbstract;
  private readonly signupIpLimiter: RateLimiterAbstract;

  constructor(
    private readonly store: AccountsStore,
    private readonly clock: Clock,
    private readonly limits: AccountLimits,
  ) {
    this.loginIpLimiter = new RateLimiterMemory({ points: limits.loginPerIpPerMinute, duration: 60 });
    this.failureLimiter = new RateLimiterMemory({ points: limits.failuresPerAccount, duration: 15 * 60 });
    this.signupIpLimiter = new RateLimiterMemory({ points: limits.signupPerIpPerHour, duration: 3600 });
  }

  async signup(body: CloudSignupBody, ip: string): Promise<AccountDoc> {
    await consume(this.signupIpLimiter, ip);
    if (await this.store.accountByEmail(body.email)) throw Errors.conflict(ErrorCodes.emailTaken, 'Email already in use');
    const doc: AccountDoc = {
      _id: newId(),
      email: body.email,
      emailKey: body.email.toLowerCase(),
      ...(body.name ? { name: body.name } : {}),
      passwordHash: await argon2.hash(body.password, ARGON2_OPTIONS),
      createdAt: this.clock.now(),
    };
    try {
      await this.store.insertAccount(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw Errors.conflict(ErrorCodes.emailTaken, 'Email already in use');
      throw err;
    }
    return doc;
  }

  /** Checks credentials with rate limits; the same error for an unknown email and a wrong password. */
  async login(body: CloudLoginBody, ip: string): Promise<{ token: string; expiresAt: Date; account: AccountDoc }> {
    const key = body.email.toLowerCase();
    await consume(this.loginIpLimiter, ip);
    const failures = await this.failureLimiter.get(key);
    if (failures && failures.consumedPoints >= this.limits.failuresPerAccount) {
      throw Errors.rateLimited(Math.max(1, Math.ceil(failures.msBeforeNext / 1000)));
    }
    const account = await this.store.accountByEmail(body.email);
    const ok = await argon2.verify(account?.passwordHash ?? (await DUMMY_HASH), body.password).catch(() => false);
    if (!account || !ok) {
      await this.failureLimiter.penalty(key, 1);
      throw Errors.invalidCredentials();
    }
    await this.failureLimiter.delete(key);
    const now = this.clock.now();
    const token = newSecret('ocv');
    const expiresAt = new Date(now.getTime() + this.limits.sessionTtlHours * 3_600_000);
    await this.store.insertSession({ _id: sha256(token), accountId: account._id, createdAt: now, expiresAt });
    await this.store.setLastLogin(account._id, now);
    return { token, expiresAt, account };
  }

  /** Resolves a console bearer token; null when unknown or expired. */
  async authenticate(token: string): Promise<{ account: AccountDoc; sessionId: string } | null> {
    const session = await this.store.sessionByHash(sha256(token));
    if (!session) return null;
    if (session.expiresAt <= this.clock.now()) {
      await this.store.deleteSession(session._id);
      return null;
    }
    const account = await this.store.accountById(session.accountId);
    return account ? { account, sessionId: session._id } : null;
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.deleteSession(sessionId);
  }

  /** Scheduled cleanup (FerretDB has no TTL indexes). */
  async deleteExpired(): Promise<number> {
    return (await this.store.deleteExpiredSessions(this.clock.now())).deletedCount;
  }
}
