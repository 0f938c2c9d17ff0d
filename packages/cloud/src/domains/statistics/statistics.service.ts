import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CloudErrorCodes, type StatisticsDocument, type StatisticsReceipt } from '@obmeet/contracts';
import { dayOf, type Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { consume } from '../../http/limits.js';
import type { Metrics } from '../../http/metrics.js';

import type { StatisticsStore } from './statistics.store.js';

export interface StatisticsLimits {
  perInstallPerHour: number;
  anonymousPerIpPerHour: number;
}

/**
 * The statistics collector. Accepts documents from registered workspaces (with their
 * credentials) and anonymously (no credentials) from workspaces whose admin opted in without
 * registering; both are keyed by the document's random install id.
 */
export class StatisticsService {
  private readonly installLimiter: RateLimiterAbstract;
  private readonly anonIpLimiter: RateLimiterAbstract;

  constructor(
    private readonly store: StatisticsStore,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    /** whether a workspace registration is still active (from the registry) */
    private readonly isActiveWorkspace: (workspaceId: string) => Promise<boolean>,
    limits: StatisticsLimits,
  ) {
    this.installLimiter = new RateLimiterMemory({ points: limits.perInstallPerHour, duration: 3600 });
    this.anonIpLimiter = new RateLimiterMemory({ points: limits.anonymousPerIpPerHour, duration: 3600 });
  }

  async receive(doc: StatisticsDocument, from: { workspaceId?: string; ip: string }): Promise<StatisticsReceipt> {
    const installId = doc.identity.installId;
    const source = from.workspaceId ? 'registered' : 'anonymous';
    if (doc.identity.registered !== !!from.workspaceId) {
      throw Errors.invalid(
        from.workspaceId
          ? 'identity.registered must be true when sent with workspace credentials'
          : 'identity.registered must be false when sent without workspace credentials',
      );
    }
    const install = await this.store.installById(installId);
    if (install?.workspaceId && install.workspaceId !== from.workspaceId && (await this.isActiveWorkspace(install.workspaceId))) {
      throw Errors.of(
        CloudErrorCodes.installIdRegistered,
        'This install id belongs to another registered workspace; send with its credentials',
        409,
      );
    }
    if (!from.workspaceId) await consume(this.anonIpLimiter, from.ip);
    await consume(this.installLimiter, installId);
    const now = this.clock.now();
    const day = dayOf(now);
    await this.store.touchInstall(installId, now, from.workspaceId);
    await this.store.putDocument({
      _id: `${installId}:${day}`,
      installId,
      day,
      receivedAt: now,
      source,
      ...(from.workspaceId ? { workspaceId: from.workspaceId } : {}),
      document: doc,
    });
    this.metrics.statistics.inc({ source });
    return { installId, receivedAt: now.toISOString(), source };
  }

  /** After unregistering: the install id is no longer tied to the workspace (documents stay, aggregate only). */
  async unbindWorkspace(workspaceId: string): Promise<void> {
    await this.store.unbindWorkspace(workspaceId);
  }
}
