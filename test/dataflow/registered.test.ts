import { expect } from 'chai';
import { installLoopbackGuard, type LoopbackGuard } from '@obmeet/test-kit';
import type { OutboundLogEntryDto } from '@obmeet/contracts';
import { HOUR, fullScenario, runADayOfJobs, startRecordedCloud, startWorkspace, type Cloud, type Workspace } from './helpers.js';

/**
 * product.md: every transmission to the vendor goes through the egress client and is in the
 * outbound data log. A registered workspace with statistics on runs a scenario and two days of
 * jobs; the requests the real cloud received (recorded byte for byte by a proxy in front of it)
 * equal the log entries one for one, payload for payload.
 */
describe('data flow: a registered workspace with statistics on', function () {
  this.timeout(120_000);
  let guard: LoopbackGuard;
  let cloud: Cloud;
  let ws: Workspace;

  before(async () => {
    guard = installLoopbackGuard();
    cloud = await startRecordedCloud();
    ws = await startWorkspace(cloud.url);
  });
  after(async () => {
    await ws?.close();
    await cloud?.close();
    guard.uninstall();
  });

  it('the cloud received exactly what the outbound log shows', async () => {
    const { admin } = await fullScenario(ws);
    const reg = await admin.api.post('cloud.register', { token: await cloud.registrationToken() });
    expect(reg.status).to.equal(200);
    expect((await admin.api.post('statistics.sharing', { enabled: true })).body.sharing).to.include({ enabled: true, mode: 'registered' });
    await admin.api.get('cloud.registration', { verify: 'true' });
    await admin.api.post('cloud.refresh', {});
    const day1 = await runADayOfJobs(ws);
    const day2 = await runADayOfJobs(ws);
    expect(day1.length + day2.length).to.be.greaterThan(0);

    const entries: OutboundLogEntryDto[] = (await admin.api.get('outbound.log', { count: 200 })).body.entries;
    const received = cloud.proxy.received;
    // redeem, verify, refresh, two statistics documents (one per day)
    expect(entries.map((e) => e.purpose).sort()).to.deep.equal(['registration', 'registration', 'registration', 'statistics', 'statistics']);
    expect(entries.every((e) => e.outcome === 'ok')).to.equal(true);
    const fromLog = entries
      .map((e) => ({ method: e.method, path: e.endpoint.slice(cloud.url.length), body: e.payload ?? '', credentials: e.auth === 'workspace', status: e.status }))
      .map((x) => JSON.stringify(x))
      .sort();
    const atCloud = received
      .map((r) => ({ method: r.method, path: r.path, body: r.body, credentials: r.authorization?.startsWith('Basic ') ?? false, status: r.status }))
      .map((x) => JSON.stringify(x))
      .sort();
    expect(atCloud).to.deep.equal(fromLog);
    expect(entries.reduce((n, e) => n + e.bytes, 0)).to.equal(received.reduce((n, r) => n + Buffer.byteLength(r.body), 0));
    // the sent statistics documents were accepted as registered and the admin sees when
    const stats = received.filter((r) => r.path === '/api/v1/statistics');
    expect(stats.map((r) => r.status)).to.deep.equal([201, 201]);
    expect(JSON.parse(stats[0]!.body).identity.registered).to.equal(true);
    const sharing = (await admin.api.get('statistics.sharing')).body.sharing;
    expect(sharing.lastResult.ok).to.equal(true);
    // sent at the first hourly check of each day: +1 h and +25 h; the clock is now at +48 h
    expect(new Date(sharing.lastSentAt).getTime()).to.equal(ws.clock.now().getTime() - 23 * HOUR);
    expect(guard.violations).to.deep.equal([]);
  });
});
