import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CreateRegistrationTokenBody, WorkspaceCredentials } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { consume } from '../../http/limits.js';
import { newId, newSecret, sameHash, sha256 } from '../../ids.js';
import type { RegistrationTokenDoc, WorkspaceDoc } from './registry.model.js';
import type { RegistryStore } from './registry.store.js';

const DEFAULT_TOKEN_TTL_MINUTES = 24 * 60;
/** Compared against when the workspace is unknown, so every failure costs the same. */
const DUMMY_HASH = sha256('obmeet-cloud-no-such-workspace');

export type RegistryEvent = 'redeemed' | 'refreshed' | 'revoked' | 'unregistered';

export interface RegistryHooks {
  /** called after a workspace registration is deleted (its usage and statistics links go too) */
  onRemoved: Array<(workspaceId: string) => Promise<void>>;
  onEvent?: (event: RegistryEvent) => void;
}

export class RegistryService {
  private readonly redeemLimiter: RateLimiterAbstract;

  constructor(
    private readonly store: RegistryStore,
    private readonly clock: Clock,
    private readonly hooks: RegistryHooks,
    limits: { redeemPerIpPerMinute: number },
  ) {
    this.redeemLimiter = new RateLimiterMemory({ points: limits.redeemPerIpPerMinute, duration: 60 });
  }

  // ---- vendor console -------------------------------------------------------------------

  /** A single-use registration token for the signed-in account; returned once, stored hashed. */
  async createToken(accountId: string, body: CreateRegistrationTokenBody): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const token = newSecret('ort');
    const expiresAt = new Date(now.getTime() + (body.ttlMinutes ?? DEFAULT_TOKEN_TTL_MINUTES) * 60_000);
    const doc: RegistrationTokenDoc = { _id: sha256(token), accountId, createdAt: now, expiresAt, ...(body.label ? { label: body.label } : {}) };
    await this.store.insertToken(doc);
    return { token, expiresAt };
  }

  listWorkspaces(accountId: string): Promise<WorkspaceDoc[]> {
    return this.store.workspacesOfAccount(accountId);
  }

  /** The account's own workspace, or 404 (also for another account's: no existence oracle). */
  async requireOwned(accountId: string, workspaceId: string): Promise<WorkspaceDoc> {
    const ws = await this.store.workspaceById(workspaceId);
    if (!ws || ws.accountId !== accountId) throw Errors.notFound('Workspace');
    return ws;
  }

  async isActive(workspaceId: string): Promise<boolean> {
    return (await this.store.workspaceById(workspaceId))?.status === 'active';
  }

  // ---- workspace side ---------------------------------------------------------------------

  /** Redeems a registration token: a new workspace id and client secret (returned once). */
  async redeem(token: string, ip: string): Promise<WorkspaceCredentials> {
    await consume(this.redeemLimiter, ip);
    const hash = sha256(token);
    const now = this.clock.now();
    const workspaceId = newId();
    const used = await this.store.useToken(hash, now, workspaceId);
    if (!used) {
      const existing = await this.store.tokenByHash(hash);
      if (!existing) throw Errors.invalidRegistrationToken('Unknown registration token');
      if (existing.usedAt) throw Errors.invalidRegistrationToken('This registration token has already been used');
      throw Errors.invalidRegistrationToken('This registration token has expired');
    }
    const clientSecret = newSecret('ocs');
    await this.store.insertWorkspace({
      _id: workspaceId,
      accountId: used.accountId,
      ...(used.label ? { label: used.label } : {}),
      status: 'active',
      secretHash: sha256(clientSecret),
      registeredAt: now,
      secretRotatedAt: now,
    });
    this.hooks.onEvent?.('redeemed');
    return { workspaceId, clientSecret };
  }

  /** The active workspace these credentials belong to, or null (unknown, wrong secret, revoked). */
  async authenticate(workspaceId: string, clientSecret: string): Promise<WorkspaceDoc | null> {
    const ws = await this.store.workspaceById(workspaceId);
    const ok = sameHash(ws?.secretHash ?? DUMMY_HASH, sha256(clientSecret));
    return ws && ws.status === 'active' && ws.secretHash && ok ? ws : null;
  }

  /** A new client secret; the old one stops working at once. */
  async refresh(ws: WorkspaceDoc): Promise<WorkspaceCredentials> {
    const clientSecret = newSecret('ocs');
    const updated = await this.store.rotateSecret(ws._id, ws.secretHash ?? '', sha256(clientSecret), this.clock.now());
    if (!updated) throw Errors.invalidWorkspaceCredentials();
    this.hooks.onEvent?.('refreshed');
    return { workspaceId: ws._id, clientSecret };
  }

  /** The credentials stop working; the registration stays listed (as revoked) in the console. */
  async revoke(ws: WorkspaceDoc): Promise<void> {
    await this.store.revokeWorkspace(ws._id, this.clock.now());
    this.hooks.onEvent?.('revoked');
  }

  /** Deletes the registration and its credentials (the workspace unregisters, or the console removes it). */
  async unregister(workspaceId: string): Promise<void> {
    await this.store.deleteWorkspace(workspaceId);
    for (const hook of this.hooks.onRemoved) await hook(workspaceId);
    this.hooks.onEvent?.('unregistered');
  }

  async deleteExpired(): Promise<number> {
    return (await this.store.deleteExpiredTokens(this.clock.now())).deletedCount;
  }
}
