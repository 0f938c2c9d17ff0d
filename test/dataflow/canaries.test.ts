import { expect } from 'chai';
import { installLoopbackGuard, type LoopbackGuard } from '@obmeet/test-kit';
import { StatisticsDocument } from '@obmeet/contracts';
import { fullScenario, makeCanaries, runADayOfJobs, startRecordedCloud, startWorkspace, type Cloud, type Workspace } from './helpers.js';

/**
 * statistics.md, "Never": names, usernames, emails, room names, messages, file names, host names.
 * A workspace full of unusual canary values: neither the preview nor the document the cloud
 * received (anonymous sharing of an unregistered workspace) contains any of them.
 */
describe('data flow: statistics never carry names or content', function () {
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

  it('the preview and the sent document hold no canary value', async () => {
    const c = makeCanaries();
    const { admin } = await fullScenario(ws, c);
    const preview = (await admin.api.get('statistics.preview')).body.preview;
    expect(StatisticsDocument.safeParse(preview.document).success).to.equal(true);
    expect(preview.document.users.total).to.equal(3);
    expect(preview.document.rooms).to.include({ channels: 1, privateGroups: 1, directMessages: 1 });
    expect(preview.document.files.count).to.equal(1);

    expect((await admin.api.post('statistics.sharing', { enabled: true })).body.sharing.mode).to.equal('anonymous');
    await runADayOfJobs(ws);
    const sent = cloud.proxy.received.filter((r) => r.path === '/api/v1/statistics');
    expect(sent).to.have.length(1);
    expect(sent[0]!.status).to.equal(201);
    expect(sent[0]!.authorization).to.equal(undefined);

    const host = new URL(ws.url).host;
    const needles = [...Object.values(c), admin.username, host, '127.0.0.1', 'localhost', 'example.test', `Site ${c.room}`];
    for (const text of [preview.json, JSON.stringify(preview.document), sent[0]!.body]) {
      const lower = text.toLowerCase();
      for (const n of needles) expect(lower, n).to.not.include(n.toLowerCase());
    }
    // the preview is what was sent, apart from the figures that moved with the clock
    const doc = JSON.parse(sent[0]!.body);
    expect(Object.keys(doc)).to.deep.equal(Object.keys(preview.document));
    expect(doc.identity.installId).to.equal(preview.document.identity.installId);
    expect(guard.violations).to.deep.equal([]);
  });
});
