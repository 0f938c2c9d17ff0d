import {
  StatisticsDocument,
  STATISTICS_SCHEMA_VERSION,
  type DailyPoint,
  type StatisticsInfoDto,
  type StatisticsPreviewDto,
  type StatisticsSharingDto,
} from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { CloudLinkService, EgressClient } from '../cloudlink/index.js';
import type { SettingsService } from '../settings/index.js';
import { DAY_MS, dayOf, type DailyStatsDoc, type RollupDoc } from './statistics.model.js';
import type { StatisticsStore } from './statistics.store.js';

export interface StatisticsOptions {
  version: string;
  deploymentMode: 'self-managed' | 'hosted';
  logger?: Logger;
}

type Local = StatisticsInfoDto['local'];

const OS_FAMILY: Record<string, StatisticsDocument['platform']['os']['family']> = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd' };
const ARCH: Record<string, StatisticsDocument['platform']['os']['arch']> = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32' };
const CONTENT_MODE = { full: 'full-text', sender: 'sender-only', id: 'id-only' } as const;
/** the statistics job checks hourly; a document is sent when the last one is a day old */
export const STATISTICS_SEND_EVERY_MS = DAY_MS;
const SERIES_DAYS = 30;

function uptimeBucket(days: number): StatisticsDocument['platform']['uptimeDays'] {
  if (days < 1) return '0';
  if (days < 7) return '1-6';
  if (days < 30) return '7-29';
  if (days < 90) return '30-89';
  return '90+';
}

/**
 * The one builder of the workspace's figures: the admin's info page and the statistics document
 * come from the same `build()`, so they cannot differ. The document holds counts, versions and
 * booleans only and is validated against the collector's strict schema before anyone sees it.
 */
export class StatisticsService {
  private readonly startedAt: Date;

  constructor(
    private readonly store: StatisticsStore,
    private readonly settings: SettingsService,
    private readonly cloud: CloudLinkService,
    private readonly egress: EgressClient,
    private readonly clock: Clock,
    private readonly o: StatisticsOptions,
  ) {
    this.startedAt = clock.now();
  }

  async build(): Promise<{ document: StatisticsDocument; local: Local }> {
    const now = this.clock.now();
    const rollup = (await this.store.rollup()) ?? (await this.rollup());
    const [installId, registered, users, sessions, rooms, integrations, uploads, db, contentMode, location, sharing] = await Promise.all([
      this.store.installId(now),
      this.cloud.isRegistered(),
      this.store.users(),
      this.store.sessionsUsedSince(new Date(now.getTime() - 30 * DAY_MS)),
      this.store.rooms(),
      this.store.integrations(),
      this.store.uploads(),
      this.store.databaseBuildInfo(),
      this.settings.get('push.contentMode'),
      this.settings.get('location.sharingEnabled'),
      this.settings.get('statistics.sharing'),
    ]);

    const activeSince = (days: number) => new Set(sessions.filter((s) => s.lastUsedAt.getTime() >= now.getTime() - days * DAY_MS).map((s) => s.userId)).size;
    const byStatus: Record<string, number> = {};
    const byRole: Record<string, number> = {};
    for (const u of users) {
      byStatus[u.status] = (byStatus[u.status] ?? 0) + 1;
      for (const r of u.roles) byRole[r] = (byRole[r] ?? 0) + 1;
    }
    const byType = { c: 0, p: 0, d: 0 };
    for (const r of rooms) byType[r.t] += 1;
    const uptimeSeconds = Math.max(0, Math.floor((now.getTime() - this.startedAt.getTime()) / 1000));
    const [major, minor] = process.versions.node.split('.');

    const document = StatisticsDocument.parse({
      identity: { installId, schemaVersion: STATISTICS_SCHEMA_VERSION, obmeetVersion: this.o.version, deploymentMode: this.o.deploymentMode, registered },
      platform: {
        nodeVersion: `${major}.${minor}`,
        database: { kind: db.ferretdb ? 'ferretdb' : 'mongodb', version: db.version },
        os: { family: OS_FAMILY[process.platform] ?? 'other', arch: ARCH[process.arch] ?? 'other' },
        // each process builds its own document; processes sharing a database are not counted
        serverProcesses: 1,
        uptimeDays: uptimeBucket(uptimeSeconds / 86_400),
      },
      users: {
        total: users.length,
        active: users.filter((u) => u.active).length,
        deactivated: users.filter((u) => !u.active).length,
        guests: users.filter((u) => u.roles.includes('guest')).length,
        bots: users.filter((u) => u.type === 'bot').length,
        activeLast1d: activeSince(1),
        activeLast7d: activeSince(7),
        activeLast30d: activeSince(30),
        // OBMeet has no two-factor sign-in yet
        twoFactorEnabled: 0,
      },
      rooms: {
        channels: byType.c,
        privateGroups: byType.p,
        directMessages: byType.d,
        archived: rooms.filter((r) => r.archived).length,
        readOnly: rooms.filter((r) => r.ro).length,
        // no end-to-end encrypted rooms exist yet
        encrypted: 0,
      },
      messages: { ...rollup.messages, encrypted: 0 },
      files: uploads,
      // meetings, apps, retention and external sign-in do not exist yet: honest zeros/false
      meetings: { count: 0, totalMinutes: 0, recordings: 0, bookings: 0 },
      apps: { installed: 0, enabled: 0, failed: 0 },
      integrations: { incomingWebhooks: integrations.incoming, outgoingWebhooks: integrations.outgoing },
      features: {
        pushGateway: registered,
        pushContentMode: CONTENT_MODE[contentMode],
        locationSharing: location,
        retentionPolicy: false,
        statisticsSharing: sharing,
        externalSignInProviders: 0,
      },
    });

    const local: Local = {
      serverVersion: this.o.version,
      nodeVersion: process.versions.node,
      database: { kind: db.ferretdb ? 'ferretdb' : 'mongodb', version: db.version },
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds,
      users: { byStatus, byRole },
      rooms: { byType },
      uploads,
      appsNote: 'The apps engine is not part of this version yet: installed apps are always 0.',
      series: await this.series(now),
      rollupAt: rollup.at.toISOString(),
    };
    return { document, local };
  }

