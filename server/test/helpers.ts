import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, registerUser, testDatabase, type TestUser } from '@obmeet/test-kit';
import { loadConfig } from '../src/config/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import { startServer, type RunningServer } from '../src/server.js';
import type { Clock } from '../src/clock.js';

export interface TestServer extends RunningServer {
  api: ApiClient;
  mongoUrl: string;
}

/** A real server on a loopback port with its own database in the shared test FerretDB. */
export async function startTestServer(env: Record<string, string> = {}, clock?: Clock, logger?: Logger): Promise<TestServer> {
  const db = await testDatabase();
  const mongoUrl = env.MONGO_URL ?? db.uniqueUrl('ws');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'obmeet-data-')),
    ...env,
    MONGO_URL: mongoUrl,
  });
  const server = await startServer(config, logger ?? createLogger(config.logLevel), clock);
  // SITE_URL must match the real port for cookie-origin checks; tests that need it pass SITE_URL explicitly.
  return Object.assign(server, { api: new ApiClient(server.url), mongoUrl });
}

/** A server with an admin (the first user) and helpers to add users. */
export async function startWithAdmin(env: Record<string, string> = {}): Promise<{ server: TestServer; admin: TestUser }> {
  const server = await startTestServer(env);
  const admin = await registerUser(server.url);
  return { server, admin };
}

export async function createChannel(user: TestUser, opts: { name?: string; members?: string[]; type?: 'c' | 'p'; readOnly?: boolean } = {}) {
  const name = opts.name ?? `room-${Math.random().toString(36).slice(2, 10)}`;
  const res = await user.api.post(opts.type === 'p' ? 'groups.create' : 'channels.create', {
    name,
    members: opts.members ?? [],
    ...(opts.readOnly ? { readOnly: true } : {}),
  });
  if (res.status !== 200) throw new Error(`create room failed: ${JSON.stringify(res.body)}`);
  return (opts.type === 'p' ? res.body.group : res.body.channel) as { _id: string; name: string };
}

export async function send(user: TestUser, rid: string, msg: string, extra: Record<string, unknown> = {}) {
  const res = await user.api.post('chat.sendMessage', { message: { rid, msg, ...extra } });
  if (res.status !== 200) throw new Error(`send failed: ${JSON.stringify(res.body)}`);
  return res.body.message as { _id: string; seq: number; change: number; msg: string };
}
