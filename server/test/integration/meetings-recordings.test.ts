import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSocket, nextEvent, registerUser, type TestUser } from '@obmeet/test-kit';
import { ManualClock } from '../../src/clock.js';
import { createChannel, startTestServer, startWithAdmin, type TestServer } from '../helpers.js';
import { M } from './meetings-calendar-api.js';

const auth = (u: TestUser) => ({ 'x-user-id': u._id, 'x-auth-token': u.token });

describe('meetings: recordings', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  let carol: TestUser;
  const sockets: Array<{ close(): unknown }> = [];

  const setSetting = async (key: string, value: unknown) => expect((await admin.api.post(`settings/${key}`, { value })).status).to.equal(200);
  const chunk = async (u: TestUser, recordingId: string, index: number, bytes: Buffer) => {
    const res = await fetch(`${server.url}/api/v1/meetings.recording.chunk?recordingId=${recordingId}&index=${index}`, {
      method: 'POST',
      headers: { ...auth(u), 'content-type': 'video/webm' },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = async (u: TestUser | null, url: string) => {
    const res = await fetch(server.url + url, { headers: u ? auth(u) : {} });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  before(async () => {
    ({ server, admin } = await startWithAdmin());
    bob = await registerUser(server.url);
    eve = await registerUser(server.url);
    carol = await registerUser(server.url);
  });
  after(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it('is refused while the setting is off (the default), and for a participant who is not a moderator', async () => {
    const room = await createChannel(admin, { members: [bob.username] });
    const meeting = await M.start(admin, room._id, 'no recording');
    await M.join(bob, meeting);
    const off = await admin.api.post('meetings.recording.start', { meetingId: meeting._id });
    expect(off.status).to.equal(403);
    expect(off.body.errorType).to.equal('error-not-allowed');

    await setSetting('meetings.recording.allowed', true);
    try {
      const notMod = await bob.api.post('meetings.recording.start', { meetingId: meeting._id });
      expect(notMod.status).to.equal(403);
      expect((await M.get(admin, meeting._id)).recording ?? false).to.equal(false);
    } finally {
      await setSetting('meetings.recording.allowed', false);
    }
  });

  it('stores chunks in order, flags the meeting as recorded, refuses gaps, ignores retries, serves the same bytes to record viewers only, and goes with the room', async () => {
    await setSetting('meetings.recording.allowed', true);
    const room = await createChannel(admin, { members: [bob.username, carol.username] });
    const meeting = await M.start(admin, room._id, 'recorded');
    await M.join(bob, meeting);
    // bob is in the meeting with his socket attached: he is told when recording starts
    const sock = await connectSocket(server.url, bob);
    sockets.push(sock);
    const attached = await sock.emitWithAck('meeting.attach', { meetingId: meeting._id, participantId: meeting.participantIds.get(bob._id) });
    expect(attached.success, JSON.stringify(attached)).to.equal(true);
    const told = nextEvent(sock, 'meeting.updated', 10_000, (e: any) => e.meeting?._id === meeting._id && e.meeting.recording === true);

    const started = await admin.api.post('meetings.recording.start', { meetingId: meeting._id });
    expect(started.status, JSON.stringify(started.body)).to.equal(200);
    await told;
    const recordingId: string = started.body.recording._id;
    // the meeting carries the flag (what participants and later joiners are shown)
    expect((await M.get(bob, meeting._id)).recording).to.equal(true);
    // someone who has not joined yet sees it on the pre-join screen (meetings.info by the link's key)
    expect((await M.get(carol, meeting.token)).recording).to.equal(true);

    const parts = [randomBytes(300 * 1024), randomBytes(70 * 1024), randomBytes(260 * 1024)];
    expect((await chunk(admin, recordingId, 0, parts[0]!)).status).to.equal(200);
    // a gap is refused and nothing is kept
    const gap = await chunk(admin, recordingId, 2, parts[2]!);
    expect(gap.status).to.equal(409);
    expect(gap.body.errorType).to.equal('error-conflict');
    expect((await chunk(admin, recordingId, 1, parts[1]!)).status).to.equal(200);
    // a retry of a stored index is accepted and does not append twice
    const retry = await chunk(admin, recordingId, 1, parts[1]!);
    expect(retry.status).to.equal(200);
    expect(retry.body.duplicate).to.equal(true);
    // only the recorder sends chunks
    expect((await chunk(bob, recordingId, 2, parts[2]!)).status).to.equal(404);
    const last = await chunk(admin, recordingId, 2, parts[2]!);
    expect(last.status).to.equal(200);
    expect(last.body.size).to.equal(parts.reduce((n, p) => n + p.length, 0));

    const fin = await admin.api.post('meetings.recording.finish', { recordingId });
    expect(fin.status, JSON.stringify(fin.body)).to.equal(200);
    expect(fin.body.recording.chunks).to.equal(3);
    // stored in the workspace file storage (the database by default), one object per chunk
    for (let i = 0; i < 3; i++) expect(await server.workspace.db.collection(`file_${recordingId}_${i}`).countDocuments({})).to.equal(Math.ceil(parts[i]!.length / (255 * 1024)));
    expect(await server.workspace.db.collection(`file_${recordingId}_3`).countDocuments({})).to.equal(0);
    expect((await chunk(admin, recordingId, 3, parts[0]!)).status).to.equal(409);
    expect((await M.get(admin, meeting._id)).recording ?? false).to.equal(false);

    // attached to the meeting record
    const record = await M.get(admin, meeting._id);
    expect(record.recordings).to.have.length(1);
    const url: string = record.recordings[0].url;
    expect(record.recordings[0].size).to.equal(last.body.size);

    const got = await download(admin, url);
    expect(got.status).to.equal(200);
    expect(got.headers.get('content-type')).to.equal('video/webm');
    expect(got.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(got.bytes.equals(Buffer.concat(parts))).to.equal(true);
    // a participant who may not see the record, a stranger and an anonymous caller cannot download
    expect((await download(bob, url)).status).to.equal(404);
    expect((await download(eve, url)).status).to.equal(404);
    expect((await download(null, url)).status).to.equal(401);

    // deleting the room deletes the recording's bytes too
    expect((await admin.api.post('channels.delete', { roomId: room._id })).status).to.equal(200);
    expect((await download(admin, url)).status).to.equal(404);
    const left = (await server.workspace.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`file_${recordingId}`));
    expect(left).to.deep.equal([]);
    await setSetting('meetings.recording.allowed', false);
  });

  it('counts the whole recording against the upload size limit', async () => {
    await setSetting('meetings.recording.allowed', true);
    await setSetting('files.maxSizeBytes', 100 * 1024);
    try {
      const room = await createChannel(admin);
      const meeting = await M.start(admin, room._id, 'too long');
      const started = await admin.api.post('meetings.recording.start', { meetingId: meeting._id });
      const id: string = started.body.recording._id;
      expect((await chunk(admin, id, 0, randomBytes(60 * 1024))).status).to.equal(200);
      const over = await chunk(admin, id, 1, randomBytes(60 * 1024));
      expect(over.status).to.equal(413);
      expect(over.body.errorType).to.equal('error-payload-too-large');
      // the refused chunk was not kept: the next index is still 1
      expect((await chunk(admin, id, 1, randomBytes(10 * 1024))).status).to.equal(200);
    } finally {
      await setSetting('files.maxSizeBytes', 100 * 1024 * 1024);
      await setSetting('meetings.recording.allowed', false);
    }
  });
  it('with files.storage = disk, the chunks go to files.diskPath and download the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-rec-'));
    await setSetting('meetings.recording.allowed', true);
    await setSetting('files.diskPath', dir);
    await setSetting('files.storage', 'disk');
    try {
      const room = await createChannel(admin);
      const meeting = await M.start(admin, room._id, 'on disk');
      const id: string = (await admin.api.post('meetings.recording.start', { meetingId: meeting._id })).body.recording._id;
      const parts = [randomBytes(40 * 1024), randomBytes(5)];
      for (const [i, p] of parts.entries()) expect((await chunk(admin, id, i, p)).status).to.equal(200);
      expect((await admin.api.post('meetings.recording.finish', { recordingId: id })).status).to.equal(200);
      expect(readdirSync(join(dir, id.slice(0, 2))).sort()).to.deep.equal([`${id}_0`, `${id}_1`]);
      const record = await M.get(admin, meeting._id);
      const got = await download(admin, record.recordings[0].url);
      expect(got.status).to.equal(200);
      expect(got.bytes.equals(Buffer.concat(parts))).to.equal(true);
    } finally {
      await setSetting('files.storage', 'database');
      await setSetting('meetings.recording.allowed', false);
    }
  });
});

describe('meetings: a recording whose recorder went away', function () {
  this.timeout(60_000);
  let server: TestServer;
  let clock: ManualClock;
  after(async () => server?.close());

  it('is finished by the background job with the chunks that arrived, and attached to the record', async () => {
    clock = new ManualClock(new Date('2030-03-01T10:00:00Z'));
    server = await startTestServer({}, clock);
    const admin = await registerUser(server.url);
    expect((await admin.api.post('settings/meetings.recording.allowed', { value: true })).status).to.equal(200);
    const room = await createChannel(admin);
    const meeting = await M.start(admin, room._id, 'tab closed');
    await M.join(admin, meeting);
    const id: string = (await admin.api.post('meetings.recording.start', { meetingId: meeting._id })).body.recording._id;
    const bytes = randomBytes(1000);
    const res = await fetch(`${server.url}/api/v1/meetings.recording.chunk?recordingId=${id}&index=0`, {
      method: 'POST',
      headers: { ...auth(admin), 'content-type': 'video/webm' },
      body: bytes,
    });
    expect(res.status).to.equal(200);

    // five quiet minutes: still recording
    clock.advance(5 * 60_000);
    await server.workspace.scheduler.runDue();
    expect((await M.get(admin, meeting._id)).recordings).to.deep.equal([]);
    // past ten: finished, attached, flag off
    clock.advance(6 * 60_000);
    await server.workspace.scheduler.runDue();
    const record = await M.get(admin, meeting._id);
    expect(record.recording).to.equal(false);
    expect(record.recordings).to.have.length(1);
    expect(record.recordings[0].size).to.equal(1000);
    const got = await fetch(server.url + record.recordings[0].url, { headers: auth(admin) });
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).to.equal(true);
  });
});
