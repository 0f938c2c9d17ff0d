import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  ApiClient,
  collectEvents,
  connectSocket,
  nextEvent,
  registerUser,
  sleep,
  testDatabase,
  type TestUser,
} from '@obmeet/test-kit';
import { createChannel, send, startTestServer, type TestServer } from '../helpers.js';
import { startRedis, startServerProcess, type RedisProcess, type ServerProcess } from './processes.js';

const SITE = 'http://chat.obmeet.test';
/** How long a socket that must receive nothing is watched. */
const QUIET_MS = 400;

function newId(): string {
  return randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 17);
}

/** Tries a handshake; resolves with 'connected' or the server's refusal message. */
function tryConnect(url: string, opts: { auth?: Record<string, unknown>; headers?: Record<string, string> }): Promise<string> {
  const socket = io(url, {
    auth: opts.auth ?? {},
    extraHeaders: opts.headers,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise<string>((ok) => {
    const timer = setTimeout(() => ok('timeout'), 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      ok('connected');
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      ok(`refused: ${err.message}`);
    });
  }).finally(() => socket.close());
}

/** Records every event a socket receives (name + payload). */
function recordAll(socket: Socket): { events: { name: string; payload: any }[]; stop(): void } {
  const events: { name: string; payload: any }[] = [];
  const listener = (name: string, payload: unknown) => events.push({ name, payload });
  socket.onAny(listener);
  return { events, stop: () => socket.offAny(listener) };
}

/** Does an event concern that room? */
function aboutRoom(e: { name: string; payload: any }, rid: string): boolean {
  const p = e.payload ?? {};
  return p.rid === rid || (e.name === 'room.changed' && p._id === rid);
}

describe('realtime (socket.io)', function () {
  let server: TestServer;
  const sockets: Socket[] = [];
  const open = async (user: { _id: string; token: string }, url = server.url) => {
    const s = await connectSocket(url, user);
    sockets.push(s);
    return s;
  };

  before(async () => {
    server = await startTestServer({ SITE_URL: SITE });
    await registerUser(server.url); // the admin
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  after(async () => server?.close());

  describe('handshake', () => {
    it('refuses a socket without a token and with a bad or foreign token', async () => {
      const user = await registerUser(server.url);
      const other = await registerUser(server.url);
      expect(await tryConnect(server.url, {})).to.match(/^refused: unauthorized/);
      expect(await tryConnect(server.url, { auth: { userId: user._id, token: 'not-a-token' } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { auth: { token: 'x'.repeat(43) } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { auth: { userId: other._id, token: user.token } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { auth: { userId: user._id, token: { $ne: '' } } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { auth: { userId: user._id, token: user.token } })).to.equal('connected');
    });

    it('accepts a cookie session only from the site origin', async () => {
      const user = await registerUser(server.url);
      const login = await new ApiClient(server.url).post('login', { user: user.username, password: user.password, cookie: true });
      expect(login.status).to.equal(200);
      const setCookie = login.headers.get('set-cookie') ?? '';
      const m = /obm_session=([^;]+)/.exec(setCookie);
      expect(m, 'a session cookie').to.not.equal(null);
      const cookie = `obm_session=${m![1]}`;
      expect(await tryConnect(server.url, { headers: { cookie, origin: 'http://evil.example' } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { headers: { cookie, origin: 'http://chat.obmeet.test.evil.example' } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { headers: { cookie } })).to.match(/^refused/); // no Origin at all
      expect(await tryConnect(server.url, { headers: { cookie: 'obm_session=forged', origin: SITE } })).to.match(/^refused/);
      expect(await tryConnect(server.url, { headers: { cookie, origin: SITE } })).to.equal('connected');
    });
  });

  describe('room events', () => {
    it('delivers every room event to members and nothing to a non-member', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const carol = await registerUser(server.url);
      const dave = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const [sa, sb, sc] = [await open(alice), await open(bob), await open(carol)];
      const [ra, rb, rc] = [recordAll(sa), recordAll(sb), recordAll(sc)];

      const m1 = await send(alice, room._id, 'hello @' + bob.username);
      await alice.api.post('chat.update', { roomId: room._id, msgId: m1._id, text: 'hello edited' });
      await bob.api.post('chat.react', { messageId: m1._id, emoji: ':thumbsup:' });
      await send(bob, room._id, 'a reply', { tmid: m1._id });
      const m2 = await send(alice, room._id, 'to be deleted');
      await alice.api.post('chat.delete', { roomId: room._id, msgId: m2._id });
      await alice.api.post('groups.setTopic', { roomId: room._id, topic: 'new topic' });
      await alice.api.post('groups.invite', { roomId: room._id, userId: dave._id });
      await bob.api.post('subscriptions.read', { rid: room._id });
      await sleep(QUIET_MS);

      const wanted = ['message.created', 'message.updated', 'message.deleted', 'reaction.changed', 'thread.updated', 'room.changed', 'membership.changed'];
      for (const [who, rec] of [['alice', ra], ['bob', rb]] as const) {
        const names = new Set(rec.events.filter((e) => aboutRoom(e, room._id)).map((e) => e.name));
        for (const w of wanted) expect(names, `${who} gets ${w}`).to.include(w);
      }
      expect(rb.events.some((e) => e.name === 'subscription.changed' && e.payload.rid === room._id), 'bob gets his subscription change').to.equal(true);
      expect(ra.events.some((e) => e.name === 'subscription.changed' && e.payload.rid === room._id), 'alice gets her subscription change').to.equal(true);
      // a member never sees another member's subscription
      expect(ra.events.filter((e) => e.name === 'subscription.changed').every((e) => e.payload.u._id === alice._id)).to.equal(true);
      expect(rb.events.filter((e) => e.name === 'subscription.changed').every((e) => e.payload.u._id === bob._id)).to.equal(true);
      expect(rc.events.filter((e) => e.name !== 'presence'), 'the non-member receives nothing').to.deep.equal([]);
      // no private text leaks into presence events either
      expect(JSON.stringify(rc.events)).to.not.include('hello');
    });

    it('delivers room events from the moment the connection is acknowledged', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const sa = await open(alice);
      for (let i = 0; i < 10; i++) {
        const sb = await open(bob);
        const got = nextEvent(sb, 'message.created', 3000, (m) => m.msg === `right away ${i}`);
        const ack = await sa.timeout(5000).emitWithAck('message.send', { message: { rid: room._id, msg: `right away ${i}` } });
        expect(ack.success).to.equal(true);
        await got;
        sb.close();
      }
    });

    it('starts events for a member added to a room at once, without reconnecting', async () => {
      const alice = await registerUser(server.url);
      const carol = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p' });
      const sc = await open(carol);
      const before = collectEvents(sc, 'message.created');
      await send(alice, room._id, 'before carol');
      const added = nextEvent(sc, 'membership.changed', 3000, (e) => e.rid === room._id);
      const res = await alice.api.post('groups.invite', { roomId: room._id, userId: carol._id });
      expect(res.status).to.equal(200);
      expect(await added).to.include({ rid: room._id, userId: carol._id, action: 'added' });
      const got = nextEvent(sc, 'message.created', 3000, (m) => m.msg === 'after carol');
      await send(alice, room._id, 'after carol');
      expect((await got).rid).to.equal(room._id);
      expect(before.items.map((m) => m.msg)).to.not.include('before carol');
    });

    it('stops events for a kicked member at once', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const sb = await open(bob);
      const seen = nextEvent(sb, 'message.created', 3000, (m) => m.msg === 'while member');
      await send(alice, room._id, 'while member');
      await seen;
      const removed = nextEvent(sb, 'membership.changed', 3000, (e) => e.rid === room._id && e.action === 'removed');
      const kick = await alice.api.post('groups.kick', { roomId: room._id, userId: bob._id });
      expect(kick.status).to.equal(200);
      await removed;
      const rec = recordAll(sb);
      await send(alice, room._id, 'after kick');
      await alice.api.post('groups.setTopic', { roomId: room._id, topic: 'secret topic' });
      await sleep(QUIET_MS);
      expect(rec.events.filter((e) => aboutRoom(e, room._id)), 'no event of the room after the kick').to.deep.equal([]);
    });

    it('relays typing to the other members only', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const carol = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const [sa, sb, sc] = [await open(alice), await open(bob), await open(carol)];
      const [ta, tc] = [collectEvents(sa, 'typing'), collectEvents(sc, 'typing')];
      const tb = collectEvents(sb, 'typing');
      const got = nextEvent(sb, 'typing');
      sa.emit('typing', { rid: room._id, typing: true });
      expect(await got).to.deep.equal({ rid: room._id, username: alice.username, typing: true });
      // a non-member cannot type into the room, and bad payloads are ignored
      sc.emit('typing', { rid: room._id, typing: true });
      sc.emit('typing', { rid: { $ne: '' }, typing: true });
      sa.emit('typing', 'not an object');
      await sleep(QUIET_MS);
      expect(ta.items, 'not echoed to the sender').to.deep.equal([]);
      expect(tc.items, 'not sent to a non-member').to.deep.equal([]);
      expect(tb.items.map((t) => t.username)).to.deep.equal([alice.username]);
    });
  });

  describe('sending over the socket', () => {
    it('acknowledges with the stored message, and a retry with the same id returns the same message', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const [sa, sb] = [await open(alice), await open(bob)];
      const delivered = collectEvents(sb, 'message.created');
      const _id = newId();
      const first = await sa.timeout(5000).emitWithAck('message.send', { message: { _id, rid: room._id, msg: 'over the socket' } });
      expect(first.success, JSON.stringify(first)).to.equal(true);
      expect(first.result).to.include({ _id, rid: room._id, msg: 'over the socket' });
      const retry = await sa.timeout(5000).emitWithAck('message.send', { message: { _id, rid: room._id, msg: 'over the socket' } });
      expect(retry).to.deep.equal(first);
      const hist = await alice.api.get('groups.history', { roomId: room._id });
      expect(hist.body.messages.filter((m: { _id: string }) => m._id === _id)).to.have.length(1);
      expect(hist.body.messages[0]._id).to.equal(_id);
      await sleep(200);
      expect(delivered.items.filter((m) => m._id === _id), 'delivered once').to.have.length(1);
    });

    it('gives concurrent sends into one room distinct sequence numbers, and stores each once', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const [sa, sb] = [await open(alice), await open(bob)];
      const acks = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? sa : sb).timeout(10_000).emitWithAck('message.send', { message: { rid: room._id, msg: `concurrent ${i}` } })),
      );
      const failures = acks.filter((a) => !a.success);
      expect(failures, JSON.stringify(failures.slice(0, 3))).to.deep.equal([]);
      const seqs = acks.map((a) => a.result.seq);
      expect(new Set(seqs).size, `distinct seqs: ${seqs.join(',')}`).to.equal(20);
      const info = (await alice.api.get('groups.info', { roomId: room._id })).body.group;
      expect(info.msgs).to.equal(20);
      const hist = await alice.api.get('groups.history', { roomId: room._id, count: 100 });
      const texts = hist.body.messages.filter((m: { t?: string }) => !m.t).map((m: { msg: string }) => m.msg);
      expect(texts).to.have.length(20);
    });

    it('refuses a send into a room the user is not in, and bad input, writing nothing', async () => {
      const alice = await registerUser(server.url);
      const carol = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p' });
      const sc = await open(carol);
      const lastChange = (await alice.api.get('groups.info', { roomId: room._id })).body.group.lastChange;
      const denied = await sc.timeout(5000).emitWithAck('message.send', { message: { rid: room._id, msg: 'intruder' } });
      expect(denied.success).to.equal(false);
      const bad = await sc.timeout(5000).emitWithAck('message.send', { message: { rid: room._id, msg: { $gt: '' } } });
      expect(bad).to.include({ success: false, errorType: 'error-invalid-params' });
      const empty = await sc.timeout(5000).emitWithAck('message.send', { message: { rid: room._id, msg: '   ' } });
      expect(empty.success).to.equal(false);
      expect((await alice.api.get('groups.info', { roomId: room._id })).body.group.lastChange).to.equal(lastChange);
    });
  });

  describe('notifications and presence', () => {
    it('notifies a mentioned member and a DM partner, and no one else', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const carol = await registerUser(server.url);
      const dan = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username, dan.username] });
      const [sa, sb, sc, sd] = [await open(alice), await open(bob), await open(carol), await open(dan)];
      const [na, nd] = [collectEvents(sa, 'notification'), collectEvents(sd, 'notification')];
      const mention = nextEvent(sb, 'notification');
      const m = await send(alice, room._id, `ping @${bob.username}`);
      expect(await mention).to.deep.equal({ rid: room._id, messageId: m._id, kind: 'mention', from: alice.username });

      const dm = await alice.api.post('im.create', { username: carol.username });
      expect(dm.status).to.equal(200);
      const dmNote = nextEvent(sc, 'notification');
      const d = await send(alice, dm.body.room._id, 'a direct message');
      expect(await dmNote).to.deep.equal({ rid: dm.body.room._id, messageId: d._id, kind: 'dm', from: alice.username });
      await sleep(QUIET_MS);
      expect(na.items, 'the sender gets no notification').to.deep.equal([]);
      expect(nd.items, 'an unmentioned member gets no notification').to.deep.equal([]);
    });

    it('shows presence online, away, then offline when the last socket goes', async () => {
      const watcher = await registerUser(server.url);
      const dave = await registerUser(server.url);
      const sw = await open(watcher);
      const mine = (status: string) => (e: { userId: string; status: string }) => e.userId === dave._id && e.status === status;
      const online = nextEvent(sw, 'presence', 3000, mine('online'));
      const sd = await open(dave);
      expect(await online).to.deep.equal({ userId: dave._id, username: dave.username, status: 'online' });
      expect((await watcher.api.get('users.info', { userId: dave._id })).body.user.status).to.equal('online');

      // a second socket of the same user: going away on one keeps them online
      const sd2 = await open(dave);
      const away = nextEvent(sw, 'presence', 3000, mine('away'));
      sd.emit('presence.set', { status: 'away' });
      await sleep(200);
      sd2.emit('presence.set', { status: 'away' });
      await away;
      expect((await watcher.api.get('users.info', { userId: dave._id })).body.user.status).to.equal('away');

      const back = nextEvent(sw, 'presence', 3000, mine('online'));
      sd.emit('presence.set', { status: 'online' });
      await back;

      const offline = nextEvent(sw, 'presence', 3000, mine('offline'));
      const still = collectEvents(sw, 'presence');
      sd.close();
      await sleep(300);
      expect(still.items.filter(mine('offline')), 'still online with one socket left').to.deep.equal([]);
      sd2.close();
      await offline;
      expect((await watcher.api.get('users.info', { userId: dave._id })).body.user.status).to.equal('offline');
    });
  });
});

