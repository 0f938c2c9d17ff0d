import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { installLoopbackGuard, type LoopbackGuard } from '@obmeet/test-kit';
import { StatisticsDocument } from '@obmeet/contracts';
import { basic, dump, registerWorkspace, signupAndLogin, startTestCloud, statisticsDoc, type RegisteredWorkspace, type TestCloud, type Vendor } from './helpers.js';

describe('cloud: statistics collector', function () {
  let cloud: TestCloud;
  let vendor: Vendor;
  let ws: RegisteredWorkspace;
  let guard: LoopbackGuard;
  before(async () => {
    guard = installLoopbackGuard();
    cloud = await startTestCloud({ CLOUD_STATS_MAX_PER_HOUR: '3' }, { fcm: null });
    vendor = await signupAndLogin(cloud);
    ws = await registerWorkspace(cloud, vendor);
  });
  after(async () => {
    await cloud?.close();
    guard.uninstall();
    expect(guard.violations, 'non-loopback connections').to.deep.equal([]);
  });

  const send = (doc: unknown, headers: Record<string, string> = {}) => cloud.call('POST', '/statistics', doc, headers);

  it('accepts a valid document from a registered workspace and stores exactly it, keyed by install id and day', async () => {
    const doc = statisticsDoc({ registered: true });
    const res = await send(doc, ws.headers);
    expect(res.status).to.equal(201);
    expect(res.body.receipt).to.include({ installId: doc.identity.installId, source: 'registered' });
    const stored = await cloud.db.collection('statistics').find({ installId: doc.identity.installId }).toArray();
    expect(stored).to.have.length(1);
    expect(stored[0]!.document).to.deep.equal(doc);
    expect(stored[0]!.workspaceId).to.equal(ws.workspaceId);
    // a resend the same day replaces the day's document
    doc.users.total = 13;
    expect((await send(doc, ws.headers)).status).to.equal(201);
    const again = await cloud.db.collection('statistics').find({ installId: doc.identity.installId }).toArray();
    expect(again).to.have.length(1);
    expect(again[0]!.document.users.total).to.equal(13);
  });

  it('accepts a document anonymously (admin opted in without registering), keyed by its install id', async () => {
    const doc = statisticsDoc({ registered: false });
    const res = await send(doc);
    expect(res.status).to.equal(201);
    expect(res.body.receipt).to.include({ installId: doc.identity.installId, source: 'anonymous' });
    const stored = await cloud.db.collection('statistics').findOne({ installId: doc.identity.installId });
    expect(stored!.source).to.equal('anonymous');
    expect(stored!.workspaceId).to.equal(undefined);
    expect(stored!.document).to.deep.equal(doc);
  });

  it('rejects an unknown field at the top level (400 naming it) and stores nothing', async () => {
    const before = await dump(cloud.db);
    const res = await send({ ...statisticsDoc(), siteUrl: 'https://chat.acme.example' }, ws.headers);
    expect(res.status).to.equal(400);
    expect(res.body.errorType).to.equal('error-invalid-params');
    expect(res.body.error).to.include('siteUrl');
    expect(res.body.details.unknownFields).to.deep.equal(['siteUrl']);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('rejects unknown nested fields at every level (400 naming them) and stores nothing', async () => {
    const before = await dump(cloud.db);
    const cases: Array<[(d: any) => void, string]> = [
      [(d) => (d.identity.hostname = 'chat.acme.example'), 'identity.hostname'],
      [(d) => (d.platform.cpuModel = 'Xeon'), 'platform.cpuModel'],
      [(d) => (d.platform.database.host = '10.0.0.5'), 'platform.database.host'],
      [(d) => (d.platform.os.release = '6.1'), 'platform.os.release'],
      [(d) => (d.users.names = ['alice']), 'users.names'],
      [(d) => (d.rooms.general = 1), 'rooms.general'],
      [(d) => (d.messages.lastMessage = 'hello'), 'messages.lastMessage'],
      [(d) => (d.files.names = ['x.pdf']), 'files.names'],
      [(d) => (d.meetings.titles = []), 'meetings.titles'],
      [(d) => (d.apps.list = []), 'apps.list'],
      [(d) => (d.integrations.urls = []), 'integrations.urls'],
      [(d) => (d.features.country = 'DE'), 'features.country'],
    ];
    for (const [mutate, field] of cases) {
      const doc = statisticsDoc();
      mutate(doc);
      const res = await send(doc, ws.headers);
      expect(res.status, field).to.equal(400);
      expect(res.body.error).to.include(field);
      expect(res.body.details.unknownFields).to.deep.equal([field]);
    }
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('rejects wrong types, free text where a version or count belongs, and injection objects', async () => {
    const before = await dump(cloud.db);
    const cases: Array<(d: any) => void> = [
      (d) => (d.identity.installId = 'my-hostname'),
      (d) => (d.identity.installId = { $gt: '' }),
      (d) => (d.identity.schemaVersion = 2),
      (d) => (d.identity.obmeetVersion = 'acme-corp chat'),
      (d) => (d.platform.database.version = '7.0 on db.acme.internal'),
      (d) => (d.platform.nodeVersion = '20.19.1'),
      (d) => (d.platform.uptimeDays = 12),
      (d) => (d.users.total = -1),
      (d) => (d.users.total = 1.5),
      (d) => (d.users.total = '12'),
      (d) => (d.messages.total = { $inc: 1 }),
      (d) => (d.features.pushContentMode = 'everything'),
      (d) => delete d.rooms,
      (d) => delete d.users.bots,
    ];
    for (const mutate of cases) {
      const doc = statisticsDoc();
      mutate(doc);
      const res = await send(doc, ws.headers);
      expect(res.status, mutate.toString()).to.equal(400);
      expect(res.body.errorType).to.equal('error-invalid-params');
    }
    for (const body of [[], 'text', { $where: '1' }]) {
      expect((await send(body, ws.headers)).status).to.equal(400);
    }
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('refuses wrong credentials with 401 (never silently anonymous) and a registered flag that does not match', async () => {
    const before = await dump(cloud.db);
    const wrong = await send(statisticsDoc(), basic(ws.workspaceId, `ocs_${'C'.repeat(43)}`));
    expect(wrong.status).to.equal(401);
    expect(wrong.body.errorType).to.equal('error-invalid-workspace-credentials');
    const claimsRegistered = await send(statisticsDoc({ registered: true }));
    expect(claimsRegistered.status).to.equal(400);
    expect(claimsRegistered.body.error).to.match(/identity\.registered/);
    const claimsUnregistered = await send(statisticsDoc({ registered: false }), ws.headers);
    expect(claimsUnregistered.status).to.equal(400);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('keeps a registered install id to its workspace until it unregisters', async () => {
    const w = await registerWorkspace(cloud, vendor);
    const installId = randomUUID();
    expect((await send(statisticsDoc({ installId, registered: true }), w.headers)).status).to.equal(201);
    const before = await dump(cloud.db);
    const anon = await send(statisticsDoc({ installId, registered: false }));
    expect(anon.status).to.equal(409);
    expect(anon.body.errorType).to.equal('error-install-id-registered');
    const otherWs = await send(statisticsDoc({ installId, registered: true }), ws.headers);
    expect(otherWs.status).to.equal(409);
    expect(await dump(cloud.db)).to.deep.equal(before);
    expect((await cloud.call('DELETE', '/registry', undefined, w.headers)).status).to.equal(200);
    // unregistered, the admin may keep sharing anonymously
    expect((await send(statisticsDoc({ installId, registered: false }))).status).to.equal(201);
  });

  it('limits documents per install id (429) and stores nothing more', async () => {
    const installId = randomUUID();
    for (let i = 0; i < 3; i++) expect((await send(statisticsDoc({ installId, registered: false }))).status).to.equal(201);
    const before = await dump(cloud.db);
    const res = await send(statisticsDoc({ installId, registered: false }));
    expect(res.status).to.equal(429);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('the published schema accepts exactly the fields of statistics.md', () => {
    const doc = statisticsDoc();
    expect(StatisticsDocument.parse(doc)).to.deep.equal(doc);
    expect(Object.keys(StatisticsDocument.shape)).to.deep.equal([
      'identity', 'platform', 'users', 'rooms', 'messages', 'files', 'meetings', 'apps', 'integrations', 'features',
    ]);
  });
});
