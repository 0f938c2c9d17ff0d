import { z } from 'zod';
import { RegistrationToken, type StatisticsDocument } from './cloud.js';

/**
 * The workspace side of the vendor cloud link (admin REST under /api/v1): registration, the
 * outbound data log, statistics sharing and the workspace info page. Every body is `.strict()`.
 */

// ---- registration ---------------------------------------------------------------------------

/** `POST cloud.register` */
export const CloudRegisterBody = z.object({ token: RegistrationToken }).strict();
export type CloudRegisterBody = z.infer<typeof CloudRegisterBody>;

/** `POST cloud.unregister`: `forgetLocally` deletes the local credentials without calling the cloud (for a cloud that cannot be reached). */
export const CloudUnregisterBody = z.object({ forgetLocally: z.boolean().default(false) }).strict();
export type CloudUnregisterBody = z.infer<typeof CloudUnregisterBody>;

/** `GET cloud.registration?verify=true` asks the cloud (GET /registry/self) whether the credentials still work. */
export const CloudRegistrationQuery = z.object({ verify: z.enum(['true', 'false', '1', '0']).optional() }).strict();

export type RegistrationState = 'unregistered' | 'registered' | 'revoked';

export interface CloudRegistrationDto {
  state: RegistrationState;
  /** where the egress client sends (config CLOUD_URL) */
  cloudUrl: string;
  workspaceId?: string;
  registeredAt?: string;
  secretRotatedAt?: string;
  /** the last time the cloud was asked (`verify`), and what it said */
  lastCheck?: { at: string; result: 'active' | 'revoked' | 'unreachable' | 'error'; message?: string };
}

// ---- outbound data log ----------------------------------------------------------------------

export const EgressPurposes = ['registration', 'push', 'statistics', 'marketplace'] as const;
export type EgressPurposeName = (typeof EgressPurposes)[number];
export const OutboundOutcomes = ['pending', 'ok', 'error', 'refused'] as const;
export type OutboundOutcome = (typeof OutboundOutcomes)[number];

/** `GET outbound.log`: newest first. `from`/`to` are ISO dates (inclusive from, exclusive to). */
export const OutboundLogQuery = z
  .object({
    count: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    purpose: z.enum(EgressPurposes).optional(),
    status: z.enum(OutboundOutcomes).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type OutboundLogQuery = z.infer<typeof OutboundLogQuery>;

export interface OutboundLogEntryDto {
  _id: string;
  /** when the call was about to be sent (workspace clock) */
  at: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** the full URL */
  endpoint: string;
  purpose: EgressPurposeName;
  /** `workspace`: sent with the workspace credentials (HTTP Basic); `none`: anonymous */
  auth: 'workspace' | 'none';
  /** the exact request body as sent (JSON text); absent for bodiless calls and for large bodies */
  payload?: string;
  /** bodies above 16 KiB: first bytes, SHA-256 of the whole body, size */
  payloadSummary?: { head: string; sha256: string; bytes: number };
  /** request body bytes */
  bytes: number;
  outcome: OutboundOutcome;
  /** HTTP status of the cloud's answer */
  status?: number;
  /** the cloud's or the client's error code (`errorType`), for failures and refusals */
  errorType?: string;
  error?: string;
  durationMs?: number;
}

export interface OutboundLogResult {
  entries: OutboundLogEntryDto[];
  count: number;
  offset: number;
  total: number;
}

// ---- statistics -----------------------------------------------------------------------------

/** `POST statistics.sharing` */
export const StatisticsSharingBody = z.object({ enabled: z.boolean() }).strict();
export type StatisticsSharingBody = z.infer<typeof StatisticsSharingBody>;

export interface StatisticsSharingDto {
  enabled: boolean;
  /** registered: sent with the workspace credentials; otherwise anonymously (install id only) */
  mode: 'registered' | 'anonymous';
  lastSentAt?: string;
  lastResult?: { at: string; ok: boolean; status?: number; errorType?: string; message?: string };
  /** when the scheduler will next consider sending (only while enabled) */
  nextRunAt?: string;
}

export interface StatisticsPreviewDto {
  /** exactly what would be sent now */
  document: StatisticsDocument;
  /** its JSON text and size as the egress client would send it */
  json: string;
  bytes: number;
}

export interface DailyPoint {
  /** UTC day `YYYY-MM-DD` */
  day: string;
  value: number;
}

/** `GET statistics.info`: the workspace info page. `document` is the same object the statistics document is built from. */
export interface StatisticsInfoDto {
  document: StatisticsDocument;
  /** local only: never sent */
  local: {
    serverVersion: string;
    nodeVersion: string;
    database: { kind: 'mongodb' | 'ferretdb'; version: string };
    startedAt: string;
    uptimeSeconds: number;
    users: { byStatus: Record<string, number>; byRole: Record<string, number> };
    rooms: { byType: { c: number; p: number; d: number } };
    uploads: { count: number; totalBytes: number };
    /** no apps engine yet: always 0 */
    appsNote: string;
    series: { messagesPerDay: DailyPoint[]; activeUsersPerDay: DailyPoint[] };
    /** when the daily rollup last ran (series come from it) */
    rollupAt?: string;
  };
}
