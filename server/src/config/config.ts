import { z } from 'zod';

/** The one place that reads process.env (architecture rule: nothing else does). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  SITE_URL: z.string().url().optional(),
  MONGO_URL: z.string().startsWith('mongodb').optional(),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().startsWith('redis').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  LOGIN_MAX_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(10),
  PRESENCE_IDLE_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  SOCKET_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(90),
  CLIENT_DIR: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  /** the vendor cloud (registry, push gateway, statistics collector); only the egress client calls it */
  CLOUD_URL: z.string().url().default('https://cloud.obmeet.org'),
  CLOUD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** 32-byte key (64 hex chars or base64) that encrypts stored secrets; unset: a key file in DATA_DIR */
  SECRETS_KEY: z.string().optional(),
  /** meetings: comma-separated STUN URLs (stun:host:3478) handed to browsers */
  MEETINGS_STUN_URLS: z.string().default(''),
  /** meetings: comma-separated TURN URLs (turn:host:3478?transport=udp, turns:host:5349) */
  MEETINGS_TURN_URLS: z.string().default(''),
  /** meetings: coturn's static-auth-secret (use-auth-secret): short-lived TURN credentials are derived from it */
  MEETINGS_TURN_SECRET: z.string().min(16).optional(),
  MEETINGS_TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86400).default(86400),
  /** a meeting with nobody in it ends after this long */
  MEETINGS_EMPTY_GRACE_MS: z.coerce.number().int().min(1000).default(2 * 60_000),
  /** peer-to-peer mesh limit: the next participant with video is refused */
  MEETINGS_MAX_VIDEO: z.coerce.number().int().min(2).max(50).default(6),
  /** meetings: the Janus gateway's WebSocket API (ws://127.0.0.1:8188); set, meetings over the mesh limit go through it */
  MEETINGS_JANUS_URL: z.string().url().optional(),
  /** meetings: Janus's api_secret, when it has one */
  MEETINGS_JANUS_API_SECRET: z.string().optional(),
});

export type Config = {
  port: number;
  host: string;
  siteUrl: string;
  mongoUrl?: string;
  dataDir: string;
  redisUrl?: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  env: 'development' | 'production' | 'test';
  maxBodyBytes: number;
  loginMaxPerIpPerMinute: number;
  loginMaxFailuresPerUser: number;
  presenceIdleMs: number;
  socketMaxBufferedBytes: number;
  sessionTtlDays: number;
  clientDir?: string;
  trustProxy?: string;
  cloudUrl: string;
  cloudTimeoutMs: number;
  secretsKey?: string;
  meetings: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string; turnTtlSeconds: number; emptyGraceMs: number; maxVideo: number; janusUrl?: string; janusApiSecret?: string };
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    siteUrl: (e.SITE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    mongoUrl: e.MONGO_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    env: e.NODE_ENV,
    maxBodyBytes: e.MAX_BODY_BYTES,
    loginMaxPerIpPerMinute: e.LOGIN_MAX_PER_IP_PER_MINUTE,
    loginMaxFailuresPerUser: e.LOGIN_MAX_FAILURES_PER_USER,
    presenceIdleMs: e.PRESENCE_IDLE_MS,
    socketMaxBufferedBytes: e.SOCKET_MAX_BUFFERED_BYTES,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    clientDir: e.CLIENT_DIR,
    trustProxy: e.TRUST_PROXY,
    cloudUrl: e.CLOUD_URL.replace(/\/$/, ''),
    cloudTimeoutMs: e.CLOUD_TIMEOUT_MS,
    secretsKey: e.SECRETS_KEY,
    meetings: {
      stunUrls: splitList(e.MEETINGS_STUN_URLS),
      turnUrls: splitList(e.MEETINGS_TURN_URLS),
      turnSecret: e.MEETINGS_TURN_SECRET,
      turnTtlSeconds: e.MEETINGS_TURN_TTL_SECONDS,
      emptyGraceMs: e.MEETINGS_EMPTY_GRACE_MS,
      maxVideo: e.MEETINGS_MAX_VIDEO,
      janusUrl: e.MEETINGS_JANUS_URL,
      janusApiSecret: e.MEETINGS_JANUS_API_SECRET,
    },
  };
}

function splitList(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter(Boolean);
}
