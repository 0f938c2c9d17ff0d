import { expect } from 'chai';
import { installLoopbackGuard, startConnectionCounter, type ConnectionCounter, type LoopbackGuard } from '@obmeet/test-kit';
import { fullScenario, runADayOfJobs, startWorkspace, type Workspace } from './helpers.js';

/**
 * product.md, data flows, "self-managed, not registered": the workspace makes no outbound
 * connection to the vendor at all — not at start, not on a schedule, not when a page is opened.
 * CLOUD_URL points at a loopback listener that counts TCP connections; the loopback guard
 * refuses and records anything that is not loopback.
 */
describe('data flow: an unregistered workspace', function () {
  this.timeout(120_000);
  let guard: LoopbackGuard;
  let vendor: ConnectionCounter;
  let ws: Workspace;

  before(async () => {
    guard = installLoopbackGuard();
    vendor = await startConnectionCounter();
    ws = await startWorkspace(vendor.url);
  });
  after(async () => {
    await ws?.close();
    await vendor?.close();
    guard.uninstall();
  });

  it('opens zero connections to the vendor and none to anything non-loopback through a full scenario and a day of jobs', async () => {
    const { admin } = await fullScenario(ws);
    const ran = await runADayOfJobs(ws);
    // the jobs did run (so the zero below means "ran and sent nothing", not "never ran")
    expect(ran.filter((j) => j === 'statistics.send')).to.have.length(24);
    expect(ran).to.include('statistics.rollup');
    const info = (await admin.api.get('statistics.info')).body.info;
    expect(info.document.messages.total).to.be.greaterThan(0);
    const sharing = (await admin.api.get('statistics.sharing')).body.sharing;
    expect(sharing).to.deep.equal({ enabled: false, mode: 'anonymous' });

    expect(vendor.connections()).to.equal(0);
    expect(guard.violations).to.deep.equal([]);
    const log = (await admin.api.get('outbound.log')).body;
    expect(log.total).to.equal(0);
  });
});
