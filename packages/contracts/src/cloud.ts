import { z } from 'zod';
import { Email, Id, Password } from './common.js';

/**
 * The vendor cloud API (packages/cloud): vendor accounts, workspace registry, push gateway,
 * statistics collector. The workspace's egress client and the cloud both validate with these.
 * Every object is `.strict()`: an unknown field is a 400, never silently ignored.
 */

/** Error codes the cloud adds to the shared ones (`errorType` of a failed cloud call). */
export const CloudErrorCodes = {
  invalidRegistrationToken: 'error-invalid-registration-token',
  invalidWorkspaceCredentials: 'error-invalid-workspace-credentials',
  pushUnavailable: 'error-push-gateway-unavailable',
  installIdRegistered: 'error-install-id-registered',
} as const;
export type CloudErrorCode = (typeof CloudErrorCodes)[keyof typeof CloudErrorCodes];

// ---- secrets and identifiers --------------------------------------------------------------

/** A registration token as shown in the vendor console: `ort_` + 43 base64url characters. */
export const RegistrationToken = z.string().regex(/^ort_[A-Za-z0-9_-]{43}$/, 'not a registration token');
/** A workspace client secret: `ocs_` + 43 base64url characters. */
export const ClientSecret = z.string().regex(/^ocs_[A-Za-z0-9_-]{43}$/, 'not a client secret');
/** A vendor console session token: `ocv_` + 43 base64url characters. */
export const ConsoleToken = z.string().regex(/^ocv_[A-Za-z0-9_-]{43}$/, 'not a console token');
export const WorkspaceId = Id;
/** A random install id (UUID v4), generated once by the workspace, never derived from the host. */
export const InstallId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'install id must be a lower-case UUID v4');

// ---- vendor accounts ------------------------------------------------------------------------

export const CloudSignupBody = z
  .object({ email: Email, password: Password, name: z.string().trim().min(1).max(120).optional() })
  .strict();
export type CloudSignupBody = z.infer<typeof CloudSignupBody>;

export const CloudLoginBody = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict();
export type CloudLoginBody = z.infer<typeof CloudLoginBody>;

export interface CloudAccount {
  id: string;
  email: string;
  name?: string;
  createdAt: string;
}

export interface CloudLoginResult {
  token: string;
  expiresAt: string;
  account: CloudAccount;
}

// ---- workspace registry ----------------------------------------------------------------------

export const CreateRegistrationTokenBody = z
  .object({
    /** shown in the console next to the workspace that redeems the token */
    label: z.string().trim().min(1).max(100).optional(),
    /** minutes until the token expires (default 24 h, at most 7 days) */
    ttlMinutes: z.number().int().min(5).max(7 * 24 * 60).optional(),
  })
  .strict();
export type CreateRegistrationTokenBody = z.infer<typeof CreateRegistrationTokenBody>;

export interface RegistrationTokenResult {
  token: string;
  expiresAt: string;
}

export const RedeemRegistrationBody = z.object({ token: RegistrationToken }).strict();
export type RedeemRegistrationBody = z.infer<typeof RedeemRegistrationBody>;

/** What a workspace stores (encrypted) after redeeming or refreshing; sent as HTTP Basic. */
export const WorkspaceCredentials = z.object({ workspaceId: WorkspaceId, clientSecret: ClientSecret }).strict();
export type WorkspaceCredentials = z.infer<typeof WorkspaceCredentials>;

export type WorkspaceStatus = 'active' | 'revoked';

export interface CloudWorkspace {
  workspaceId: string;
  label?: string;
  status: WorkspaceStatus;
  registeredAt: string;
  secretRotatedAt: string;
  revokedAt?: string;
}

// ---- push gateway ------------------------------------------------------------------------------

/** An FCM registration token: letters, digits, `-`, `_`, `:` (never an object, never whitespace). */
export const PushToken = z.string().min(16).max(4096).regex(/^[A-Za-z0-9_:-]+$/, 'malformed push token');

/** FCM forbids these data keys (and any starting with `google` or `gcm`). */
const RESERVED_DATA_KEYS = new Set(['from', 'notification', 'message_type', 'collapse_key']);
export const PushDataKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'data keys: a letter, then letters, digits or _ (max 64)')
  .refine((k) => !RESERVED_DATA_KEYS.has(k) && !/^(google|gcm)/i.test(k), 'reserved FCM data key');

/** FCM's payload limit is 4096 bytes for notification + data. */
export const PUSH_PAYLOAD_MAX_BYTES = 4000;
export const PUSH_BATCH_MAX_TOKENS = 500;

