import { expect } from 'chai';
import { installLoopbackGuard, registerUser, type LoopbackGuard, type TestUser } from '@obmeet/test-kit';
import { StatisticsDocument } from '@obmeet/contracts';
import { ManualClock } from '../../src/clock.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { createChannel, send, startTestServer, type TestServer } from '../helpers.js';
import { registerWorkspace, startCloudLink, type TestCloudLink } from '../cloud-helpers.js';

const HOUR = 3_600_000;

describe('statistics: info page, preview, sharing, scheduler', function () {
  this.timeout(60_000);
  let guard: LoopbackGuard;
  let link: TestCloudLink;
  let server: TestServer;
  let clock: ManualClock;
  let admin: TestUser;
  let user: TestUser;

  before(async () => {
    guard = installLoopbackGuard();
    link = await startCloudLink();
    clock = new ManualClock(new Date('2026-05-10T10:00:00Z'));
    server = await startTestServer({ CLOUD_URL: link.url }, clock);
    admin = await registerUser(server.url);
    user = await registerUser(server.url);
  });
  after(async () => {
    await server?.close();
    await link?.close();
    guard.uninstall();
    expect(guard.violations).to.deep.equal([]);
  });

  const day = async (hours = 24) => {
    const ran: string[] = [];
    for (let h = 0; h < hours; h++) {
      clock.advance(HOUR);
      ran.push(...(await server.workspace.scheduler.runDue()));
    }
    return ran;
  };

  it('is admin only; bad input is a 400 and changes nothing', async () => {
    for (const p of ['statistics.info', 'statistics.preview', 'statistics.sharing']) {
      expect((await user.api.get(p)).status, p).to.equal(403);
    }
    expect((await user.api.post('statistics.sharing', { enabled: true })).status).to.equal(403);
    for (const body of [{}, { enabled: 'yes' }, { enabled: true, extra: 1 }]) {
      const r = await admin.api.post('statistics.sharing', body);
      expect(r.status).to.equal(400);
      expect(r.body.errorType).to.equal('error-invalid-params');
    }
    expect((await admin.api.get('statistics.preview', { x: 1 })).status).to.equal(400);
    expect((await admin.api.get('statistics.sharing')).body.sharing.enabled).to.equal(false);
  });

  it('the info page and the preview come from one builder; the document validates against the collector schema', async () => {
    const room = await createChannel(admin, { members: [user.username] });
    await send(admin, room._id, 'one');
    await send(user, room._id, 'two');
    await server.workspace.statistics.rollup();
    const info = (await admin.api.get('statistics.info')).body.info;
    const preview = (await admin.api.get('statistics.preview')).body.preview;
    expect(StatisticsDocument.safeParse(preview.document).success).to.equal(true);
    expect(preview.json).to.equal(JSON.stringify(preview.document));
    expect(preview.bytes).to.equal(Buffer.byteLength(preview.json));
    expect(info.document).to.deep.equal(preview.document);
    expect(info.document.users).to.include({ total: 2, active: 2, activeLast1d: 2 });
    expect(info.document.rooms.channels).to.equal(1);
    expect(info.document.messages).to.include({ total: 2, last1d: 2 });
    expect(info.document.identity.registered).to.equal(false);
    expect(info.document.features.statisticsSharing).to.equal(false);
    expect(info.local.users.byRole.admin).to.equal(1);
    expect(info.local.rooms.byType.c).to.equal(1);
    expect(info.local.series.messagesPerDay).to.have.length(30);
    expect(info.local.series.messagesPerDay.at(-1)).to.deep.equal({ day: '2026-05-10', value: 2 });
    expect(info.local.series.activeUsersPerDay.at(-1)).to.deep.equal({ day: '2026-05-10', value: 2 });
    // the install id is random (UUID v4) and stable
    expect(info.document.identity.installId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await admin.api.get('statistics.preview')).body.preview.document.identity.installId).to.equal(info.document.identity.installId);
  });

  it('off by default: a day of jobs sends nothing; on while unregistered: one anonymous document a day; off again: nothing', async () => {
    await day();
    expect(link.received).to.have.length(0);
    const on = (await admin.api.post('statistics.sharing', { enabled: true })).body.sharing;
    expect(on).to.include({ enabled: true, mode: 'anonymous' });
    expect(on.nextRunAt).to.be.a('string');
    await day();
    expect(link.received.map((r) => `${r.method} ${r.path} ${r.status}`)).to.deep.equal(['POST /api/v1/statistics 201']);
    expect(link.received[0]!.authorization).to.equal(undefined);
    const sharing = (await admin.api.get('statistics.sharing')).body.sharing;
    expect(sharing.lastResult).to.include({ ok: true });
    expect(sharing.lastSentAt).to.be.a('string');
    const log = (await admin.api.get('outbound.log', { purpose: 'statistics' })).body;
    expect(log.total).to.equal(1);
    expect(log.entries[0]).to.include({ auth: 'none', outcome: 'ok', status: 201, payload: link.received[0]!.body });
    await admin.api.post('statistics.sharing', { enabled: false });
    await day();
    expect(link.received).to.have.length(1);
  });

  it('registered: sent with the workspace credentials', async () => {
    await registerWorkspace(admin, link);
    await admin.api.post('statistics.sharing', { enabled: true });
    await day();
    const sent = link.received.filter((r) => r.path === '/api/v1/statistics');
    expect(sent).to.have.length(2);
    expect(sent[1]!.authorization).to.match(/^Basic /);
    expect(sent[1]!.status).to.equal(201);
    expect(JSON.parse(sent[1]!.body).identity.registered).to.equal(true);
    expect((await admin.api.get('statistics.sharing')).body.sharing.mode).to.equal('registered');
  });

  it('the scheduler runs due jobs by the injected clock, once per jump, and survives a failing job', async () => {
    const c = new ManualClock(0);
    const s = new Scheduler(c);
    const runs: string[] = [];
    s.add({ name: 'a', everyMs: HOUR, run: async () => void runs.push('a') });
    s.add({ name: 'b', everyMs: 2 * HOUR, run: async () => { runs.push('b'); throw new Error('boom'); } });
    expect(await s.runDue()).to.deep.equal([]);
    c.advance(HOUR);
    expect(await s.runDue()).to.deep.equal(['a']);
    c.advance(HOUR);
    expect(await s.runDue()).to.deep.equal(['a', 'b']);
    c.advance(10 * HOUR);
    expect(await s.runDue()).to.deep.equal(['a', 'b']);
    expect(s.nextRunAt('a')?.getTime()).to.equal(13 * HOUR);
    expect(runs).to.deep.equal(['a', 'a', 'b', 'a', 'b']);
  });
});
