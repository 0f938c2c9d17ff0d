import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { installLoopbackGuard, startFcmStandin, type FcmStandin, type LoopbackGuard } from '@obmeet/test-kit';
import { loadConfig } from '../src/config/config.js';
import { fcmSettingsFromConfig } from '../src/fcm/firebase.js';
import {
  dump,
  fakeFcmToken,
  registerWorkspace,
  signupAndLogin,
  startCloudWithStandin,
  startTestCloud,
  type RegisteredWorkspace,
  type TestCloud,
  type Vendor,
} from './helpers.js';

const MANY = { CLOUD_REDEEM_MAX_PER_IP_PER_MINUTE: '1000', FCM_MAX_ATTEMPTS: '3' };

describe('cloud: push gateway through firebase-admin and a loopback FCM stand-in', function () {
  this.timeout(60_000);
  let cloud: TestCloud;
  let fcm: FcmStandin;
  let vendor: Vendor;
  let ws: RegisteredWorkspace;
  let guard: LoopbackGuard;

  before(async () => {
    guard = installLoopbackGuard();
    ({ cloud, fcm } = await startCloudWithStandin(MANY));
    vendor = await signupAndLogin(cloud);
    ws = await registerWorkspace(cloud, vendor);
  });
  beforeEach(() => fcm.reset());
  after(async () => {
    await cloud?.close();
    await fcm?.close();
    guard.uninstall();
    expect(guard.violations, 'non-loopback connections').to.deep.equal([]);
  });

  const push = (body: unknown, headers = ws.headers) => cloud.call('POST', '/push/send', body, headers);

  it('delivers a batch: one real FCM v1 request per token, with the bearer token and the payload', async () => {
    const tokens = [fakeFcmToken('a'), fakeFcmToken('b'), fakeFcmToken('c')];
    const res = await push({ tokens, notification: { title: 'Hello', body: 'World' }, data: { messageId: 'm1', roomId: 'r1' } });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ success: true, successCount: 3, failureCount: 0, rejectedTokens: [], failedTokens: [] });
    expect(fcm.requests).to.have.length(3);
    expect(fcm.requests.map((r) => r.token).sort()).to.deep.equal([...tokens].sort());
    for (const r of fcm.requests) {
      expect(r.method).to.equal('POST');
      expect(r.path).to.equal(`/v1/projects/${fcm.projectId}/messages:send`);
      expect(r.host).to.equal('fcm.googleapis.com');
      expect(r.authorization).to.equal(`Bearer ${fcm.accessToken}`);
      // sent by the real firebase-admin client
      expect(String(r.headers['x-firebase-client'])).to.match(/^fire-admin-node\/13\./);
      expect(r.body.message.notification).to.deep.equal({ title: 'Hello', body: 'World' });
      expect(r.body.message.data).to.deep.equal({ messageId: 'm1', roomId: 'r1' });
      expect(r.body.message.android.priority).to.equal('high');
    }
  });

  it('sends 500 tokens in one batch and refuses 501 (400, nothing sent, usage unchanged)', async () => {
    const tokens = Array.from({ length: 500 }, (_, i) => fakeFcmToken(`n${i}`));
    const ok = await push({ tokens, data: { messageId: 'm500' } });
    expect(ok.status).to.equal(200);
    expect(ok.body.successCount).to.equal(500);
    expect(fcm.requests).to.have.length(500);
    fcm.reset();
    const before = await dump(cloud.db);
    const tooMany = await push({ tokens: [...tokens, fakeFcmToken('x')], data: { messageId: 'm501' } });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body.errorType).to.equal('error-invalid-params');
    expect(tooMany.body.error).to.match(/tokens/);
    expect(fcm.requests).to.have.length(0);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('reports unregistered and invalid tokens so the workspace deletes them', async () => {
    const good = fakeFcmToken('good');
    const gone = fakeFcmToken('gone');
    const invalid = fakeFcmToken('invalid');
    fcm.answer(gone, 'unregistered');
    fcm.answer(invalid, 'invalid-argument');
    const res = await push({ tokens: [good, gone, invalid], data: { messageId: 'm2' } });
    expect(res.status).to.equal(200);
    expect(res.body.successCount).to.equal(1);
    expect(res.body.failureCount).to.equal(2);
    expect(res.body.rejectedTokens).to.deep.equal([
      { token: gone, code: 'messaging/registration-token-not-registered' },
      { token: invalid, code: 'messaging/invalid-argument' },
    ]);
    expect(res.body.failedTokens).to.deep.equal([]);
    // permanent errors are not retried
    expect(fcm.requestsFor(gone)).to.have.length(1);
    expect(fcm.requestsFor(invalid)).to.have.length(1);
  });

  it('retries UNAVAILABLE (503) until it succeeds', async () => {
    const flaky = fakeFcmToken('flaky');
    fcm.answer(flaky, 'unavailable', 'unavailable');
    const res = await push({ tokens: [flaky, fakeFcmToken('ok')], notification: { title: 'T' } });
    expect(res.body.successCount).to.equal(2);
    expect(fcm.requestsFor(flaky).map((r) => r.status)).to.deep.equal([503, 503, 200]);
  });

  it('retries INTERNAL (500) and QUOTA_EXCEEDED (429) with backoff at the gateway, resending only those tokens', async () => {
    const internal = fakeFcmToken('internal');
    const quota = fakeFcmToken('quota');
    const fine = fakeFcmToken('fine');
    fcm.answer(internal, 'internal', 'internal');
    fcm.answer(quota, 'quota-exceeded');
    const res = await push({ tokens: [internal, quota, fine], data: { messageId: 'm3' } });
    expect(res.body.successCount).to.equal(3);
    expect(fcm.requestsFor(internal).map((r) => r.status)).to.deep.equal([500, 500, 200]);
    expect(fcm.requestsFor(quota).map((r) => r.status)).to.deep.equal([429, 200]);
    expect(fcm.requestsFor(fine)).to.have.length(1);
    const times = fcm.requestsFor(internal).map((r) => r.at.getTime());
    expect(times[1]! - times[0]!).to.be.at.least(4); // base 10 ms with jitter ≥ 50 %
  });

  it('gives up after FCM_MAX_ATTEMPTS and reports the token as failed (not rejected)', async () => {
    const down = fakeFcmToken('down');
    fcm.answerAlways(down, 'internal');
    const res = await push({ tokens: [down], data: { messageId: 'm4' } });
    expect(res.status).to.equal(200);
    expect(res.body.successCount).to.equal(0);
    expect(res.body.rejectedTokens).to.deep.equal([]);
    expect(res.body.failedTokens).to.deep.equal([{ token: down, code: 'messaging/internal-error' }]);
    expect(fcm.requestsFor(down)).to.have.length(3);
  });

  it('id-only mode: only data reaches FCM (no notification), and it wakes the app', async () => {
    const t = fakeFcmToken('idonly');
    const res = await push({ tokens: [t], data: { messageId: 'abc123' } });
    expect(res.body.successCount).to.equal(1);
    const msg = fcm.requestsFor(t)[0]!.body.message;
    expect(msg.notification).to.equal(undefined);
    expect(msg.data).to.deep.equal({ messageId: 'abc123' });
    expect(msg.apns.payload.aps['content-available']).to.equal(1);
  });

  it('counts usage per workspace, readable by the workspace and by its owner in the console', async () => {
    const other = await registerWorkspace(cloud, vendor);
    const u0 = (await cloud.call('GET', '/push/usage', undefined, other.headers)).body.usage;
    expect(u0.totals).to.deep.equal({ requests: 0, messages: 0, delivered: 0, rejected: 0, failed: 0 });
    const gone = fakeFcmToken('gone');
    fcm.answer(gone, 'unregistered');
    await push({ tokens: [fakeFcmToken(), fakeFcmToken(), gone], data: { messageId: 'u1' } }, other.headers);
    await push({ tokens: [fakeFcmToken()], data: { messageId: 'u2' } }, other.headers);
    const u1 = await cloud.call('GET', '/push/usage', undefined, other.headers);
    expect(u1.status).to.equal(200);
    expect(u1.body.usage.workspaceId).to.equal(other.workspaceId);
    expect(u1.body.usage.totals).to.deep.equal({ requests: 2, messages: 4, delivered: 3, rejected: 1, failed: 0 });
    expect(u1.body.usage.days).to.have.length(1);
    expect(u1.body.usage.days[0].day).to.equal(new Date().toISOString().slice(0, 10));
    const c = await cloud.call('GET', `/console/workspaces/${other.workspaceId}/usage?days=7`, undefined, vendor.headers);
    expect(c.status).to.equal(200);
    expect(c.body.usage.totals).to.deep.equal(u1.body.usage.totals);
    // the first workspace's usage is its own
    const mine = (await cloud.call('GET', '/push/usage', undefined, ws.headers)).body.usage;
    expect(mine.totals.requests).to.be.greaterThan(0);
    expect(mine.workspaceId).to.equal(ws.workspaceId);
  });

  it('stores no notification content, and logs none (nor tokens or credentials)', async () => {
    const title = 'CANARY-TITLE-7f3a9';
    const body = 'CANARY-BODY secret plans for the zeppelin';
    const dataValue = 'CANARY-DATA-room-name';
    const t = fakeFcmToken('canary');
    const res = await push({ tokens: [t], notification: { title, body }, data: { room: dataValue } });
    expect(res.body.successCount).to.equal(1);
    expect(fcm.requestsFor(t)[0]!.body.message.notification).to.deep.equal({ title, body });
    const everything = JSON.stringify(await dump(cloud.db));
    for (const canary of [title, body, dataValue, t]) {
      expect(everything, 'database').not.to.include(canary);
      expect(cloud.logs.join('\n'), 'logs').not.to.include(canary);
    }
    expect(cloud.logs.join('\n')).not.to.include(ws.clientSecret);
    expect(cloud.logs.some((l) => l.includes('"msg":"push batch"'))).to.equal(true);
  });

  it('rejects bad push requests with a clear 4xx; nothing reaches FCM and nothing changes', async () => {
    const t = fakeFcmToken();
    const before = await dump(cloud.db);
    const cases: Array<[unknown, Record<string, string> | undefined, number, string]> = [
      [{ tokens: [t], data: { a: '1' } }, {}, 401, 'error-invalid-workspace-credentials'],
      [{ tokens: [t], data: { a: '1' } }, { authorization: `Basic ${Buffer.from(`${ws.workspaceId}:ocs_${'B'.repeat(43)}`).toString('base64')}` }, 401, 'error-invalid-workspace-credentials'],
      [{ tokens: [t], data: { a: '1' } }, vendor.headers, 401, 'error-invalid-workspace-credentials'],
      [{ tokens: [], data: { a: '1' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: ['short'], data: { a: '1' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: ['has spaces in it and more'], data: { a: '1' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [{ $gt: '' }], data: { a: '1' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: { $ne: null }, data: { a: '1' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t] }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], notification: {} }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { from: 'x' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { google_x: 'x' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { a: 1 } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { a: { $gt: '' } } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], notification: { title: 'x', image: 'http://x' } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { a: '1' }, topic: 'all' }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { a: 'x'.repeat(2000), b: 'y'.repeat(2000), c: 'z'.repeat(500) } }, undefined, 400, 'error-invalid-params'],
      [{ tokens: [t], data: { a: '1' }, options: { ttlSeconds: -1 } }, undefined, 400, 'error-invalid-params'],
    ];
    for (const [body, headers, status, errorType] of cases) {
      const res = await push(body, headers ?? ws.headers);
      expect(res.status, JSON.stringify(body).slice(0, 100)).to.equal(status);
      expect(res.body.success).to.equal(false);
      expect(res.body.errorType).to.equal(errorType);
    }
    expect(fcm.requests).to.have.length(0);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('is rate-limited per workspace (429), without affecting other workspaces', async () => {
    const limited = await startCloudWithStandin({ ...MANY, CLOUD_PUSH_MAX_PER_MINUTE: '5' });
    try {
      const v = await signupAndLogin(limited.cloud);
      const a = await registerWorkspace(limited.cloud, v);
      const b = await registerWorkspace(limited.cloud, v);
      const send = (w: RegisteredWorkspace, n: number) =>
        limited.cloud.call('POST', '/push/send', { tokens: Array.from({ length: n }, () => fakeFcmToken()), data: { messageId: 'rl' } }, w.headers);
      expect((await send(a, 3)).status).to.equal(200);
      expect((await send(a, 2)).status).to.equal(200);
      const before = await dump(limited.cloud.db);
      const sentBefore = limited.fcm.requests.length;
      const over = await send(a, 1);
      expect(over.status).to.equal(429);
      expect(over.body.errorType).to.equal('error-too-many-requests');
      expect(Number(over.headers.get('retry-after'))).to.be.greaterThan(0);
      expect(limited.fcm.requests.length).to.equal(sentBefore);
      expect(await dump(limited.cloud.db)).to.deep.equal(before);
      expect((await send(b, 5)).status).to.equal(200);
    } finally {
      await limited.cloud.close();
      await limited.fcm.close();
    }
  });

  it('stops pushing at once after unregister or revoke', async () => {
    const w = await registerWorkspace(cloud, vendor);
    const t = fakeFcmToken();
    expect((await push({ tokens: [t], data: { messageId: 'x' } }, w.headers)).status).to.equal(200);
    expect((await cloud.call('DELETE', '/registry', undefined, w.headers)).status).to.equal(200);
    expect((await push({ tokens: [t], data: { messageId: 'y' } }, w.headers)).status).to.equal(401);
    expect(fcm.requestsFor(t)).to.have.length(1);
    // its usage goes with the registration
    expect(await cloud.db.collection('push_usage').countDocuments({ workspaceId: w.workspaceId })).to.equal(0);
    const r = await registerWorkspace(cloud, vendor);
    expect((await cloud.call('POST', '/registry/revoke', {}, r.headers)).status).to.equal(200);
    expect((await push({ tokens: [t], data: { messageId: 'z' } }, r.headers)).status).to.equal(401);
    expect(fcm.requestsFor(t)).to.have.length(1);
  });

  it('answers 503 when no FCM is configured', async () => {
    const off = await startTestCloud(MANY, { fcm: null });
    try {
      const v = await signupAndLogin(off);
      const w = await registerWorkspace(off, v);
      const res = await off.call('POST', '/push/send', { tokens: [fakeFcmToken()], data: { a: '1' } }, w.headers);
      expect(res.status).to.equal(503);
      expect(res.body.errorType).to.equal('error-push-gateway-unavailable');
    } finally {
      await off.close();
    }
  });

  it('can be pointed at the stand-in by configuration (FCM_MODE=standin), and refuses that in production', async () => {
    const standin = await startFcmStandin({ accessToken: 'configured-token', projectId: 'cfg-project' });
    const dir = mkdtempSync(join(tmpdir(), 'obmeet-cloud-ca-'));
    writeFileSync(join(dir, 'ca.pem'), standin.ca);
    const env = {
      ...MANY,
      FCM_MODE: 'standin',
      FCM_PROJECT_ID: 'cfg-project',
      FCM_STANDIN_URL: `https://127.0.0.1:${standin.port}`,
      FCM_STANDIN_CA_FILE: join(dir, 'ca.pem'),
      FCM_STANDIN_ACCESS_TOKEN: 'configured-token',
    };
    expect(() => loadConfig({ ...env, CLOUD_MONGO_URL: 'mongodb://127.0.0.1:1/x', NODE_ENV: 'production' })).to.throw(/development and tests only/);
    expect(() => loadConfig({ ...env, CLOUD_MONGO_URL: 'mongodb://127.0.0.1:1/x', FCM_STANDIN_URL: 'https://fcm.example.com:443' })).to.throw(/FCM_STANDIN_URL/);
    expect(fcmSettingsFromConfig(loadConfig({ CLOUD_MONGO_URL: 'mongodb://127.0.0.1:1/x' }).fcm)).to.equal(undefined);
    const configured = await startTestCloud(env);
    try {
      const v = await signupAndLogin(configured);
      const w = await registerWorkspace(configured, v);
      const t = fakeFcmToken();
      const res = await configured.call('POST', '/push/send', { tokens: [t], data: { messageId: 'cfg' } }, w.headers);
      expect(res.body.successCount).to.equal(1);
      expect(standin.requestsFor(t)[0]!.authorization).to.equal('Bearer configured-token');
      expect(standin.requestsFor(t)[0]!.path).to.equal('/v1/projects/cfg-project/messages:send');
    } finally {
      await configured.close();
      await standin.close();
    }
  });
});
