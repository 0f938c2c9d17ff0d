import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { installLoopbackGuard, registerUser, type LoopbackGuard, type TestUser } from '@obmeet/test-kit';
import { startWithAdmin, type TestServer } from '../helpers.js';
import { registerWorkspace, startCloudLink, type TestCloudLink } from '../cloud-helpers.js';

describe('cloud link: registration, egress client, outbound log', function () {
  this.timeout(60_000);
  let guard: LoopbackGuard;
  let link: TestCloudLink;
  let server: TestServer;
  let admin: TestUser;
  let user: TestUser;

  before(async () => {
    guard = installLoopbackGuard();
    link = await startCloudLink();
    ({ server, admin } = await startWithAdmin({ CLOUD_URL: link.url }));
    user = await registerUser(server.url);
  });
  after(async () => {
    await server?.close();
    await link?.close();
    guard.uninstall();
    expect(guard.violations).to.deep.equal([]);
  });

  async function rawDb() {
    const client = await MongoClient.connect(server.mongoUrl);
    return { client, db: client.db() };
  }
  const log = async (q: Record<string, string | number> = {}) => (await admin.api.get('outbound.log', q)).body;

  it('starts unregistered; admin-only endpoints answer 403 to users; bad input is a 400', async () => {
    const r = await admin.api.get('cloud.registration');
    expect(r.status).to.equal(200);
    expect(r.body.registration).to.deep.equal({ state: 'unregistered', cloudUrl: link.url });
    for (const [m, p] of [['get', 'cloud.registration'], ['post', 'cloud.register'], ['post', 'cloud.unregister'], ['post', 'cloud.refresh'], ['get', 'outbound.log']] as const) {
      const res = m === 'get' ? await user.api.get(p) : await user.api.post(p, { token: 'x' });
      expect(res.status, p).to.equal(403);
      expect(res.body.errorType).to.equal('error-not-allowed');
    }
    const bad = await admin.api.post('cloud.register', { token: 'not-a-token' });
    expect(bad.status).to.equal(400);
    expect(bad.body.errorType).to.equal('error-invalid-params');
    const extra = await admin.api.post('cloud.register', { token: `ort_${'a'.repeat(43)}`, more: 1 });
    expect(extra.status).to.equal(400);
    expect((await log({ count: 5, status: 'bogus' } as never)).success).to.equal(false);
    expect(link.received).to.have.length(0);
    expect((await log()).total).to.equal(0);
  });

  it('refuses every cloud call while unregistered: nothing sent, logged as refused', async () => {
    const before = link.connections();
    for (const req of [
      { purpose: 'push', method: 'POST', path: '/api/v1/push/send', body: { tokens: ['x'] } },
      { purpose: 'registration', method: 'GET', path: '/api/v1/registry/self' },
      { purpose: 'statistics', method: 'POST', path: '/api/v1/statistics', body: {}, auth: 'none' }, // sharing is off
      { purpose: 'marketplace', method: 'GET', path: '/api/v1/apps', auth: 'none' },
    ] as const) {
      const err = await server.workspace.egress.request(req).then(() => null, (e: unknown) => e as { errorType: string });
      expect(err?.errorType, req.path).to.equal('error-workspace-not-registered');
    }
    expect(link.connections()).to.equal(before);
    expect(link.received).to.have.length(0);
    const l = await log({ status: 'refused' });
    expect(l.total).to.equal(4);
    expect(l.entries.every((e: { bytes: number }) => e.bytes === 0)).to.equal(true);
    expect((await admin.api.post('cloud.refresh', {})).body.errorType).to.equal('error-workspace-not-registered');
    expect((await admin.api.post('cloud.unregister', {})).body.errorType).to.equal('error-workspace-not-registered');
  });

  it('an invalid token is refused by the cloud; the workspace stays unregistered', async () => {
    const res = await admin.api.post('cloud.register', { token: `ort_${'b'.repeat(43)}` });
    expect(res.status).to.equal(502);
    expect(res.body.errorType).to.equal('error-cloud-rejected');
    expect(res.body.details.errorType).to.equal('error-invalid-registration-token');
    expect((await admin.api.get('cloud.registration')).body.registration.state).to.equal('unregistered');
    const { client, db } = await rawDb();
    expect(await db.collection('cloud_state').countDocuments({})).to.equal(0);
    await client.close();
  });

  it('registers with a token; the client secret is sealed at rest and works against the cloud', async () => {
    const workspaceId = await registerWorkspace(admin, link);
    const reg = (await admin.api.get('cloud.registration', { verify: 'true' })).body.registration;
    expect(reg).to.include({ state: 'registered', workspaceId });
    expect(reg.lastCheck.result).to.equal('active');
    const creds = await server.workspace.cloud.credentials();
    expect(creds?.workspaceId).to.equal(workspaceId);
    expect(creds?.clientSecret).to.match(/^ocs_/);
    // the raw database never holds the secret in clear text, in any collection
    const { client, db } = await rawDb();
    const all: unknown[] = [];
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) all.push(...(await db.collection(c.name).find({}).toArray()));
    const text = JSON.stringify(all);
    expect(text).to.not.include(creds!.clientSecret);
    expect(text).to.not.include(creds!.clientSecret.slice(4));
    const doc = await db.collection('cloud_state').findOne({ _id: 'registration' as never });
    expect(doc?.sealedSecret.alg).to.equal('aes-256-gcm');
    await client.close();
    // the redeem and the verify are both in the log, matching what the cloud received
    const l = await log({ purpose: 'registration', status: 'ok' });
    expect(l.entries.map((e: { method: string; endpoint: string }) => `${e.method} ${e.endpoint}`)).to.deep.equal([
      `GET ${link.url}/api/v1/registry/self`,
      `POST ${link.url}/api/v1/registry/redeem`,
    ]);
    // (the first request the cloud received was the invalid token of the previous test)
    const got = link.received.slice(1);
    expect(got.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /api/v1/registry/redeem', 'GET /api/v1/registry/self']);
    expect(l.entries[1].payload).to.equal(got[0]!.body);
    expect(got[1]!.authorization).to.match(/^Basic /);
    expect(got[0]!.authorization).to.equal(undefined);
    // registering twice is a conflict, nothing sent
    const n = link.received.length;
    const again = await admin.api.post('cloud.register', { token: `ort_${'c'.repeat(43)}` });
    expect(again.status).to.equal(409);
    expect(again.body.errorType).to.equal('error-workspace-already-registered');
    expect(link.received.length).to.equal(n);
  });

  it('a large body is logged as a summary whose hash and size match what the cloud received', async () => {
    const tokens = Array.from({ length: 500 }, (_, i) => `tok${String(i).padStart(4, '0')}_${'x'.repeat(40)}`);
    const body = { tokens, data: { messageId: 'abc' } };
    const err = await server.workspace.egress.request({ purpose: 'push', method: 'POST', path: '/api/v1/push/send', body }).catch((e: unknown) => e);
    // this test cloud runs without FCM: the gateway answers 503
    expect((err as { errorType: string }).errorType).to.equal('error-cloud-rejected');
    expect((err as { details: { status: number } }).details.status).to.equal(503);
    const entry = (await log({ purpose: 'push', status: 'error' })).entries[0];
    const got = link.received.at(-1)!;
    expect(entry.payload).to.equal(undefined);
    expect(entry.bytes).to.equal(Buffer.byteLength(got.body));
    expect(entry.bytes).to.be.greaterThan(16 * 1024);
    expect(entry.payloadSummary.bytes).to.equal(entry.bytes);
    expect(entry.payloadSummary.sha256).to.equal(createHash('sha256').update(got.body).digest('hex'));
    expect(got.body.startsWith(entry.payloadSummary.head)).to.equal(true);
    expect(entry).to.include({ status: 503, errorType: 'error-push-gateway-unavailable', auth: 'workspace' });
  });

  it('refresh: a new secret, the old one is refused by the cloud', async () => {
    const old = (await server.workspace.cloud.credentials())!;
    const res = await admin.api.post('cloud.refresh', {});
    expect(res.status).to.equal(200);
    const now = (await server.workspace.cloud.credentials())!;
    expect(now.workspaceId).to.equal(old.workspaceId);
    expect(now.clientSecret).to.not.equal(old.clientSecret);
    const basic = (c: typeof old) => ({ authorization: `Basic ${Buffer.from(`${c.workspaceId}:${c.clientSecret}`).toString('base64')}` });
    expect((await link.call('GET', '/registry/self', undefined, basic(old))).status).to.equal(401);
    expect((await link.call('GET', '/registry/self', undefined, basic(now))).status).to.equal(200);
  });

  it('detects credentials revoked at the cloud and then refuses to send', async () => {
    const creds = (await server.workspace.cloud.credentials())!;
    const basic = { authorization: `Basic ${Buffer.from(`${creds.workspaceId}:${creds.clientSecret}`).toString('base64')}` };
    expect((await link.call('POST', '/registry/revoke', {}, basic)).status).to.equal(200);
    const reg = (await admin.api.get('cloud.registration', { verify: '1' })).body.registration;
    expect(reg.state).to.equal('revoked');
    expect(reg.lastCheck.result).to.equal('revoked');
    expect(await server.workspace.egress.isRegistered()).to.equal(false);
    const n = link.received.length;
    const err = await server.workspace.egress.request({ purpose: 'push', method: 'POST', path: '/api/v1/push/send', body: {} }).catch((e: { errorType: string }) => e);
    expect((err as { errorType: string }).errorType).to.equal('error-workspace-not-registered');
    expect(link.received.length).to.equal(n);
    // unregister after revocation only forgets locally (the credentials no longer work)
    const un = await admin.api.post('cloud.unregister', {});
    expect(un.status).to.equal(200);
    expect(un.body.registration.state).to.equal('unregistered');
    expect(link.received.length).to.equal(n);
  });

  it('unregister deletes the registration on both sides', async () => {
    const workspaceId = await registerWorkspace(admin, link);
    const creds = (await server.workspace.cloud.credentials())!;
    const res = await admin.api.post('cloud.unregister', {});
    expect(res.status).to.equal(200);
    expect(res.body.registration).to.deep.equal({ state: 'unregistered', cloudUrl: link.url });
    expect(link.received.at(-1)).to.include({ method: 'DELETE', path: '/api/v1/registry' });
    const basic = { authorization: `Basic ${Buffer.from(`${workspaceId}:${creds.clientSecret}`).toString('base64')}` };
    expect((await link.call('GET', '/registry/self', undefined, basic)).status).to.equal(401);
  });

  it('outbound log: newest first, paging with count/offset, filters by purpose, status and dates', async () => {
    const all = await log({ count: 200 });
    expect(all.total).to.be.greaterThan(8);
    const ats = all.entries.map((e: { at: string }) => e.at);
    expect([...ats].sort().reverse()).to.deep.equal(ats);
    const p1 = await log({ count: 3, offset: 0 });
    const p2 = await log({ count: 3, offset: 3 });
    expect(p1.entries.map((e: { _id: string }) => e._id)).to.deep.equal(all.entries.slice(0, 3).map((e: { _id: string }) => e._id));
    expect(p2.entries.map((e: { _id: string }) => e._id)).to.deep.equal(all.entries.slice(3, 6).map((e: { _id: string }) => e._id));
    expect(p1.total).to.equal(all.total);
    const push = await log({ purpose: 'push' });
    expect(push.entries.every((e: { purpose: string }) => e.purpose === 'push')).to.equal(true);
    expect(push.total).to.be.greaterThan(0);
    const future = await log({ from: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.total).to.equal(0);
    const past = await log({ to: new Date(Date.now() + 3_600_000).toISOString() });
    expect(past.total).to.equal(all.total);
    const bad = await admin.api.get('outbound.log', { from: 'yesterday' });
    expect(bad.status).to.equal(400);
    expect((await admin.api.get('outbound.log', { count: 0 })).status).to.equal(400);
  });

  it('an unreachable cloud: unregister says so and keeps the credentials; forgetLocally deletes them', async () => {
    const link2 = await startCloudLink();
    const { server: s2, admin: a2 } = await startWithAdmin({ CLOUD_URL: link2.url });
    try {
      await registerWorkspace(a2, link2);
      await link2.close();
      const un = await a2.api.post('cloud.unregister', {});
      expect(un.status).to.equal(502);
      expect(un.body.errorType).to.equal('error-cloud-unreachable');
      expect(un.body.error).to.include('forgetLocally');
      expect((await a2.api.get('cloud.registration')).body.registration.state).to.equal('registered');
      const l = (await a2.api.get('outbound.log')).body;
      expect(l.entries[0]).to.include({ outcome: 'error', errorType: 'error-cloud-unreachable', purpose: 'registration', method: 'DELETE' });
      const forget = await a2.api.post('cloud.unregister', { forgetLocally: true });
      expect(forget.status).to.equal(200);
      expect(forget.body.registration.state).to.equal('unregistered');
      expect((await a2.api.get('outbound.log')).body.total).to.equal(l.total);
    } finally {
      await s2.close();
    }
  });

  it('a misbehaving cloud: oversized, hanging and redirecting answers are cut off, logged as errors, nothing stored', async () => {
    const hits: string[] = [];
    const bad = createServer((req, res) => {
      hits.push(req.url ?? '');
      const mode = hits.length;
      if (mode === 1) {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ workspaceId: 'w1', clientSecret: `ocs_${'a'.repeat(43)}`, pad: 'x'.repeat(2 * 1024 * 1024) }));
      } else if (mode === 2) {
        // never answers: the client's time limit ends it
      } else {
        res.writeHead(307, { location: `${link.url}/api/v1/registry/redeem` }).end();
      }
    });
    await new Promise<void>((ok) => bad.listen(0, '127.0.0.1', ok));
    const { server: s2, admin: a2 } = await startWithAdmin({ CLOUD_URL: `http://127.0.0.1:${(bad.address() as AddressInfo).port}`, CLOUD_TIMEOUT_MS: '300' });
    try {
      const received = link.received.length;
      for (let i = 0; i < 3; i++) {
        const r = await a2.api.post('cloud.register', { token: `ort_${'d'.repeat(43)}` });
        expect(r.status, `attempt ${i}`).to.equal(502);
        expect(r.body.errorType).to.equal('error-cloud-unreachable');
      }
      expect(hits).to.have.length(3);
      // the redirect was not followed
      expect(link.received.length).to.equal(received);
      expect((await a2.api.get('cloud.registration')).body.registration.state).to.equal('unregistered');
      const entries = (await a2.api.get('outbound.log')).body.entries as { outcome: string; error: string }[];
      expect(entries.map((e) => e.outcome)).to.deep.equal(['error', 'error', 'error']);
      expect(entries[2]!.error).to.include('larger than');
      expect(entries[1]!.error).to.match(/timeout|abort/i);
    } finally {
      bad.closeAllConnections();
      await new Promise<void>((ok) => bad.close(() => ok()));
      await s2.close();
    }
  });
});