export const PushBatchBody = z
  .object({
    tokens: z.array(PushToken).min(1).max(PUSH_BATCH_MAX_TOKENS),
    /** omitted in id-only mode: the workspace then sends only `data` (e.g. `{ messageId }`) */
    notification: z
      .object({ title: z.string().max(256).optional(), body: z.string().max(2048).optional() })
      .strict()
      .optional(),
    data: z
      .record(PushDataKey, z.string().max(2048))
      .refine((d) => Object.keys(d).length <= 32, 'at most 32 data keys')
      .optional(),
    options: z
      .object({
        priority: z.enum(['normal', 'high']).optional(),
        ttlSeconds: z.number().int().min(0).max(28 * 86_400).optional(),
        collapseKey: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'collapse key: letters, digits, _ and -').optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const hasNotification = !!b.notification && (b.notification.title !== undefined || b.notification.body !== undefined);
    const hasData = !!b.data && Object.keys(b.data).length > 0;
    if (!hasNotification && !hasData) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a push needs a notification or data', path: [] });
    }
    const bytes = Buffer.byteLength(JSON.stringify({ n: b.notification ?? {}, d: b.data ?? {} }), 'utf8');
    if (bytes > PUSH_PAYLOAD_MAX_BYTES) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `notification and data exceed ${PUSH_PAYLOAD_MAX_BYTES} bytes`, path: [] });
    }
  });
export type PushBatchBody = z.infer<typeof PushBatchBody>;

/** A token FCM refused for good (`delete`) or that could not be delivered this time (`failed`). */
export interface PushTokenOutcome {
  token: string;
  /** the firebase-admin error code, e.g. `messaging/registration-token-not-registered` */
  code: string;
}

export interface PushBatchResult {
  successCount: number;
  failureCount: number;
  /** unregistered or invalid: the workspace must delete these tokens */
  rejectedTokens: PushTokenOutcome[];
  /** transient failures that outlasted the gateway's retries, or other errors: not delivered */
  failedTokens: PushTokenOutcome[];
}

export const UsageQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();

export interface UsageCounters {
  requests: number;
  messages: number;
  delivered: number;
  rejected: number;
  failed: number;
}

export interface WorkspaceUsage {
  workspaceId: string;
  totals: UsageCounters;
  days: Array<UsageCounters & { day: string }>;
}

// ---- statistics document (design/statistics.md) -----------------------------------------------

export const STATISTICS_SCHEMA_VERSION = 1;

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A version number: digits and dots, an optional pre-release/build suffix. Never free text. */
const Version = z.string().regex(/^\d{1,6}(\.\d{1,6}){0,3}([-+][0-9A-Za-z.-]{1,32})?$/, 'not a version');

export const StatisticsDocument = z
  .object({
    identity: z
      .object({
        installId: InstallId,
        schemaVersion: z.literal(STATISTICS_SCHEMA_VERSION),
        obmeetVersion: Version,
        deploymentMode: z.enum(['self-managed', 'hosted']),
        registered: z.boolean(),
      })
      .strict(),
    platform: z
      .object({
        /** Node major.minor, e.g. "20.19" */
        nodeVersion: z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'major.minor'),
        database: z.object({ kind: z.enum(['mongodb', 'ferretdb']), version: Version }).strict(),
        os: z
          .object({
            family: z.enum(['linux', 'darwin', 'windows', 'freebsd', 'other']),
            arch: z.enum(['x64', 'arm64', 'arm', 'ia32', 'other']),
          })
          .strict(),
        serverProcesses: z.number().int().min(1).max(10_000),
        /** uptime in days, bucketed */
        uptimeDays: z.enum(['0', '1-6', '7-29', '30-89', '90+']),
      })
      .strict(),
    users: z
      .object({
        total: Count,
        active: Count,
        deactivated: Count,
        guests: Count,
        bots: Count,
        activeLast1d: Count,
        activeLast7d: Count,
        activeLast30d: Count,
        twoFactorEnabled: Count,
      })
      .strict(),
    rooms: z
      .object({
        channels: Count,
        privateGroups: Count,
        directMessages: Count,
        archived: Count,
        readOnly: Count,
        encrypted: Count,
      })
      .strict(),
    messages: z
      .object({
        total: Count,
        last1d: Count,
        last7d: Count,
        last30d: Count,
        threads: Count,
        reactions: Count,
        pinned: Count,
        encrypted: Count,
      })
      .strict(),
    files: z.object({ count: Count, totalBytes: Count }).strict(),
    meetings: z.object({ count: Count, totalMinutes: Count, recordings: Count, bookings: Count }).strict(),
    apps: z.object({ installed: Count, enabled: Count, failed: Count }).strict(),
    integrations: z.object({ incomingWebhooks: Count, outgoingWebhooks: Count }).strict(),
    features: z
      .object({
        pushGateway: z.boolean(),
        pushContentMode: z.enum(['full-text', 'sender-only', 'id-only']),
        locationSharing: z.boolean(),
        retentionPolicy: z.boolean(),
        statisticsSharing: z.boolean(),
        externalSignInProviders: Count,
      })
      .strict(),
  })
  .strict();
export type StatisticsDocument = z.infer<typeof StatisticsDocument>;

export interface StatisticsReceipt {
  installId: string;
  receivedAt: string;
  source: 'registered' | 'anonymous';
}
