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
  };
}