describe('realtime across two server processes (Redis adapter)', function () {
  this.timeout(60_000);
  let redis: RedisProcess | undefined;
  const procs: ServerProcess[] = [];
  const sockets: Socket[] = [];
  let a: ServerProcess;
  let b: ServerProcess;

  before(async () => {
    redis = await startRedis();
    const mongoUrl = (await testDatabase()).uniqueUrl('mp');
    const env = { MONGO_URL: mongoUrl, REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
    // one after the other: both create the same indexes at start
    procs.push(await startServerProcess(env));
    procs.push(await startServerProcess(env));
    [a, b] = procs as [ServerProcess, ServerProcess];
    await registerUser(a.url); // the admin
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  after(async () => {
    for (const s of sockets.splice(0)) s.close();
    await Promise.all(procs.map((p) => p.kill()));
    await redis?.stop();
  });

  const open = async (url: string, user: TestUser) => {
    const s = await connectSocket(url, user);
    sockets.push(s);
    return s;
  };
  const on = (p: ServerProcess, user: TestUser): TestUser => ({ ...user, api: new ApiClient(p.url).withAuth(user._id, user.token) });

  it('delivers messages from a client on one process to a client on the other, both ways', async () => {
    const alice = await registerUser(a.url);
    const bob = on(b, await registerUser(a.url));
    const room = await createChannel(alice, { type: 'p', members: [bob.username] });
    const sa = await open(a.url, alice);
    const sb = await open(b.url, bob);

    const toB = nextEvent(sb, 'message.created', 5000, (m) => m.msg === 'from A');
    const ack = await sa.timeout(5000).emitWithAck('message.send', { message: { rid: room._id, msg: 'from A' } });
    expect(ack.success).to.equal(true);
    expect((await toB)._id).to.equal(ack.result._id);

    const toA = nextEvent(sa, 'message.created', 5000, (m) => m.msg === 'from B');
    const sent = await send(bob, room._id, 'from B'); // REST on process B
    expect((await toA)._id).to.equal(sent._id);

    // edits and reactions cross too, and each process serves fresh history
    const edited = nextEvent(sb, 'message.updated', 5000, (m) => m._id === ack.result._id);
    expect((await alice.api.post('chat.update', { roomId: room._id, msgId: ack.result._id, text: 'from A, edited' })).status).to.equal(200);
    expect((await edited).msg).to.equal('from A, edited');
    const histB = await bob.api.get('groups.history', { roomId: room._id });
    expect(histB.body.messages.map((m: { msg: string }) => m.msg).slice(0, 2)).to.deep.equal(['from B', 'from A, edited']);
  });

  it('carries membership changes across: added on A, events start on B; kicked on A, events stop on B', async () => {
    const alice = await registerUser(a.url);
    const carol = await registerUser(a.url);
    const room = await createChannel(alice, { type: 'p' });
    const sc = await open(b.url, carol);
    const added = nextEvent(sc, 'membership.changed', 5000, (e) => e.rid === room._id && e.action === 'added');
    expect((await alice.api.post('groups.invite', { roomId: room._id, userId: carol._id })).status).to.equal(200);
    await added;
    const got = nextEvent(sc, 'message.created', 5000, (m) => m.msg === 'welcome');
    await send(alice, room._id, 'welcome');
    await got;

    const removed = nextEvent(sc, 'membership.changed', 5000, (e) => e.rid === room._id && e.action === 'removed');
    expect((await alice.api.post('groups.kick', { roomId: room._id, userId: carol._id })).status).to.equal(200);
    await removed;
    const rec = recordAll(sc);
    await send(alice, room._id, 'after the kick');
    await sleep(QUIET_MS);
    expect(rec.events.filter((e) => aboutRoom(e, room._id))).to.deep.equal([]);
  });

  it('carries presence across: a user connecting to B shows online then offline on A', async () => {
    const watcher = await registerUser(a.url);
    const dave = await registerUser(a.url);
    const sw = await open(a.url, watcher);
    const online = nextEvent(sw, 'presence', 5000, (e) => e.userId === dave._id && e.status === 'online');
    const sd = await open(b.url, dave);
    await online;
    // a second socket on A keeps dave online when the one on B closes
    const sd2 = await open(a.url, dave);
    const early = collectEvents(sw, 'presence');
    sd.close();
    await sleep(500);
    expect(early.items.filter((e) => e.userId === dave._id && e.status === 'offline')).to.deep.equal([]);
    const offline = nextEvent(sw, 'presence', 8000, (e) => e.userId === dave._id && e.status === 'offline');
    sd2.close();
    await offline;
  });
});
