/**
 * Meetings over the mesh limit go through Janus (Debian's package, VideoRoom plugin) when
 * MEETINGS_JANUS_URL is set. Janus, the server, its database and three Chromium profiles
 * run inside a network namespace whose only addresses are loopback ones: `lo`, and a veth
 * that carries only 127.0.0.2 because Janus gathers candidates on non-loopback interfaces
 * only. Asserts on the JSON that sfu-scenario.ts prints.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { ensureJanus } from '@obmeet/test-kit';
import { repoRoot } from './harness.js';
import { canUseNetworkNamespaces, listNamespaces, MEDIA_INTERFACE, runInLoopbackNamespace } from './netns.js';
import type { PhaseResult } from './meetings-helpers.js';
import type { SfuScenarioResult } from './sfu-scenario.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

function expectAllGrew(phase: PhaseResult, participants: number): void {
  expect(phase.participants).to.equal(participants);
  for (const [who, peers] of Object.entries(phase.peers)) {
    expect(Object.keys(peers), `${who}'s peers`).to.have.length(participants - 1);
    for (const [peer, s] of Object.entries(peers)) expect(s.grew, `${who} ← ${peer}: ${JSON.stringify(s)}`).to.equal(true);
  }
}

describe('browser: a meeting over the mesh limit goes through Janus (loopback-only network namespace)', function () {
  this.timeout(200_000);
  let result: SfuScenarioResult;
  let namespacesBefore: string[];

  before(async function () {
    if (!canUseNetworkNamespaces()) throw new Error('these tests need root and iproute2 (`ip netns`) to build a loopback-only network namespace');
    ensureJanus(); // from Debian's mirror, before entering the namespace that cannot reach it
    namespacesBefore = listNamespaces();
    const script = join(repoRoot, 'test', 'dist', 'browser', 'sfu-scenario.js');
    const run = await runInLoopbackNamespace(process.execPath, [script], { timeoutMs: 180_000, mediaInterface: true, echoStderr: !!process.env.MEETINGS_VERBOSE });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    try {
      result = JSON.parse(line) as SfuScenarioResult;
    } catch {
      throw new Error(`sfu-scenario printed no result (exit ${run.code}, timed out: ${run.timedOut}):\n${run.stderr.slice(-3000)}`);
    }
    if (!result.ok) throw new Error(`sfu-scenario failed: ${result.error}\n${run.stderr.slice(-3000)}`);
    for (const phase of result.phases) process.stderr.write(`      ${phase.participants} participants, bytes received in 3 s per link: ${JSON.stringify(phase.bytesIn3s)}\n`);
  });

  it('ran where every address is a loopback one, and removed its namespace afterwards', () => {
    // (os.networkInterfaces lists interfaces with an address: the veth's other end has none)
    expect(result.interfaces).to.have.members(['lo', MEDIA_INTERFACE]);
    for (const a of result.addresses) expect(a).to.match(LOOPBACK);
    for (const [who, list] of Object.entries(result.candidates)) {
      expect(list.length, `${who} gathered candidates`).to.be.greaterThan(0);
      for (const c of list) expect(c.address, `${who}: ${JSON.stringify(c)}`).to.match(LOOPBACK);
    }
    expect(listNamespaces()).to.deep.equal(namespacesBefore);
  });

  it('two participants (at the mesh limit) meet peer-to-peer', () => {
    expect(Object.values(result.modesWithTwo)).to.deep.equal(['mesh', 'mesh']);
    expectAllGrew(result.phases[0]!, 2);
  });

  it('the third participant with video moves the meeting to the SFU, and everyone receives audio and video from both others', () => {
    expect(Object.values(result.modesWithThree)).to.deep.equal(['sfu', 'sfu', 'sfu']);
    expectAllGrew(result.phases[1]!, 3);
  });

  it('that media comes from Janus: every link is an SFU link whose remote end is a Janus media port', () => {
    const { min, max } = result.janusRtpPorts;
    for (const [who, links] of Object.entries(result.links)) {
      expect(Object.keys(links), who).to.have.length(2);
      for (const [peer, s] of Object.entries(links)) {
        expect(s.via, `${who} ← ${peer}`).to.equal('sfu');
        expect(s.state, `${who} ← ${peer}`).to.equal('connected');
        expect(s.pair, `${who} ← ${peer}`).to.not.equal(null);
        expect(s.pair!.remote).to.match(LOOPBACK);
        expect(s.pair!.remotePort, `${who} ← ${peer}: ${JSON.stringify(s.pair)}`).to.be.within(min, max);
      }
    }
  });

  it("Janus's VideoRoom has one published feed per participant, and drops the feed of one who leaves", () => {
    const ids = Object.values(result.participantIds);
    expect(result.janusPublishers).to.have.members(ids);
    const left = result.participantIds[result.usernames[2]!]!;
    expect(result.janusPublishersAfterLeave).to.have.members(ids.filter((id) => id !== left));
  });

  it('the meeting record lists all three participants', () => {
    const record = result.record as { meeting: { participants: Array<{ username?: string }> } };
    expect(record.meeting.participants.map((p) => p.username)).to.have.members(result.usernames);
  });
});
