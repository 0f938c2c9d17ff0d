import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { connectSocket, nextEvent, registerUser, ApiClient, type TestUser } from '@obmeet/test-kit';
import { ManualClock } from '../../src/clock.js';
import { createChannel, startTestServer, type TestServer } from '../helpers.js';

/** Emits with an ack and resolves with the ack's body. */
function call<T = any>(socket: Socket, event: string, body: unknown): Promise<T> {
  return new Promise((ok) => socket.emit(event, body, (r: T) => ok(r)));
}

function guestSocket(url: string, guestToken: string): Promise<Socket> {
  const socket = io(url, { auth: { meetingGuestToken: guestToken }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((ok, fail) => {
    socket.once('connect', () => ok(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      fail(err);
    });
  });
}

describe('meetings', function () {
  this.timeout(30_000);
  let server: TestServer;
  let clock: ManualClock;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  const sockets: Socket[] = [];
  const anon = () => new ApiClient(server.url);

  const sock = async (u: TestUser) => {
    const s = await connectSocket(server.url, u);
    sockets.push(s);
    return s;
  };
  const join = (u: TestUser | null, key: string, extra: Record<string, unknown> = {}) =>
    (u ? u.api : anon()).post('meetings.join', { key, audio: true, video: true, ...extra });
  /** joins over REST and attaches a socket (what the client does) */
  const enter = async (u: TestUser, key: string, video = true) => {
    const r = await join(u, key, { video });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const s = await sock(u);
    const ack = await call(s, 'meeting.attach', { meetingId: r.body.meeting._id, participantId: r.body.participantId });
    expect(ack.success, JSON.stringify(ack)).to.equal(true);
    // the ack carries the meeting as it is now, with this participant in it
    expect(ack.result.meeting._id).to.equal(r.body.meeting._id);
    expect(ack.result.meeting.live.map((p: { _id: string }) => p._id)).to.include(r.body.participantId);
    return { pid: r.body.participantId as string, socket: s, meetingId: r.body.meeting._id as string };
  };
  const record = async (u: TestUser, rid: string, meetingId: string) => {
    const r = await u.api.get('meetings.list', { rid });
    expect(r.status).to.equal(200);
    return r.body.meetings.find((m: any) => m._id === meetingId);
  };

  before(async () => {
    clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
    server = await startTestServer(
      { MEETINGS_STUN_URLS: 'stun:stun.example.test:3478', MEETINGS_TURN_URLS: 'turn:turn.example.test:3478', MEETINGS_TURN_SECRET: 'a-shared-turn-secret-of-length' },
      clock,
    );
    owner = await registerUser(server.url);
    member = await registerUser(server.url);
    outsider = await registerUser(server.url);
  });
  after(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it('/meet posts a meeting message with title, starter, link and id; the message follows the meeting', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const ownerSocket = await sock(owner);
    const created = nextEvent(ownerSocket, 'message.created', 5000, (m: any) => m.rid === room._id && !!m.meeting);
    const run = await owner.api.post('commands.run', { command: 'meet', params: 'Stand-up', roomId: room._id });
    expect(run.status, JSON.stringify(run.body)).to.equal(200);
    const msg = await created;
    expect(msg.meeting.title).to.equal('Stand-up');
    expect(msg.meeting.status).to.equal('live');
    expect(msg.meeting.startedBy.username).to.equal(owner.username);
    expect(msg.meeting.token).to.have.length.greaterThan(40);
    expect(msg.attachments[0].title_link).to.contain(`/meet/${msg.meeting.token}`);
    expect(msg.attachments[0].fields.map((f: any) => f.value)).to.include(msg.meeting._id);
    expect(JSON.stringify(run.body)).to.contain(`/meet/${msg.meeting.token}`);

    // joining updates the message (participants), ending marks it ended
    const updated = nextEvent(ownerSocket, 'message.updated', 5000, (m: any) => m._id === msg._id && m.meeting.participants.length === 1);
    await enter(member, msg.meeting.token);
    expect((await updated).meeting.participants[0].username).to.equal(member.username);
    const endedMsg = nextEvent(ownerSocket, 'message.updated', 5000, (m: any) => m._id === msg._id && m.meeting.status === 'ended');
    expect((await owner.api.post('meetings.moderate', { meetingId: msg.meeting._id, action: 'end' })).status).to.equal(200);
    const e = await endedMsg;
    expect(e.meeting.endedAt).to.be.a('string');
    expect(e.meeting.participants).to.deep.equal([]);
  });

  it('meetings.create works over REST; the starter is moderator and gets ICE servers with TURN REST credentials', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const r = await owner.api.post('meetings.create', { rid: room._id, title: 'Planning' });
    expect(r.status).to.equal(200);
    expect(r.body.meeting.moderators).to.deep.equal([owner._id]);
    expect(r.body.meeting.msgId).to.be.a('string');
    const j = await join(owner, r.body.meeting.token);
    expect(j.body.status).to.equal('joined');
    const turn = j.body.iceServers.find((s: any) => s.username);
    expect(j.body.iceServers[0].urls).to.deep.equal(['stun:stun.example.test:3478']);
    const expiry = Number(turn.username.split(':')[0]);
    expect(turn.username).to.equal(`${expiry}:${owner._id}`);
    expect(expiry).to.equal(Math.floor(clock.now().getTime() / 1000) + 86400);
    const { createHmac } = await import('node:crypto');
    expect(turn.credential).to.equal(createHmac('sha1', 'a-shared-turn-secret-of-length').update(turn.username).digest('base64'));
  });

  it('refuses a non-member of a private room, by link and by id', async () => {
    const room = await createChannel(owner, { type: 'p', members: [member.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const byLink = await join(outsider, m.token);
    expect(byLink.status).to.equal(403);
    expect(byLink.body.errorType).to.equal('error-not-allowed');
    expect((await join(outsider, m._id)).status).to.equal(404);
    expect((await outsider.api.get('meetings.info', { key: m._id })).status).to.equal(404);
    expect((await join(member, m.token)).body.status).to.equal('joined');
    // nor may an outsider create a meeting there
    expect((await outsider.api.post('meetings.create', { rid: room._id })).status).to.equal(404);
  });

  it('guests: refused when not allowed; otherwise wait in the lobby until admitted or denied', async () => {
    const room = await createChannel(owner);
    const closed = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const refused = await join(null, closed.token, { guest: { name: 'Gus', email: 'gus@example.test' } });
    expect(refused.status).to.equal(403);
    expect(refused.body.errorType).to.equal('error-meeting-guests-not-allowed');

    const m = (await owner.api.post('meetings.create', { rid: room._id, guestsAllowed: true })).body.meeting;
    const mod = await enter(owner, m.token);
    expect((await join(null, m.token)).status).to.equal(400); // a guest must give name and email
    const lobbyUpdate = nextEvent(mod.socket, 'meeting.updated', 5000, (e: any) => e.meeting.lobby?.length === 1);
    const g = await join(null, m.token, { guest: { name: 'Gus', email: 'gus@example.test' } });
    expect(g.status).to.equal(200);
    expect(g.body.status).to.equal('lobby');
    expect(g.body.guestToken).to.be.a('string');
    expect(g.body.meeting.live.map((p: any) => p._id)).to.not.include(g.body.participantId);
    expect(g.body.meeting.lobby).to.equal(undefined); // only moderators see who waits
    expect(g.body.iceServers).to.deep.equal([]);
    const gs = await guestSocket(server.url, g.body.guestToken);
    sockets.push(gs);
    expect((await call(gs, 'meeting.attach', { meetingId: m._id, participantId: g.body.participantId })).success).to.equal(true);
    expect((await lobbyUpdate).meeting.lobby[0].name).to.equal('Gus');
    // the guest's token opens only its own meeting
    const other = (await owner.api.post('meetings.create', { rid: room._id, guestsAllowed: true })).body.meeting;
    const wrong = await call(gs, 'meeting.attach', { meetingId: other._id, participantId: g.body.participantId });
    expect(wrong.success).to.equal(false);
    const refusedSocket = await guestSocket(server.url, 'nope.invalid').then((s) => (s.close(), 'connected'), (e: Error) => e.message);
    expect(refusedSocket).to.equal('unauthorized');

    const admitted = nextEvent(gs, 'meeting.admitted');
    expect((await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'admit', participantId: g.body.participantId })).status).to.equal(200);
    const a = await admitted;
    expect(a.status).to.equal('joined');
    expect(a.meeting.live.map((p: any) => p.name)).to.include('Gus');

    const g2 = await join(null, m.token, { guest: { name: 'Dee', email: 'dee@example.test' }, video: false });
    const gs2 = await guestSocket(server.url, g2.body.guestToken);
    sockets.push(gs2);
    await call(gs2, 'meeting.attach', { meetingId: m._id, participantId: g2.body.participantId });
    const denied = nextEvent(gs2, 'meeting.denied');
    await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'deny', participantId: g2.body.participantId });
    await denied;
    const rec = await record(owner, room._id, m._id);
    expect(rec.participants.map((p: any) => p.name).sort()).to.deep.equal(['Gus', `Name ${owner.username}`].sort());
    expect(rec.participants.find((p: any) => p.name === 'Gus')).to.include({ guest: true, email: 'gus@example.test' });
  });

  it('relays a signal only to the addressed participant of the same meeting', async () => {
    const third = await registerUser(server.url);
    const room = await createChannel(owner, { members: [member.username, third.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const other = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const a = await enter(owner, m.token);
    const b = await enter(member, m.token);
    const c = await enter(third, m.token);
    const d = await enter(third, other.token);
    const seenByC: any[] = [];
    c.socket.on('meeting.signal', (e) => seenByC.push(e));
    const atB = nextEvent(b.socket, 'meeting.signal');
    const sent = await call(a.socket, 'meeting.signal', { meetingId: m._id, to: b.pid, data: { description: { type: 'offer', sdp: 'v=0' } } });
    expect(sent.result.relayed).to.equal(true);
    expect(await atB).to.deep.equal({ meetingId: m._id, from: a.pid, data: { description: { type: 'offer', sdp: 'v=0' } } });
    // from another meeting, or to someone not in the meeting: not relayed
    expect((await call(d.socket, 'meeting.signal', { meetingId: other._id, to: b.pid, data: 1 })).result.relayed).to.equal(false);
    expect((await call(d.socket, 'meeting.signal', { meetingId: m._id, to: b.pid, data: 1 })).result.relayed).to.equal(false);
    const outsiderSocket = await sock(outsider);
    expect((await call(outsiderSocket, 'meeting.signal', { meetingId: m._id, to: b.pid, data: 1 })).result.relayed).to.equal(false);
    // C gets only what is addressed to C
    const atC = nextEvent(c.socket, 'meeting.signal');
    await call(a.socket, 'meeting.signal', { meetingId: m._id, to: c.pid, data: 'for-c' });
    expect((await atC).data).to.equal('for-c');
    expect(seenByC.map((e) => e.data)).to.deep.equal(['for-c']);
  });

  it('moderation: mute, remove (no rejoin), lock, end; others are refused', async () => {
    const third = await registerUser(server.url);
    const room = await createChannel(owner, { members: [member.username, third.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    await enter(owner, m.token);
    const b = await enter(member, m.token);
    const notMod = await member.api.post('meetings.moderate', { meetingId: m._id, action: 'end' });
    expect(notMod.status).to.equal(403);

    const muted = nextEvent(b.socket, 'meeting.muted');
    const r = await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'mute', participantId: b.pid });
    await muted;
    expect(r.body.meeting.live.find((p: any) => p._id === b.pid).audio).to.equal(false);

    expect((await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'lock' })).body.meeting.locked).to.equal(true);
    const locked = await join(third, m.token);
    expect(locked.status).to.equal(403);
    expect(locked.body.errorType).to.equal('error-meeting-locked');
    await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'unlock' });
    const c = await enter(third, m.token);

    const removed = nextEvent(b.socket, 'meeting.removed');
    await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'remove', participantId: b.pid });
    await removed;
    const again = await join(member, m.token);
    expect(again.status).to.equal(403);
    expect(again.body.errorType).to.equal('error-meeting-removed');

    const ended = nextEvent(c.socket, 'meeting.updated', 5000, (e: any) => e.meeting.status === 'ended');
    await owner.api.post('meetings.moderate', { meetingId: m._id, action: 'end' });
    expect((await ended).meeting.live).to.deep.equal([]);
    const late = await join(third, m.token);
    expect(late.status).to.equal(409);
    expect(late.body.errorType).to.equal('error-meeting-ended');
  });

  it('refuses the 7th participant with video; audio-only may join', async () => {
    const users = [owner, ...(await Promise.all([1, 2, 3, 4, 5, 6].map(() => registerUser(server.url))))];
    const room = await createChannel(owner, { members: users.slice(1).map((u) => u.username) });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    for (const u of users.slice(0, 6)) expect((await join(u, m.token)).body.status).to.equal('joined');
    const seventh = await join(users[6]!, m.token);
    expect(seventh.status).to.equal(409);
    expect(seventh.body.errorType).to.equal('error-meeting-full');
    expect(seventh.body.error).to.match(/6 participants with video.*audio only/);
    const audio = await join(users[6]!, m.token, { video: false });
    expect(audio.body.status).to.equal('joined');
    expect(audio.body.video).to.equal(false);
    // turning the camera on is refused the same way
    const media = await users[6]!.api.post('meetings.media', { meetingId: m._id, participantId: audio.body.participantId, audio: true, video: true });
    expect(media.body.errorType).to.equal('error-meeting-full');
  });

  it('records every join and leave; a reconnect is a new session; attendance and peak are correct', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const t0 = clock.now().getTime();
    const mod = await enter(owner, m.token);
    const b = await enter(member, m.token);
    clock.advance(60_000);
    // a dropped connection is a leave
    const left = nextEvent(mod.socket, 'meeting.updated', 5000, (e: any) => e.meeting.live.length === 1);
    b.socket.close();
    await left;
    clock.advance(30_000);
    // the tab reconnects and attaches the same participant again: a new session
    const s2 = await sock(member);
    const back = nextEvent(mod.socket, 'meeting.updated', 5000, (e: any) => e.meeting.live.length === 2);
    expect((await call(s2, 'meeting.attach', { meetingId: m._id, participantId: b.pid })).success).to.equal(true);
    await back;
    clock.advance(45_000);
    expect((await member.api.post('meetings.leave', { meetingId: m._id, participantId: b.pid })).status).to.equal(200);

    const rec = await record(owner, room._id, m._id);
    const p = rec.participants.find((x: any) => x.userId === member._id);
    expect(p.sessions).to.deep.equal([
      { joinedAt: new Date(t0).toISOString(), leftAt: new Date(t0 + 60_000).toISOString() },
      { joinedAt: new Date(t0 + 90_000).toISOString(), leftAt: new Date(t0 + 135_000).toISOString() },
    ]);
    expect(p.attendanceMs).to.equal(105_000);
    expect(rec.participantCount).to.equal(2);
    expect(rec.peakConcurrent).to.equal(2);

    // joining again while still in (a reloaded page) replaces the earlier join: sessions never overlap
    const again1 = await join(owner, m.token);
    clock.advance(10_000);
    const again2 = await join(owner, m.token);
    expect(again2.body.meeting.live.map((p: any) => p._id)).to.deep.equal([again2.body.participantId]);
    clock.advance(5_000);
    await owner.api.post('meetings.leave', { meetingId: m._id, participantId: again2.body.participantId });
    const ownerRec = (await record(owner, room._id, m._id)).participants.find((x: any) => x.userId === owner._id);
    expect(ownerRec.sessions.every((x: any) => x.leftAt)).to.equal(true);
    expect(ownerRec.attendanceMs).to.equal(135_000 + 15_000);
    expect(again1.body.participantId).to.not.equal(again2.body.participantId);
    // the record is for the organiser, room moderators and admins: a plain member sees no participants
    const asMember = await record(member, room._id, m._id);
    expect(asMember.participants).to.equal(undefined);
    // and the member's own list has it
    const mine = await member.api.get('meetings.list', { mine: true });
    expect(mine.body.meetings.map((x: any) => x._id)).to.include(m._id);
  });

  it('schedules, updates and cancels a meeting; invitees are notified; sequence grows', async () => {
    const room = await createChannel(owner);
    const inviteeSocket = await sock(outsider);
    const invited = nextEvent(inviteeSocket, 'meeting.invited');
    const r = await owner.api.post('meetings.schedule', {
      rid: room._id,
      title: 'Review',
      start: '2026-06-02T14:00:00+02:00',
      durationMinutes: 45,
      invitees: { users: [outsider._id] },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const m = r.body.meeting;
    expect(m).to.include({ status: 'scheduled', sequence: 0, scheduledStart: '2026-06-02T12:00:00.000Z', durationMinutes: 45 });
    expect(await invited).to.deep.include({ meetingId: m._id, title: 'Review', status: 'scheduled', msgId: m.msgId, from: owner.username });

    const again = nextEvent(inviteeSocket, 'meeting.invited');
    const u = await owner.api.post('meetings.update', { meetingId: m._id, title: 'Design review', start: '2026-06-02T15:00:00Z' });
    expect(u.body.meeting).to.include({ title: 'Design review', sequence: 1, scheduledStart: '2026-06-02T15:00:00.000Z' });
    expect((await again).title).to.equal('Design review');
    expect((await member.api.post('meetings.update', { meetingId: m._id, title: 'x' })).status).to.equal(403);

    const cancelled = nextEvent(inviteeSocket, 'meeting.invited', 5000, (e: any) => e.status === 'cancelled');
    const c = await owner.api.post('meetings.cancel', { meetingId: m._id });
    expect(c.body.meeting).to.include({ status: 'cancelled', sequence: 2 });
    await cancelled;
    expect((await join(outsider, m.token)).body.errorType).to.equal('error-meeting-ended');

    // an invitee who is not in the room may join; the first join starts it
    const m2 = (await owner.api.post('meetings.schedule', { rid: room._id, title: 'Later', start: '2026-06-03T10:00:00Z', durationMinutes: 30, invitees: { users: [outsider._id] } })).body.meeting;
    const j = await join(outsider, m2.token);
    expect(j.body.status).to.equal('joined');
    expect(j.body.meeting.status).to.equal('live');
    expect((await outsider.api.get('meetings.list', { mine: true })).body.meetings.map((x: any) => x._id)).to.include.members([m._id, m2._id]);
  });

  it('bad input is a 400 and writes nothing', async () => {
    const room = await createChannel(owner);
    const count = async () => (await owner.api.get('meetings.list', { rid: room._id })).body.meetings.length;
    const before = await count();
    const bad = [
      ['meetings.create', { rid: room._id, title: '' }],
      ['meetings.create', { rid: room._id, extra: 1 }],
      ['meetings.schedule', { rid: room._id, title: 'x', start: 'tomorrow', durationMinutes: 30 }],
      ['meetings.schedule', { rid: room._id, title: 'x', start: '2026-06-02T10:00:00Z', durationMinutes: 0 }],
      ['meetings.schedule', { rid: room._id, title: 'x', start: '2026-06-02T10:00:00Z', durationMinutes: 30, invitees: { users: ['nosuchuser123'] } }],
      ['meetings.join', { key: 'x', audio: 'yes', video: true }],
      ['meetings.moderate', { meetingId: 'abc', action: 'mute' }],
      ['meetings.moderate', { meetingId: 'abc', action: 'explode' }],
    ] as const;
    for (const [path, body] of bad) {
      const r = await owner.api.post(path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(r.body.errorType).to.equal('error-invalid-params');
    }
    expect((await owner.api.get('meetings.list', {})).status).to.equal(400);
    expect(await count()).to.equal(before);
    const history = await owner.api.get('chat.history', { roomId: room._id });
    expect(history.body.messages.filter((x: any) => x.meeting)).to.deep.equal([]);
  });

  // last: it advances the clock past every other meeting's grace period
  it('a meeting with nobody left ends by itself after the grace period', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const watcher = await sock(owner);
    const b = await enter(member, m.token);
    await member.api.post('meetings.leave', { meetingId: m._id, participantId: b.pid });
    clock.advance(119_000);
    await server.workspace.scheduler.runDue();
    expect((await record(owner, room._id, m._id)).status).to.equal('live');
    const endedMsg = nextEvent(watcher, 'message.updated', 5000, (x: any) => x.meeting?._id === m._id && x.meeting.status === 'ended');
    clock.advance(20_000);
    expect(await server.workspace.scheduler.runDue()).to.include('meetings.endAbandoned');
    const rec = await record(owner, room._id, m._id);
    expect(rec.status).to.equal('ended');
    expect(rec.endedAt).to.equal(clock.now().toISOString());
    await endedMsg;
  });

  it('a participant whose socket never attaches is dropped after the grace period; then the meeting ends', async () => {
    const room = await createChannel(owner, { members: [member.username] });
    const m = (await owner.api.post('meetings.create', { rid: room._id })).body.meeting;
    const t0 = clock.now().getTime();
    expect((await join(member, m.token)).body.status).to.equal('joined');
    clock.advance(121_000);
    await server.workspace.scheduler.runDue();
    let rec = await record(owner, room._id, m._id);
    expect(rec.status).to.equal('live');
    expect(rec.live).to.deep.equal([]);
    expect(rec.participants[0].sessions).to.deep.equal([{ joinedAt: new Date(t0).toISOString(), leftAt: new Date(t0 + 121_000).toISOString() }]);
    clock.advance(121_000);
    await server.workspace.scheduler.runDue();
    rec = await record(owner, room._id, m._id);
    expect(rec.status).to.equal('ended');
  });
});
