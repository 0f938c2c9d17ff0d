import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiClient, registerUser, startRecordingProxy, testDatabase, type RecordingProxy, type TestUser } from '@obmeet/test-kit';
import { createLogger, loadConfig, startServer, ManualClock, type RunningServer } from '@obmeet/server';
import { createLogger as createCloudLogger, loadConfig as loadCloudConfig, startCloud, type CloudOptions, type RunningCloud } from '@obmeet/cloud';

export const HOUR = 3_600_000;

export interface Workspace extends RunningServer {
  clock: ManualClock;
  mongoUrl: string;
}

/** A real workspace server on loopback with a hand-moved clock; CLOUD_URL as given. */
export async function startWorkspace(cloudUrl: string): Promise<Workspace> {
  const db = await testDatabase();
  const mongoUrl = db.uniqueUrl('df');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'obmeet-df-')),
    MONGO_URL: mongoUrl,
    CLOUD_URL: cloudUrl,
  });
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
  const server = await startServer(config, createLogger(config.logLevel), clock);
  return Object.assign(server, { clock, mongoUrl });
}

/** Advances the workspace clock by 24 hours, an hour at a time, running the due jobs at each step. */
export async function runADayOfJobs(ws: Workspace): Promise<string[]> {
  const ran: string[] = [];
  for (let h = 0; h < 24; h++) {
    ws.clock.advance(HOUR);
    ran.push(...(await ws.workspace.scheduler.runDue()));
  }
  return ran;
}

export interface Cloud {
  url: string;
  cloud: RunningCloud;
  proxy: RecordingProxy;
  registrationToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real vendor cloud (packages/cloud) behind a recording proxy (the proxy is CLOUD_URL).
 * `options.fcm`: a loopback FCM stand-in for a working push gateway (default: push disabled).
 */
export async function startRecordedCloud(options: CloudOptions = { fcm: null }): Promise<Cloud> {
  const db = await testDatabase();
  const config = loadCloudConfig({ CLOUD_PORT: '0', CLOUD_HOST: '127.0.0.1', CLOUD_LOG_LEVEL: 'silent', NODE_ENV: 'test', CLOUD_MONGO_URL: db.uniqueUrl('dfcloud') });
  const cloud = await startCloud(config, createCloudLogger(config.logLevel), options);
  const proxy = await startRecordingProxy(cloud.url);
  const direct = new ApiClient(cloud.url);
  return {
    url: proxy.url,
    cloud,
    proxy,
    async registrationToken() {
      const email = `admin-${randomBytes(5).toString('hex')}@example.test`;
      const password = `pw-${randomBytes(8).toString('hex')}`;
      await direct.request('POST', '/api/v1/accounts/signup', { email, password });
      const l = await direct.request('POST', '/api/v1/accounts/login', { email, password });
      const t = await direct.request('POST', '/api/v1/console/registration-tokens', {}, { authorization: `Bearer ${l.body.token}` });
      if (t.status !== 201) throw new Error(`token failed: ${JSON.stringify(t.body)}`);
      return t.body.token as string;
    },
    async close() {
      await proxy.close();
      await cloud.close();
    },
  };
}

async function ok(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await p;
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function upload(user: TestUser, rid: string, bytes: string, name: string, type = 'application/octet-stream') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${user.api.baseUrl}/api/v1/rooms.upload/${rid}`, {
    method: 'POST',
    headers: { 'x-user-id': user._id, 'x-auth-token': user.token },
    body: form,
  });
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

export interface Canaries {
  username: string;
  name: string;
  emailLocal: string;
  room: string;
  topic: string;
  word: string;
  fileName: string;
}

export function makeCanaries(): Canaries {
  const tag = randomBytes(4).toString('hex');
  return {
    username: `zq.canary${tag}`,
    name: `Xylophone Quokka ${tag}`,
    emailLocal: `canarymail${tag}`,
    room: `quokka-den-${tag}`,
    topic: `topic zebrafinch ${tag}`,
    word: `flibbertigibbet${tag}`,
    fileName: `kumquat-ledger-${tag}.txt`,
  };
}

/**
 * A working day in a workspace: users (one with canary identity), channels, a private group, a
 * DM, messages, a thread, reactions, a pin, uploads, settings changes, and the admin pages' API
 * calls (users, rooms, settings, registration status, info, preview, sharing, outbound log).
 */
export async function fullScenario(ws: Workspace, c: Canaries = makeCanaries()): Promise<{ admin: TestUser; alice: TestUser; rooms: string[] }> {
  const admin = await registerUser(ws.url);
  const alice = await registerUser(ws.url, { username: c.username });
  await ok(alice.api.post('users.updateOwnBasicInfo', { data: { name: c.name, email: `${c.emailLocal}@example.test` } }), 'profile');
  const bob = await registerUser(ws.url);
  const channel = (await ok(alice.api.post('channels.create', { name: c.room, members: [admin.username, bob.username] }), 'channel')).channel;
  const group = (await ok(admin.api.post('groups.create', { name: `g-${c.room}`, members: [alice.username] }), 'group')).group;
  const dm = (await ok(alice.api.post('im.create', { username: bob.username }), 'dm')).room;
  await ok(alice.api.post('channels.setTopic', { roomId: channel._id, topic: c.topic }), 'topic');
  const first = (await ok(alice.api.post('chat.sendMessage', { message: { rid: channel._id, msg: `hello ${c.word} world` } }), 'send')).message;
  await ok(bob.api.post('chat.sendMessage', { message: { rid: channel._id, msg: `re ${c.word}`, tmid: first._id } }), 'thread reply');
  await ok(admin.api.post('chat.react', { messageId: first._id, emoji: ':tada:' }), 'react');
  await ok(admin.api.post('chat.pinMessage', { messageId: first._id }), 'pin');
  await ok(admin.api.post('chat.sendMessage', { message: { rid: group._id, msg: `private ${c.word}` } }), 'send group');
  await ok(bob.api.post('chat.sendMessage', { message: { rid: dm._id, msg: `dm ${c.word}` } }), 'send dm');
  await upload(alice, channel._id, `ledger ${c.word}`, c.fileName, 'text/plain');
  // settings pages
  await ok(admin.api.get('settings'), 'settings');
  await ok(admin.api.post('settings/site.name', { value: `Site ${c.room}` }), 'site name');
  await ok(admin.api.post('settings/location.sharingEnabled', { value: true }), 'location');
  // admin pages' API calls
  await ok(admin.api.get('cloud.registration'), 'registration');
  await ok(admin.api.get('cloud.registration', { verify: 'true' }), 'registration verify');
  await ok(admin.api.get('statistics.info'), 'info');
  await ok(admin.api.get('statistics.preview'), 'preview');
  await ok(admin.api.get('statistics.sharing'), 'sharing');
  await ok(admin.api.get('outbound.log'), 'outbound log');
  await ok(admin.api.get('rooms.get'), 'rooms');
  await ok(admin.api.get('users.list'), 'users');
  return { admin, alice, rooms: [channel._id, group._id, dm._id] };
}
