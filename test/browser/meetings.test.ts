/**
 * Meetings in real browsers. The media test runs the server, its database and three
 * Chromium profiles inside a network namespace that has only a loopback interface (so no
 * ICE candidate can name another address) and asserts on the JSON the scenario prints:
 * media flows both ways between every pair, every candidate is a loopback address, and
 * the meeting record lists every participant with a join time.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { repoRoot } from './harness.js';
import { canUseNetworkNamespaces, listNamespaces, runInLoopbackNamespace } from './netns.js';
import type { PhaseResult } from './meetings-helpers.js';
import type { ScenarioResult } from './meetings-scenario.js';
import type { EngineScenarioResult } from './rtc-engine-scenario.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

async function runScenario<T extends { ok: boolean; error?: string }>(file: string): Promise<T> {
  const script = join(repoRoot, 'test', 'dist', 'browser', file);
  const run = await runInLoopbackNamespace(process.execPath, [script], { timeoutMs: 140_000, echoStderr: !!process.env.MEETINGS_VERBOSE });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let result: T;
  try {
    result = JSON.parse(line) as T;
  } catch {
    throw new Error(`${file} printed no result (exit ${run.code}, timed out: ${run.timedOut}):\n${run.stderr.slice(-3000)}`);
  }
  if (!result.ok) throw new Error(`${file} failed: ${result.error}\n${run.stderr.slice(-2000)}`);
  return result;
}

function expectAllPeersGrew(phase: PhaseResult, participants: number): void {
  expect(phase.participants).to.equal(participants);
  expect(Object.keys(phase.peers)).to.have.length(participants);
  for (const [who, peers] of Object.entries(phase.peers)) {
    expect(Object.keys(peers), `${who}'s peers`).to.have.length(participants - 1);
    for (const [peer, s] of Object.entries(peers)) {
      expect(s.grew, `${who} ← ${peer}: ${JSON.stringify(s)}`).to.equal(true);
      expect(s.after.audioBytes, `${who} ← ${peer} audio`).to.be.greaterThan(s.before.audioBytes);
      expect(s.after.videoBytes, `${who} ← ${peer} video`).to.be.greaterThan(s.before.videoBytes);
    }
  }
}

function expectLoopbackOnly(candidates: Record<string, Array<{ address: string }>>, pairs: Record<string, Record<string, { local: string; remote: string } | null>>): void {
  for (const [who, list] of Object.entries(candidates)) {
    expect(list.length, `${who} gathered candidates`).to.be.greaterThan(0);
    for (const c of list) {
      expect(c.address, `${who}: ${JSON.stringify(c)}`).to.match(LOOPBACK); // also rules out mDNS ".local" names
    }
  }
  for (const [who, byPeer] of Object.entries(pairs)) {
    for (const [peer, pair] of Object.entries(byPeer)) {
      expect(pair, `${who} ↔ ${peer}`).to.not.equal(null);
      expect(pair!.local).to.match(LOOPBACK);
      expect(pair!.remote).to.match(LOOPBACK);
    }
  }
}

describe('browser: the WebRTC mesh engine (perfect negotiation) in a loopback-only network namespace', function () {
  this.timeout(150_000);
  let result: EngineScenarioResult;
  let namespacesBefore: string[];

  before(async function () {
    if (!canUseNetworkNamespaces()) throw new Error('these tests need root and iproute2 (`ip netns`) to build a loopback-only network namespace');
    namespacesBefore = listNamespaces();
    result = await runScenario<EngineScenarioResult>('rtc-engine-scenario.js');
    for (const phase of result.phases) process.stderr.write(`      engine, ${phase.participants} peers, bytes received in 3 s per peer: ${JSON.stringify(phase.bytesIn3s)}\n`);
  });

  it('ran with only a loopback interface, and removed its namespace afterwards', () => {
    expect(result.interfaces).to.deep.equal(['lo']);
    for (const a of result.addresses) expect(a).to.match(LOOPBACK);
    expect(listNamespaces()).to.deep.equal(namespacesBefore);
    expect(result.pageErrors).to.deep.equal([]);
  });

  it('two engines started at the same moment connect and receive audio and video from each other', () => {
    expectAllPeersGrew(result.phases[0]!, 2);
  });

  it('turning the camera off and on again (replaceTrack) resumes the video', () => {
    expect(result.cameraToggle!.p1VideoAfter).to.be.greaterThan(result.cameraToggle!.p1VideoBefore + 5000);
  });

  it('an ICE restart renegotiates and media keeps flowing', () => {
    const r = result.iceRestart!;
    expect(r.restarts).to.equal(1);
    expect(r.state).to.equal('connected');
    expect(r.videoAfter).to.be.greaterThan(r.videoBefore + 5000);
  });

  it('a third engine joins a running pair and all six directions carry media, even though its first description to one peer was lost', () => {
    expect(result.signalsDropped).to.equal(1);
    expect(result.p2ResetsToP0, 'p2 replaced the session whose offer was lost').to.equal(1);
    expectAllPeersGrew(result.phases[1]!, 3);
  });

  it('every ICE candidate gathered and every selected pair is on loopback', () => {
    expectLoopbackOnly(result.candidates, result.selectedPairs);
  });

  it('the recorder uploads the composed meeting as WebM chunks while it records, the rest on stop', () => {
    const rec = result.recording!;
    expect(rec.failed).to.equal(null);
    expect(rec.chunks.length, JSON.stringify(rec)).to.be.at.least(2);
    expect(rec.chunks.map((c) => c.index)).to.deep.equal(rec.chunks.map((_, i) => i));
    expect(rec.chunks[0]!.webmHeader).to.equal(true);
    for (const c of rec.chunks) expect(c.size).to.be.greaterThan(0);
    expect(rec.uploadedCount).to.equal(rec.chunks.length);
  });
});

describe('browser: a meeting between three signed-in users, server and browsers in a loopback-only network namespace', function () {
  this.timeout(150_000);
  let result: ScenarioResult;
  let namespacesBefore: string[];

  before(async function () {
    if (!canUseNetworkNamespaces()) throw new Error('these tests need root and iproute2 (`ip netns`) to build a loopback-only network namespace');
    namespacesBefore = listNamespaces();
    result = await runScenario<ScenarioResult>('meetings-scenario.js');
    for (const phase of result.phases) process.stderr.write(`      meeting page, ${phase.participants} participants, bytes received in 3 s per peer: ${JSON.stringify(phase.bytesIn3s)}\n`);
  });

  it('ran with only a loopback interface, and removed its namespace afterwards', () => {
    expect(result.interfaces).to.deep.equal(['lo']);
    for (const a of result.addresses) expect(a).to.match(LOOPBACK);
    expect(listNamespaces()).to.deep.equal(namespacesBefore);
  });

  it('two participants receive audio and video from each other', () => {
    expectAllPeersGrew(result.phases[0]!, 2);
  });

  it('with a third participant, everyone receives media from both others', () => {
    expectAllPeersGrew(result.phases[1]!, 3);
  });

  it('every ICE candidate gathered and every selected pair is on loopback', () => {
    expectLoopbackOnly(result.candidates, result.selectedPairs);
  });

  it('the meeting record lists all three participants with their join times', () => {
    const record = result.record as { meeting: { participants: Array<{ username?: string; sessions: Array<{ joinedAt: string; leftAt?: string | null }> }> } };
    expect(record, JSON.stringify(result.record)).to.have.property('meeting');
    const names = record.meeting.participants.map((p) => p.username);
    expect(names).to.have.members(result.usernames);
    for (const p of record.meeting.participants) {
      expect(p.sessions.length, p.username).to.be.at.least(1);
      expect(Number.isNaN(Date.parse(p.sessions[0]!.joinedAt)), p.username).to.equal(false);
    }
  });
});
