/**
 * Meetings routed through Janus (MEETINGS_JANUS_URL), over REST and sockets against a real
 * Janus from Debian's package: when a meeting goes over the mesh limit, who may use the
 * SFU, what bad input gets, and that Janus's room goes when the meeting ends. Media itself
 * is asserted in the browser test (test/browser/meetings-sfu.test.ts).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { connectSocket, nextEvent, registerUser, startJanus, type RunningJanus, type TestUser } from '@obmeet/test-kit';
import Janode from 'janode';
import VideoRoom, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import { janusNumber } from '../../src/domains/meetings/meetings.sfu.js';
import { createChannel, startTestServer, type TestServer } from '../helpers.js';

function call<T = any>(socket: Socket, event: string, body: unknown): Promise<T> {
  return new Promise((ok) => socket.emit(event, body, (r: T) => ok(r)));
}

describe('meetings through the SFU (Janus)', function () {
  this.timeout(60_000);
  let janus: RunningJanus;
  let server: TestServer;
  let noJanus: TestServer;
  const sockets: Socket[] = [];

  const enter = async (srv: TestServer, u: TestUser, key: string, video = true) => {
    const r = await u.api.post('meetings.join', { key, audio: true, video });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const s = await connectSocket(srv.url, u);
    sockets.push(s);
    const ack = await call(s, 'meeting.attach', { meetingId: r.body.meeting._id, participantId: r.body.participantId });
    expect(ack.success, JSON.stringify(ack)).to.equal(true);
    return { pid: r.body.participantId as string, socket: s, body: r.body };
  };

  const roomExists = async (meetingId: string): Promise<boolean> => {
    const connection = await Janode.connect({ is_admin: false, address: { url: janus.url } });
    try {
      const session = await connection.create();
      const handle = await session.attach<VideoRoomHandle>(VideoRoom);
      return (await handle.exists({ room: janusNumber(meetingId) })).exists;
    } finally {
      await connection.close().catch(() => undefined);
    }
  };

  before(async () => {
    janus = await startJanus();
    server = await startTestServer({ MEETINGS_JANUS_URL: janus.url, MEETINGS_MAX_VIDEO: '2' });
    noJanus = await startTestServer({ MEETINGS_MAX_VIDEO: '2' });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await server?.close();
    await noJanus?.close();
    await janus?.stop();
  });

  it('room and feed numbers are stable, positive, safe integers', () => {
    const n = janusNumber('meeting-id');
    expect(n).to.equal(janusNumber('meeting-id'));
    expect(n).to.equal(createHash('sha256').update('meeting-id').digest().readUIntBE(0, 6) + 1);
    expect(Number.isSafeInteger(n) && n > 0).to.equal(true);
    expect(janusNumber('another')).to.not.equal(n);
  });

  it('over the mesh limit the meeting moves to the SFU (everyone is told); without Janus the same join is refused', async () => {
    const [a, b, c] = await Promise.all([registerUser(server.url), registerUser(server.url), registerUser(server.url)]);
    const room = await createChannel(a!, { members: [b!.username, c!.username] });
    const m = (await a!.api.post('meetings.create', { rid: room._id })).body.meeting;
    expect(m.media).to.equal('mesh');
    const first = await enter(server, a!, m.token);
    await enter(server, b!, m.token);
    const told = nextEvent<{ meeting: { media: string } }>(first.socket, 'meeting.updated');
    const third = await enter(server, c!, m.token);
    expect(third.body.status).to.equal('joined');
    expect(third.body.video).to.equal(true);
    expect(third.body.meeting.media).to.equal('sfu');
    expect((await told).meeting.media).to.equal('sfu');

    const [x, y, z] = await Promise.all([registerUser(noJanus.url), registerUser(noJanus.url), registerUser(noJanus.url)]);
    const room2 = await createChannel(x!, { members: [y!.username, z!.username] });
    const m2 = (await x!.api.post('meetings.create', { rid: room2._id })).body.meeting;
    await enter(noJanus, x!, m2.token);
    await enter(noJanus, y!, m2.token);
    const refused = await z!.api.post('meetings.join', { key: m2.token, audio: true, video: true });
    expect(refused.status).to.equal(409);
    expect(refused.body.errorType).to.equal('error-meeting-full');
    expect((await x!.api.get('meetings.info', { key: m2._id })).body.meeting.media).to.equal('mesh');
  });

  it('meeting.sfu: bad input, a peer-to-peer meeting and a non-participant get clear errors', async () => {
    const [a, b, outsider] = await Promise.all([registerUser(server.url), registerUser(server.url), registerUser(server.url)]);
    const room = await createChannel(a!, { members: [b!.username] });
    const m = (await a!.api.post('meetings.create', { rid: room._id })).body.meeting;
    const pa = await enter(server, a!, m.token);
    const pb = await enter(server, b!, m.token);

    const malformed = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'publish' });
    expect(malformed.success).to.equal(false);
    expect(malformed.errorType).to.equal('error-invalid-params');
    const unknownField = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'subscribe', feed: pb.pid, extra: 1 });
    expect(unknownField.errorType).to.equal('error-invalid-params');

    // two people: still peer-to-peer, the SFU is not theirs to use
    const mesh = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'subscribe', feed: pb.pid });
    expect(mesh.success).to.equal(false);
    expect(mesh.errorType).to.equal('error-meeting-media-unavailable');
    expect(mesh.error).to.match(/peer-to-peer/);

    const outsiderSocket = await connectSocket(server.url, outsider!);
    sockets.push(outsiderSocket);
    const notIn = await call(outsiderSocket, 'meeting.sfu', { meetingId: m._id, op: 'subscribe', feed: pb.pid });
    expect(notIn.success).to.equal(false);
    expect(notIn.errorType).to.equal('error-not-allowed');
  });

  it('publishing nonsense is refused by Janus with a clear error; subscribing to a feed never published too; the room goes when the meeting ends', async () => {
    const [a, b, c] = await Promise.all([registerUser(server.url), registerUser(server.url), registerUser(server.url)]);
    const room = await createChannel(a!, { members: [b!.username, c!.username] });
    const m = (await a!.api.post('meetings.create', { rid: room._id })).body.meeting;
    const pa = await enter(server, a!, m.token);
    const pb = await enter(server, b!, m.token);
    await enter(server, c!, m.token);
    expect((await a!.api.get('meetings.info', { key: m._id })).body.meeting.media).to.equal('sfu');

    const bad = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'publish', jsep: { type: 'offer', sdp: 'v=0\r\nnot an sdp\r\n' } });
    expect(bad.success, JSON.stringify(bad)).to.equal(false);
    expect(bad.errorType).to.equal('error-meeting-media-unavailable');
    expect(await roomExists(m._id)).to.equal(true);

    const unpublished = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'subscribe', feed: pb.pid });
    expect(unpublished.success).to.equal(false);
    expect(unpublished.errorType).to.equal('error-meeting-media-unavailable');
    const startFirst = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'start', feed: pb.pid, jsep: { type: 'answer', sdp: 'v=0' } });
    expect(startFirst.errorType).to.equal('error-meeting-media-unavailable');

    expect((await a!.api.post('meetings.moderate', { meetingId: m._id, action: 'end' })).status).to.equal(200);
    const deadline = Date.now() + 10_000;
    while ((await roomExists(m._id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await roomExists(m._id)).to.equal(false);
    const after = await call(pa.socket, 'meeting.sfu', { meetingId: m._id, op: 'subscribe', feed: pb.pid });
    expect(after.errorType).to.equal('error-meeting-ended');
  });
});
