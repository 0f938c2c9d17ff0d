import { z } from 'zod';

/** The one place in the cloud service that reads process.env. */
const EnvSchema = z.object({
  CLOUD_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  CLOUD_HOST: z.string().default('0.0.0.0'),
  CLOUD_MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// connection string'),
  CLOUD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  CLOUD_TRUST_PROXY: z.string().optional(),
  CLOUD_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(3 * 1024 * 1024),
  CLOUD_LOGIN_MAX_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  CLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  CLOUD_SIGNUP_MAX_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
  CLOUD_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  CLOUD_REDEEM_MAX_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** push messages (tokens) per workspace per minute */
  CLOUD_PUSH_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** statistics documents per install id per hour, and anonymous ones per IP per hour */
  CLOUD_STATS_MAX_PER_HOUR: z.coerce.number().int().min(1).default(6),
  CLOUD_STATS_ANON_MAX_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** how often expired sessions and registration tokens are deleted */
  CLOUD_CLEANUP_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),

  /** firebase: real FCM; standin: a loopback FCM stand-in (never in production); disabled: push answers 503 */
  FCM_MODE: z.enum(['firebase', 'standin', 'disabled']).optional(),
  FCM_PROJECT_ID: z.string().regex(/^[a-z0-9-]{4,64}$/, 'a Firebase project id').optional(),
  /** service account JSON; without it, Google application default credentials are used */
  FCM_SERVICE_ACCOUNT_FILE: z.string().optional(),
  FCM_STANDIN_URL: z.string().regex(/^https:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+\/?$/, 'https://127.0.0.1:<port>').optional(),
  FCM_STANDIN_CA_FILE: z.string().optional(),
  FCM_STANDIN_ACCESS_TOKEN: z.string().min(1).max(200).default('standin-access-token'),
  /** attempts per token for transient FCM failures (the first send included) */
  FCM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  FCM_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  FCM_RETRY_MAX_MS: z.coerce.number().int().min(0).max(300_000).default(16_000),
  FCM_MAX_SOCKETS: z.coerce.number().int().min(1).max(1000).default(50),
});

export type LogLevel = z.infer<typeof EnvSchema>['CLOUD_LOG_LEVEL'];

export type FcmConfig =
  | { mode: 'disabled' }
  | { mode: 'firebase'; projectId?: string; serviceAccountFile?: string; maxSockets: number }
  | { mode: 'standin'; projectId: string; url: string; caFile: string; accessToken: string; maxSockets: number };

export interface CloudConfig {
  port: number;
  host: string;
  mongoUrl: string;
  logLevel: LogLevel;
  env: 'development' | 'production' | 'test';
  trustProxy?: string;
  maxBodyBytes: number;
  loginMaxPerIpPerMinute: number;
  loginMaxFailuresPerAccount: number;
  signupMaxPerIpPerHour: number;
  sessionTtlHours: number;
  redeemMaxPerIpPerMinute: number;
  pushMaxPerMinute: number;
  statsMaxPerHour: number;
  statsAnonMaxPerIpPerHour: number;
  cleanupIntervalMinutes: number;
  fcm: FcmConfig;
  retry: { maxAttempts: number; baseMs: number; maxMs: number };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): CloudConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const mode = e.FCM_MODE ?? (e.FCM_PROJECT_ID || e.FCM_SERVICE_ACCOUNT_FILE ? 'firebase' : 'disabled');
  let fcm: FcmConfig;
  if (mode === 'standin') {
    if (e.NODE_ENV === 'production') throw new Error('Invalid configuration: FCM_MODE=standin is for development and tests only');
    if (!e.FCM_STANDIN_URL || !e.FCM_STANDIN_CA_FILE) {
      throw new Error('Invalid configuration: FCM_MODE=standin needs FCM_STANDIN_URL and FCM_STANDIN_CA_FILE');
    }
    fcm = {
      mode,
      projectId: e.FCM_PROJECT_ID ?? 'obmeet-test',
      url: e.FCM_STANDIN_URL,
      caFile: e.FCM_STANDIN_CA_FILE,
      accessToken: e.FCM_STANDIN_ACCESS_TOKEN,
      maxSockets: e.FCM_MAX_SOCKETS,
    };
  } else if (mode === 'firebase') {
    fcm = { mode, projectId: e.FCM_PROJECT_ID, serviceAccountFile: e.FCM_SERVICE_ACCOUNT_FILE, maxSockets: e.FCM_MAX_SOCKETS };
  } else {
    fcm = { mode: 'disabled' };
  }
  return {
    port: e.CLOUD_PORT,
    host: e.CLOUD_HOST,
    mongoUrl: e.CLOUD_MONGO_URL,
    logLevel: e.CLOUD_LOG_LEVEL,
    env: e.NODE_ENV,
    trustProxy: e.CLOUD_TRUST_PROXY,
    maxBodyBytes: e.CLOUD_MAX_BODY_BYTES,
    loginMaxPerIpPerMinute: e.CLOUD_LOGIN_MAX_PER_IP_PER_MINUTE,
    loginMaxFailuresPerAccount: e.CLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT,
    signupMaxPerIpPerHour: e.CLOUD_SIGNUP_MAX_PER_IP_PER_HOUR,
    sessionTtlHours: e.CLOUD_SESSION_TTL_HOURS,
    redeemMaxPerIpPerMinute: e.CLOUD_REDEEM_MAX_PER_IP_PER_MINUTE,
    pushMaxPerMinute: e.CLOUD_PUSH_MAX_PER_MINUTE,
    statsMaxPerHour: e.CLOUD_STATS_MAX_PER_HOUR,
    statsAnonMaxPerIpPerHour: e.CLOUD_STATS_ANON_MAX_PER_IP_PER_HOUR,
    cleanupIntervalMinutes: e.CLOUD_CLEANUP_INTERVAL_MINUTES,
    fcm,
    retry: { maxAttempts: e.FCM_MAX_ATTEMPTS, baseMs: e.FCM_RETRY_BASE_MS, maxMs: e.FCM_RETRY_MAX_MS },
  };
}