  private async series(now: Date): Promise<Local['series']> {
    const first = new Date(now.getTime() - (SERIES_DAYS - 1) * DAY_MS);
    const byDay = new Map((await this.store.dailySince(dayOf(first))).map((d) => [d._id, d]));
    const messagesPerDay: DailyPoint[] = [];
    const activeUsersPerDay: DailyPoint[] = [];
    for (let i = 0; i < SERIES_DAYS; i++) {
      const day = dayOf(new Date(first.getTime() + i * DAY_MS));
      const d = byDay.get(day);
      messagesPerDay.push({ day, value: d?.messages ?? 0 });
      activeUsersPerDay.push({ day, value: d?.activeUsers ?? 0 });
    }
    return { messagesPerDay, activeUsersPerDay };
  }

  /**
   * The daily rollup (scheduler): reads every message once for the message figures and the
   * messages-per-day series, and records today's active users. Returns the new rollup.
   */
  async rollup(): Promise<RollupDoc> {
    const now = this.clock.now();
    const t = now.getTime();
    const first = dayOf(new Date(t - (SERIES_DAYS - 1) * DAY_MS));
    const perDay = new Map<string, number>();
    const m = { total: 0, last1d: 0, last7d: 0, last30d: 0, threads: 0, reactions: 0, pinned: 0 };
    await this.store.forEachMessage((msg) => {
      if (msg.deleted) return;
      m.total++;
      const age = t - msg.ts.getTime();
      if (age <= DAY_MS) m.last1d++;
      if (age <= 7 * DAY_MS) m.last7d++;
      if (age <= 30 * DAY_MS) m.last30d++;
      if (msg.tcount) m.threads++;
      if (msg.pinned) m.pinned++;
      for (const r of Object.values(msg.reactions ?? {})) m.reactions += r.usernames.length;
      const day = dayOf(msg.ts);
      if (day >= first) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    });
    const today = dayOf(now);
    const activeToday = new Set((await this.store.sessionsUsedSince(new Date(t - DAY_MS))).map((s) => s.userId)).size;
    const days: DailyStatsDoc[] = [];
    for (let i = 0; i < SERIES_DAYS; i++) {
      const day = dayOf(new Date(t - i * DAY_MS));
      days.push({ _id: day, messages: perDay.get(day) ?? 0, ...(day === today ? { activeUsers: activeToday } : {}), updatedAt: now });
    }
    const doc: RollupDoc = { _id: 'rollup', at: now, messages: m };
    await this.store.saveRollup(doc, days);
    return doc;
  }

  async preview(): Promise<StatisticsPreviewDto> {
    const { document } = await this.build();
    const json = JSON.stringify(document);
    return { document, json, bytes: Buffer.byteLength(json) };
  }

  async info(): Promise<StatisticsInfoDto> {
    return await this.build();
  }

  async sharing(nextRunAt?: Date): Promise<StatisticsSharingDto> {
    const [enabled, registered, state] = await Promise.all([this.settings.get('statistics.sharing'), this.cloud.isRegistered(), this.store.sharingState()]);
    return {
      enabled,
      mode: registered ? 'registered' : 'anonymous',
      ...(state?.lastSentAt ? { lastSentAt: state.lastSentAt.toISOString() } : {}),
      ...(state?.lastResult ? { lastResult: { ...state.lastResult, at: state.lastResult.at.toISOString() } } : {}),
      ...(enabled && nextRunAt ? { nextRunAt: nextRunAt.toISOString() } : {}),
    };
  }

  async setSharing(enabled: boolean, actorId: string): Promise<void> {
    await this.settings.set('statistics.sharing', enabled, actorId);
  }

  /**
   * The scheduled send: nothing at all unless sharing is on; at most one document a day;
   * registered → with the workspace credentials, unregistered → anonymously. Always through the
   * egress client (which logs it first).
   */
  async sendIfDue(): Promise<boolean> {
    if (!(await this.settings.get('statistics.sharing'))) return false;
    const now = this.clock.now();
    const state = await this.store.sharingState();
    if (state?.lastSentAt && now.getTime() - state.lastSentAt.getTime() < STATISTICS_SEND_EVERY_MS) return false;
    const { document } = await this.build();
    try {
      const res = await this.egress.request<{ receipt?: unknown }>({
        purpose: 'statistics',
        method: 'POST',
        path: '/api/v1/statistics',
        body: document,
        auth: document.identity.registered ? 'workspace' : 'none',
      });
      void res;
      await this.store.recordSend({ lastSentAt: now, lastResult: { at: now, ok: true, status: 201 } });
      return true;
    } catch (err) {
      const e = err instanceof AppError ? err : undefined;
      const details = e?.details as { status?: number; errorType?: string } | undefined;
      await this.store.recordSend({
        lastResult: {
          at: now,
          ok: false,
          ...(details?.status ? { status: details.status } : {}),
          errorType: details?.errorType ?? e?.errorType ?? 'error-internal',
          message: (err instanceof Error ? err.message : String(err)).slice(0, 500),
        },
      });
      this.o.logger?.warn({ err }, 'statistics not sent');
      return false;
    }
  }
}
