import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { ApiClient, startFcmStandin, testDatabase, type ApiResponse, type FcmStandin } from '@obmeet/test-kit';
import type { StatisticsDocument } from '@obmeet/contracts';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { startCloud, type CloudOptions, type RunningCloud } from '../src/cloud.js';
import type { Clock } from '../src/clock.js';

export interface TestCloud extends RunningCloud {
  /** JSON lines the cloud logged */
  logs: string[];
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public t = Date.now()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A real cloud on a loopback port with its own database in the shared test FerretDB; logs captured at info. */
export async function startTestCloud(env: Record<string, string> = {}, options: CloudOptions = {}): Promise<TestCloud> {
  const db = await testDatabase();
  const config = loadConfig({
    CLOUD_PORT: '0',
    CLOUD_HOST: '127.0.0.1',
    CLOUD_LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    FCM_RETRY_BASE_MS: '10',
    FCM_RETRY_MAX_MS: '50',
    ...env,
    CLOUD_MONGO_URL: env.CLOUD_MONGO_URL ?? db.uniqueUrl('cloud'),
  });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const running = await startCloud(config, logger, options);
  const client = new ApiClient(running.url);
  return Object.assign(running, {
    logs,
    call: <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      client.request<T>(method, `/api/v1${path}`, body, headers),
  });
}

/** A cloud whose push gateway is the real firebase-admin client talking to a loopback FCM stand-in. */
export async function startCloudWithStandin(env: Record<string, string> = {}, clock?: Clock): Promise<{ cloud: TestCloud; fcm: FcmStandin }> {
  const fcm = await startFcmStandin();
  const cloud = await startTestCloud(env, {
    ...(clock ? { clock } : {}),
    fcm: { projectId: fcm.projectId, credential: fcm.credential(), httpAgent: fcm.httpAgent({ maxSockets: 50 }) },
  });
  return { cloud, fcm };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const basic = (workspaceId: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${workspaceId}:${secret}`).toString('base64')}`,
});

export interface Vendor {
  email: string;
  password: string;
  token: string;
  headers: Record<string, string>;
}

export async function signupAndLogin(cloud: TestCloud): Promise<Vendor> {
  const email = `admin-${randomBytes(5).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const s = await cloud.call('POST', '/accounts/signup', { email, password, name: 'Test Admin' });
  if (s.status !== 201) throw new Error(`signup failed: ${s.status} ${JSON.stringify(s.body)}`);
  const l = await cloud.call('POST', '/accounts/login', { email, password });
  if (l.status !== 200) throw new Error(`login failed: ${l.status} ${JSON.stringify(l.body)}`);
  return { email, password, token: l.body.token, headers: bearer(l.body.token) };
}

export interface RegisteredWorkspace {
  workspaceId: string;
  clientSecret: string;
  headers: Record<string, string>;
}

export async function registerWorkspace(cloud: TestCloud, vendor: Vendor, label?: string): Promise<RegisteredWorkspace> {
  const t = await cloud.call('POST', '/console/registration-tokens', label ? { label } : {}, vendor.headers);
  if (t.status !== 201) throw new Error(`token failed: ${t.status} ${JSON.stringify(t.body)}`);
  const r = await cloud.call('POST', '/registry/redeem', { token: t.body.token });
  if (r.status !== 201) throw new Error(`redeem failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { workspaceId: r.body.workspaceId, clientSecret: r.body.clientSecret, headers: basic(r.body.workspaceId, r.body.clientSecret) };
}

/** Every document of every collection, for "nothing changed" and "nothing stored" checks. */
export async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const cols = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const c of cols.map((x) => x.name).sort()) {
    out[c] = await db.collection(c).find({}).sort({ _id: 1 }).toArray();
  }
  return out;
}

export function fakeFcmToken(label = 't'): string {
  return `${label}_${randomBytes(24).toString('base64url')}:APA91b${randomBytes(12).toString('hex')}`;
}

/** A valid statistics document (statistics.md), with overridable install id and registered flag. */
export function statisticsDoc(over: { installId?: string; registered?: boolean } = {}): StatisticsDocument {
  return {
    identity: {
      installId: over.installId ?? randomUUID(),
      schemaVersion: 1,
      obmeetVersion: '0.1.0',
      deploymentMode: 'self-managed',
      registered: over.registered ?? true,
    },
    platform: {
      nodeVersion: '20.19',
      database: { kind: 'ferretdb', version: '1.24.2' },
      os: { family: 'linux', arch: 'x64' },
      serverProcesses: 1,
      uptimeDays: '1-6',
    },
    users: { total: 12, active: 10, deactivated: 2, guests: 1, bots: 1, activeLast1d: 4, activeLast7d: 8, activeLast30d: 10, twoFactorEnabled: 3 },
    rooms: { channels: 5, privateGroups: 2, directMessages: 9, archived: 1, readOnly: 1, encrypted: 0 },
    messages: { total: 1234, last1d: 20, last7d: 300, last30d: 900, threads: 12, reactions: 40, pinned: 3, encrypted: 0 },
    files: { count: 17, totalBytes: 123456 },
    meetings: { count: 4, totalMinutes: 180, recordings: 1, bookings: 2 },
    apps: { installed: 2, enabled: 1, failed: 0 },
    integrations: { incomingWebhooks: 1, outgoingWebhooks: 0 },
    features: {
      pushGateway: true,
      pushContentMode: 'id-only',
      locationSharing: false,
      retentionPolicy: false,
      statisticsSharing: true,
      externalSignInProviders: 0,
    },
  };
}
