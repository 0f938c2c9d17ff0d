import { expect } from 'chai';
import { installLoopbackGuard, type LoopbackGuard } from '@obmeet/test-kit';
import { basic, dump, registerWorkspace, signupAndLogin, startTestCloud, TestClock, type TestCloud, type Vendor } from './helpers.js';

describe('cloud: workspace registry', function () {
  let cloud: TestCloud;
  let vendor: Vendor;
  let guard: LoopbackGuard;
  const clock = new TestClock();
  before(async () => {
    guard = installLoopbackGuard();
    cloud = await startTestCloud({}, { clock, fcm: null });
    vendor = await signupAndLogin(cloud);
  });
  after(async () => {
    await cloud?.close();
    guard.uninstall();
    expect(guard.violations, 'non-loopback connections').to.deep.equal([]);
  });

  it('token → redeem → credentials work → refresh (old secret refused) → revoke (refused) ', async () => {
    const t = await cloud.call('POST', '/console/registration-tokens', { label: 'Acme HQ', ttlMinutes: 60 }, vendor.headers);
    expect(t.status).to.equal(201);
    expect(t.body.token).to.match(/^ort_[A-Za-z0-9_-]{43}$/);
    expect(new Date(t.body.expiresAt).getTime() - clock.now().getTime()).to.equal(60 * 60_000);

    const r = await cloud.call('POST', '/registry/redeem', { token: t.body.token });
    expect(r.status).to.equal(201);
    expect(r.body.workspaceId).to.be.a('string');
    expect(r.body.clientSecret).to.match(/^ocs_/);
    const first = basic(r.body.workspaceId, r.body.clientSecret);

    const self = await cloud.call('GET', '/registry/self', undefined, first);
    expect(self.status).to.equal(200);
    expect(self.body.workspace).to.include({ workspaceId: r.body.workspaceId, label: 'Acme HQ', status: 'active' });

    // the console lists it; the secret and the token are stored only hashed
    const list = await cloud.call('GET', '/console/workspaces', undefined, vendor.headers);
    expect(list.body.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).to.include(r.body.workspaceId);
    const all = JSON.stringify(await dump(cloud.db));
    expect(all).not.to.include(r.body.clientSecret);
    expect(all).not.to.include(t.body.token);

    const refreshed = await cloud.call('POST', '/registry/refresh', {}, first);
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.workspaceId).to.equal(r.body.workspaceId);
    expect(refreshed.body.clientSecret).not.to.equal(r.body.clientSecret);
    const old = await cloud.call('GET', '/registry/self', undefined, first);
    expect(old.status).to.equal(401);
    expect(old.body.errorType).to.equal('error-invalid-workspace-credentials');
    const second = basic(refreshed.body.workspaceId, refreshed.body.clientSecret);
    expect((await cloud.call('GET', '/registry/self', undefined, second)).status).to.equal(200);

    expect((await cloud.call('POST', '/registry/revoke', {}, second)).status).to.equal(200);
    expect((await cloud.call('GET', '/registry/self', undefined, second)).status).to.equal(401);
    expect((await cloud.call('POST', '/registry/refresh', {}, second)).status).to.equal(401);
    const afterRevoke = await cloud.call('GET', '/console/workspaces', undefined, vendor.headers);
    const listed = afterRevoke.body.workspaces.find((w: { workspaceId: string }) => w.workspaceId === r.body.workspaceId);
    expect(listed.status).to.equal('revoked');
    expect(listed.revokedAt).to.be.a('string');
  });

  it('unregistering deletes the registration and its credentials', async () => {
    const ws = await registerWorkspace(cloud, vendor);
    expect((await cloud.call('DELETE', '/registry', undefined, ws.headers)).status).to.equal(200);
    expect((await cloud.call('GET', '/registry/self', undefined, ws.headers)).status).to.equal(401);
    expect(await cloud.db.collection('workspaces').findOne({ _id: ws.workspaceId as never })).to.equal(null);
    const list = await cloud.call('GET', '/console/workspaces', undefined, vendor.headers);
    expect(list.body.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).not.to.include(ws.workspaceId);
  });

  it('refuses a token redeemed twice, an expired one and an unknown one', async () => {
    const t = await cloud.call('POST', '/console/registration-tokens', { ttlMinutes: 5 }, vendor.headers);
    expect((await cloud.call('POST', '/registry/redeem', { token: t.body.token })).status).to.equal(201);
    const before = await dump(cloud.db);
    const twice = await cloud.call('POST', '/registry/redeem', { token: t.body.token });
    expect(twice.status).to.equal(400);
    expect(twice.body.errorType).to.equal('error-invalid-registration-token');
    expect(twice.body.error).to.match(/already been used/);

    const unknown = await cloud.call('POST', '/registry/redeem', { token: `ort_${'x'.repeat(43)}` });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.errorType).to.equal('error-invalid-registration-token');
    expect(await dump(cloud.db)).to.deep.equal(before);

    const late = await cloud.call('POST', '/console/registration-tokens', { ttlMinutes: 5 }, vendor.headers);
    clock.advance(6 * 60_000);
    const snapshot = await dump(cloud.db);
    const expired = await cloud.call('POST', '/registry/redeem', { token: late.body.token });
    expect(expired.status).to.equal(400);
    expect(expired.body.error).to.match(/expired/);
    expect(await dump(cloud.db)).to.deep.equal(snapshot);

    // the scheduled cleanup deletes expired tokens (FerretDB has no TTL indexes)
    await cloud.cleanup();
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(late.body.token).digest('hex');
    expect(await cloud.db.collection('registration_tokens').findOne({ _id: hash as never })).to.equal(null);
  });

  it('keeps accounts apart: another account neither lists nor removes a workspace (404)', async () => {
    const ws = await registerWorkspace(cloud, vendor);
    const other = await signupAndLogin(cloud);
    const list = await cloud.call('GET', '/console/workspaces', undefined, other.headers);
    expect(list.body.workspaces).to.deep.equal([]);
    const del = await cloud.call('DELETE', `/console/workspaces/${ws.workspaceId}`, undefined, other.headers);
    expect(del.status).to.equal(404);
    const usage = await cloud.call('GET', `/console/workspaces/${ws.workspaceId}/usage`, undefined, other.headers);
    expect(usage.status).to.equal(404);
    expect((await cloud.call('GET', '/registry/self', undefined, ws.headers)).status).to.equal(200);
    // the owner can remove it from the console: the credentials stop working
    expect((await cloud.call('DELETE', `/console/workspaces/${ws.workspaceId}`, undefined, vendor.headers)).status).to.equal(200);
    expect((await cloud.call('GET', '/registry/self', undefined, ws.headers)).status).to.equal(401);
  });

  it('answers wrong or malformed workspace credentials with the same 401 and changes nothing', async () => {
    const ws = await registerWorkspace(cloud, vendor);
    const before = await dump(cloud.db);
    const variants: Record<string, string>[] = [
      {},
      basic(ws.workspaceId, `ocs_${'A'.repeat(43)}`),
      basic('NoSuchWorkspace01', ws.clientSecret),
      basic(ws.workspaceId, ''),
      basic('{"$gt":""}', ws.clientSecret),
      { authorization: `Basic ${Buffer.from(ws.workspaceId).toString('base64')}` },
      { authorization: 'Basic !!!' },
      { authorization: `Bearer ${ws.clientSecret}` },
      { authorization: `basic ${Buffer.from(`${ws.workspaceId}:${ws.clientSecret}`).toString('base64')}` },
    ];
    for (const headers of variants) {
      for (const [method, path] of [['POST', '/registry/refresh'], ['POST', '/registry/revoke'], ['DELETE', '/registry'], ['GET', '/registry/self']] as const) {
        const res = await cloud.call(method, path, method === 'POST' ? {} : undefined, headers);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).to.equal(401);
        expect(res.body.errorType).to.equal('error-invalid-workspace-credentials');
      }
    }
    expect(await dump(cloud.db)).to.deep.equal(before);
    expect((await cloud.call('GET', '/registry/self', undefined, ws.headers)).status).to.equal(200);
  });

  it('rejects malformed registry input with a 4xx and changes nothing', async () => {
    const before = await dump(cloud.db);
    const bad: Array<[string, string, unknown, Record<string, string>]> = [
      ['POST', '/registry/redeem', { token: { $gt: '' } }, {}],
      ['POST', '/registry/redeem', { token: 'ort_short' }, {}],
      ['POST', '/registry/redeem', { token: `ort_${'a'.repeat(43)}`, workspaceId: 'mine' }, {}],
      ['POST', '/registry/redeem', [], {}],
      ['POST', '/console/registration-tokens', { ttlMinutes: 0 }, vendor.headers],
      ['POST', '/console/registration-tokens', { ttlMinutes: 999999 }, vendor.headers],
      ['POST', '/console/registration-tokens', { accountId: 'someone-else' }, vendor.headers],
      ['DELETE', '/console/workspaces/bad$id', undefined, vendor.headers],
    ];
    for (const [method, path, body, headers] of bad) {
      const res = await cloud.call(method, path, body, headers);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(res.body.errorType).to.equal('error-invalid-params');
    }
    expect(await dump(cloud.db)).to.deep.equal(before);
  });
});
