import { expect } from 'chai';
import { registerUser, uniqueName, type ApiResponse, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startWithAdmin, type TestServer } from '../helpers.js';

interface Msg {
  _id: string;
  seq: number;
  msg: string;
  change: number;
}

describe('messages REST API', function () {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let rid: string;
  before(async () => {
    ({ server, admin } = await startWithAdmin());
    alice = await registerUser(server.url);
    bob = await registerUser(server.url);
    rid = (await createChannel(alice, { members: [bob.username] }))._id;
  });
  after(async () => server.close());

  const db = () => server.workspace.db;
  const roomDoc = (id = rid) => db().collection('rooms').findOne({ _id: id as never });
  /** Everything a write to a room touches: its counters and all its message documents. */
  const roomState = async (id = rid) => {
    await server.workspace.search.settled(id); // index writes run after the send; let them land first
    const room = (await roomDoc(id))!;
    const names = (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.includes(id)).sort();
    const docs: Record<string, unknown[]> = {};
    for (const n of names) docs[n] = (await db().collection(n).find({}).toArray()).sort((a, b) => String(a._id).localeCompare(String(b._id)));
    return {
      counters: { lastSeq: room.lastSeq, lastChange: room.lastChange, msgs: room.msgs, lastMessage: room.lastMessage },
      docs,
      edits: await db().collection('message_edits').countDocuments({ rid: id }),
    };
  };
  const messageDocs = async (id: string, roomId = rid) => {
    const names = (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`msgs_${roomId}_`));
    const out = [];
    for (const n of names) out.push(...(await db().collection(n).find({ _id: id as never }).toArray()));
    return out;
  };
  const expectError = (res: ApiResponse, status: number, errorType: string) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.body).to.include({ success: false, errorType });
  };
  const history = async (user: TestUser, roomId = rid, count = 200) =>
    (await user.api.get('chat.history', { roomId, count })).body.messages as Msg[];
  const getMessage = async (id: string, user = alice) => (await user.api.get('chat.getMessage', { msgId: id })).body.message;
  const newUser = () => registerUser(server.url);

  describe('sending', () => {
    it('a retried send with the same client id returns the same message and stores one copy', async () => {
      const before = (await roomDoc())!;
      const id = uniqueName('client-id-');
      const body = { message: { _id: id, rid, msg: 'once only' } };
      const [a, b] = await Promise.all([alice.api.post('chat.sendMessage', body), alice.api.post('chat.sendMessage', body)]);
      const c = await alice.api.post('chat.sendMessage', body);
      expect([a.status, b.status, c.status]).to.deep.equal([200, 200, 200]);
      expect(a.body.message).to.include({ _id: id, rid, msg: 'once only', seq: before.lastSeq + 1 });
      expect(a.body.message.u).to.include({ _id: alice._id, username: alice.username });
      expect(b.body.message).to.deep.equal(a.body.message);
      expect(c.body.message).to.deep.equal(a.body.message);
      const after = (await roomDoc())!;
      expect([after.msgs, after.lastSeq, after.lastChange]).to.deep.equal([before.msgs + 1, before.lastSeq + 1, before.lastChange + 1]);
      expect((await history(alice)).filter((m) => m._id === id)).to.have.length(1);
      expect(await messageDocs(id)).to.have.length(1);

      // the id belongs to alice's message: someone else, or another room, cannot take it
      const s0 = await roomState();
      expectError(await bob.api.post('chat.sendMessage', body), 409, 'error-conflict');
      const other = await createChannel(alice);
      const o0 = await roomState(other._id);
      expectError(await alice.api.post('chat.sendMessage', { message: { _id: id, rid: other._id, msg: 'elsewhere' } }), 409, 'error-conflict');
      expect(await roomState()).to.deep.equal(s0);
      expect(await roomState(other._id)).to.deep.equal(o0);
    });

    it('refuses empty and whitespace messages and messages over messages.maxLength, storing nothing', async () => {
      const s0 = await roomState();
      const id = uniqueName('refused-');
      for (const msg of ['', '   ', '\n\t ']) {
        expectError(await alice.api.post('chat.sendMessage', { message: { _id: id, rid, msg } }), 400, 'error-empty-message');
      }
      expectError(await bob.api.post('settings/messages.maxLength', { value: 10 }), 403, 'error-not-allowed');
      expect((await admin.api.post('settings/messages.maxLength', { value: 10 })).status).to.equal(200);
      try {
        expectError(await alice.api.post('chat.sendMessage', { message: { _id: id, rid, msg: 'x'.repeat(11) } }), 400, 'error-message-size-exceeded');
        expectError(await alice.api.post('chat.postMessage', { roomId: rid, text: 'y'.repeat(11) }), 400, 'error-message-size-exceeded');
        expect(await roomState()).to.deep.equal(s0);
        // the refused id was not used up
        const ok = await send(alice, rid, 'x'.repeat(10), { _id: id });
        expect(ok).to.include({ _id: id, msg: 'xxxxxxxxxx' });
      } finally {
        expect((await admin.api.post('settings/messages.maxLength', { value: 5000 })).status).to.equal(200);
      }
    });

    it('refuses injected operators and unknown fields on every write endpoint (400), writing nothing', async () => {
      const m = await send(alice, rid, 'target');
      const s0 = await roomState();
      const cases: [string, unknown][] = [
        ['chat.sendMessage', { message: { rid, msg: { $ne: 1 } } }],
        ['chat.sendMessage', { message: { rid: { $gt: '' }, msg: 'x' } }],
        ['chat.sendMessage', { message: { _id: { $gt: '' }, rid, msg: 'x' } }],
        ['chat.sendMessage', { message: { rid, msg: 'x', tmid: { $exists: true } } }],
        ['chat.sendMessage', { message: { rid, msg: 'x', u: { _id: bob._id, username: bob.username } } }],
        ['chat.sendMessage', { message: { rid, msg: 'x', alias: 'Boss' } }],
        ['chat.sendMessage', { message: { rid, msg: 'x', ts: '2000-01-01T00:00:00Z' } }],
        ['chat.sendMessage', { message: { rid, msg: 'x', seq: 1 } }],
        ['chat.sendMessage', { message: { rid, msg: 'x' }, extra: 1 }],
        ['chat.sendMessage', { message: 'x' }],
        ['chat.sendMessage', { rid, msg: 'x' }],
        ['chat.sendMessage', { message: { rid, msg: 'x', _id: 'has space' } }],
        ['chat.postMessage', { roomId: rid, text: { $gt: '' } }],
        ['chat.postMessage', { channel: { $gt: '' }, text: 'x' }],
        ['chat.postMessage', { roomId: rid, text: 'x', alias: 'Boss' }],
        ['chat.postMessage', { roomId: rid, text: 'x', avatar: 'https://evil.test/a.png' }],
        ['chat.postMessage', { roomId: rid, text: 'x', attachments: [{ text: 'x' }] }],
        ['chat.postMessage', { roomId: rid, channel: '#x', text: 'x' }],
        ['chat.postMessage', { text: 'x' }],
        ['chat.update', { roomId: rid, msgId: m._id, text: { $set: 'x' } }],
        ['chat.update', { roomId: rid, msgId: { $ne: null }, text: 'x' }],
        ['chat.update', { roomId: rid, msgId: m._id, text: 'x', u: { _id: bob._id } }],
        ['chat.update', { roomId: rid, msgId: m._id, text: 'x', pinned: true }],
        ['chat.delete', { roomId: rid, msgId: { $ne: null } }],
        ['chat.delete', { roomId: { $gt: '' }, msgId: m._id }],
        ['chat.delete', { roomId: rid, msgId: m._id, asUser: true }],
        ['chat.react', { messageId: { $gt: '' }, emoji: 'smile' }],
        ['chat.react', { messageId: m._id, emoji: { $gt: '' } }],
        ['chat.react', { messageId: m._id, emoji: 'smile', shouldReact: 'yes' }],
        ['chat.react', { messageId: m._id, emoji: 'smile', usernames: [bob.username] }],
        ['chat.pinMessage', { messageId: { $gt: '' } }],
        ['chat.pinMessage', { messageId: m._id, pinned: false }],
        ['chat.unPinMessage', { messageId: m._id, x: 1 }],
        ['chat.starMessage', { messageId: [m._id] }],
        ['chat.unStarMessage', { messageId: m._id, starred: true }],
      ];
      for (const [path, body] of cases) {
        const res = await alice.api.post(path, body);
        expect(res.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
        expect(res.body.errorType).to.equal('error-invalid-params');
      }
      for (const [path, q] of [
        ['chat.getMessage', { 'msgId[$ne]': 'x' }],
        ['chat.getMessage', { msgId: m._id, extra: 'x' }],
        ['chat.history', { roomId: rid, before: 'abc' }],
        ['chat.history', { roomId: rid, count: 0 }],
        ['chat.history', { roomId: rid, count: 201 }],
        ['chat.syncMessages', { roomId: rid }],
        ['chat.syncMessages', { roomId: rid, since: -1 }],
        ['chat.getThreadMessages', { tmid: m._id, count: 'all' }],
      ] as const) {
        expectError(await alice.api.get(path, q), 400, 'error-invalid-params');
      }
      expect(await roomState()).to.deep.equal(s0);
      expect(await getMessage(m._id)).to.include({ msg: 'target' });
    });
  });

  describe('access', () => {
    it('a non-member cannot read or touch a private group (404) and nothing is stored', async () => {
      const group = await createChannel(alice, { type: 'p', members: [bob.username] });
      const m = await send(alice, group._id, 'secret');
      await send(bob, group._id, 'secret reply', { tmid: m._id });
      const outsider = await newUser();
      const s0 = await roomState(group._id);
      for (const [path, q] of [
        ['groups.history', { roomId: group._id }],
        ['chat.history', { roomId: group._id }],
        ['chat.history', { roomId: group._id, around: m._id }],
        ['chat.getMessage', { msgId: m._id }],
        ['chat.getMessageEdits', { msgId: m._id }],
        ['chat.getThreadMessages', { tmid: m._id }],
        ['chat.syncMessages', { roomId: group._id, since: 0 }],
      ] as const) {
        expectError(await outsider.api.get(path, q), 404, 'error-not-found');
      }
      for (const [path, body] of [
        ['chat.sendMessage', { message: { rid: group._id, msg: 'x' } }],
        ['chat.sendMessage', { message: { rid: group._id, msg: 'x', tmid: m._id } }],
        ['chat.postMessage', { roomId: group._id, text: 'x' }],
        ['chat.postMessage', { channel: `#${(await roomDoc(group._id))!.name}`, text: 'x' }],
        ['chat.update', { roomId: group._id, msgId: m._id, text: 'x' }],
        ['chat.delete', { roomId: group._id, msgId: m._id }],
        ['chat.react', { messageId: m._id, emoji: 'smile' }],
        ['chat.pinMessage', { messageId: m._id }],
        ['chat.starMessage', { messageId: m._id }],
      ] as const) {
        expectError(await outsider.api.post(path, body), 404, 'error-not-found');
      }
      expect(await roomState(group._id)).to.deep.equal(s0);
    });

    it('a non-member of a public channel reads it but cannot post, react or pin (403)', async () => {
      const room = await createChannel(alice);
      const m = await send(alice, room._id, 'public words');
      const outsider = await newUser();
      expect((await history(outsider, room._id)).map((x) => x.msg)).to.deep.equal(['public words']);
      expect((await getMessage(m._id, outsider)).msg).to.equal('public words');
      const s0 = await roomState(room._id);
      expectError(await outsider.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } }), 403, 'error-not-member');
      expectError(await outsider.api.post('chat.react', { messageId: m._id, emoji: 'smile' }), 403, 'error-not-member');
      expectError(await outsider.api.post('chat.pinMessage', { messageId: m._id }), 403, 'error-not-member');
      expectError(await outsider.api.post('chat.starMessage', { messageId: m._id }), 403, 'error-not-member');
      expectError(await outsider.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'x' }), 403, 'error-not-allowed');
      expectError(await outsider.api.post('chat.delete', { roomId: room._id, msgId: m._id }), 403, 'error-not-allowed');
      expect(await roomState(room._id)).to.deep.equal(s0);
    });

    it('read-only rooms: plain members cannot post or reply; owners, room moderators and admins can', async () => {
      const room = await createChannel(alice, { members: [bob.username], readOnly: true });
      const carol = await newUser();
      await carol.api.post('channels.join', { roomId: room._id });
      const parent = await send(alice, room._id, 'announcement');
      const s0 = await roomState(room._id);
      expectError(await carol.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } }), 403, 'error-room-read-only');
      expectError(await carol.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x', tmid: parent._id } }), 403, 'error-room-read-only');
      expectError(await carol.api.post('chat.postMessage', { roomId: room._id, text: 'x' }), 403, 'error-room-read-only');
      expect(await roomState(room._id)).to.deep.equal(s0);
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      await send(bob, room._id, 'moderator');
      await admin.api.post('channels.join', { roomId: room._id });
      await send(admin, room._id, 'admin');
      expect((await history(carol, room._id)).filter((m) => !('t' in m)).map((m) => m.msg)).to.deep.equal(['admin', 'moderator', 'announcement']);
    });
  });

  describe('chat.postMessage', () => {
    it('posts by roomId, #channel and @username', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const byId = await alice.api.post('chat.postMessage', { roomId: room._id, text: 'by id' });
      expect(byId.body).to.include({ success: true, channel: room._id });
      const byName = await alice.api.post('chat.postMessage', { channel: `#${room.name.toUpperCase()}`, text: 'hello channel' });
      expect(byName.status).to.equal(200);
      expect(byName.body.channel).to.equal(`#${room.name.toUpperCase()}`);
      expect(byName.body.message).to.include({ rid: room._id, msg: 'hello channel' });
      expect(byName.body.ts).to.equal(Date.parse(byName.body.message.ts));
      expect((await history(bob, room._id)).map((m) => m.msg)).to.deep.equal(['hello channel', 'by id']);

      const carol = await newUser();
      const dm = await carol.api.post('chat.postMessage', { channel: `@${bob.username}`, text: 'hello bob' });
      expect(dm.status).to.equal(200);
      const dmRoom = (await carol.api.post('im.create', { username: bob.username })).body.room;
      expect(dm.body.message.rid).to.equal(dmRoom._id);
      expect((await bob.api.get('im.history', { roomId: dmRoom._id })).body.messages.map((m: Msg) => m.msg)).to.deep.equal(['hello bob']);
      await carol.api.post('chat.postMessage', { channel: `@${bob.username}`, text: 'again' });
      expect((await carol.api.get('im.list')).body.ims).to.have.length(1);
    });

    it('refuses unknown or malformed targets, storing nothing', async () => {
      const rooms0 = await db().collection('rooms').countDocuments({});
      const s0 = await roomState();
      expectError(await alice.api.post('chat.postMessage', { channel: '#no-such-room-xyz', text: 'x' }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.postMessage', { channel: '@nobody-here-xyz', text: 'x' }), 400, 'error-invalid-params');
      expectError(await alice.api.post('chat.postMessage', { channel: (await roomDoc())!.name, text: 'x' }), 400, 'error-invalid-params');
      expectError(await alice.api.post('chat.postMessage', { roomId: 'no-such-room', text: 'x' }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.postMessage', { roomId: rid, text: ' ' }), 400, 'error-empty-message');
      expect(await db().collection('rooms').countDocuments({})).to.equal(rooms0);
      expect(await roomState()).to.deep.equal(s0);
    });
  });

  describe('editing and deleting', () => {
    it('chat.update marks the edit and keeps history; others cannot edit unless moderator or admin', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const carol = await newUser();
      await carol.api.post('channels.join', { roomId: room._id });
      const m = await send(alice, room._id, 'first text');
      const s0 = await roomState(room._id);
      expectError(await bob.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'bob was here' }), 403, 'error-not-allowed');
      expectError(await alice.api.post('chat.update', { roomId: rid, msgId: m._id, text: 'wrong room' }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.update', { roomId: room._id, msgId: 'no-such-message', text: 'x' }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.update', { roomId: room._id, msgId: m._id, text: '  ' }), 400, 'error-empty-message');
      expect(await roomState(room._id)).to.deep.equal(s0);
      expect((await alice.api.get('chat.getMessageEdits', { msgId: m._id })).body.edits).to.deep.equal([]);

      const edited = await alice.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'second text' });
      expect(edited.status).to.equal(200);
      expect(edited.body.message).to.include({ _id: m._id, seq: m.seq, msg: 'second text' });
      expect(edited.body.message.editedAt).to.be.a('string');
      expect(edited.body.message.editedBy).to.deep.equal({ _id: alice._id, username: alice.username });
      expect(edited.body.message.change).to.be.greaterThan(m.change);
      expect(await getMessage(m._id)).to.include({ msg: 'second text', editedAt: edited.body.message.editedAt });
      expect((await roomDoc(room._id))!.lastMessage.msg).to.equal('second text');

      // a room moderator and an admin may edit someone else's message
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      expect((await bob.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'moderated' })).body.message.editedBy.username).to.equal(bob.username);
      expect((await admin.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'admin fix' })).status).to.equal(200);
      expectError(await carol.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'carol' }), 403, 'error-not-allowed');
      const edits = (await carol.api.get('chat.getMessageEdits', { msgId: m._id })).body.edits;
      expect(edits.map((e: { msg: string }) => e.msg)).to.deep.equal(['first text', 'second text', 'moderated']);
      expect(edits.map((e: { editedBy: { _id: string } }) => e.editedBy._id)).to.deep.equal([alice._id, bob._id, admin._id]);
      expect(await messageDocs(m._id, room._id)).to.have.length(1);
      // system messages cannot be edited
      const join = (await history(alice, room._id)).find((x) => (x as { t?: string }).t === 'uj')!;
      expectError(await admin.api.post('chat.update', { roomId: room._id, msgId: join._id, text: 'x' }), 403, 'error-not-allowed');
    });

    it('chat.delete removes the message from history, getMessage and lastMessage; others need moderator or admin', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const keep = await send(alice, room._id, 'keep me');
      const m = await send(alice, room._id, 'delete me');
      await bob.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
      const s0 = await roomState(room._id);
      expectError(await bob.api.post('chat.delete', { roomId: room._id, msgId: m._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('chat.delete', { roomId: rid, msgId: m._id }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.delete', { roomId: room._id, msgId: 'no-such-message' }), 404, 'error-not-found');
      expect(await roomState(room._id)).to.deep.equal(s0);

      const del = await alice.api.post('chat.delete', { roomId: room._id, msgId: m._id });
      expect(del.body).to.deep.equal({ success: true, _id: m._id });
      expect((await history(bob, room._id)).map((x) => x._id)).to.deep.equal([keep._id]);
      expectError(await bob.api.get('chat.getMessage', { msgId: m._id }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.delete', { roomId: room._id, msgId: m._id }), 404, 'error-not-found');
      expectError(await alice.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'revive' }), 404, 'error-not-found');
      expectError(await bob.api.post('chat.react', { messageId: m._id, emoji: 'smile' }), 404, 'error-not-found');
      // the deleted text is gone everywhere
      const [stored] = await messageDocs(m._id, room._id);
      expect(stored).to.include({ deleted: true, msg: '' });
      const info = (await bob.api.get('channels.info', { roomId: room._id })).body.channel;
      expect(JSON.stringify(info)).not.to.contain('delete me');
      expect(info.lastMessage?._id).to.equal(keep._id);
      const rooms = (await bob.api.get('rooms.get')).body.update;
      expect(JSON.stringify(rooms)).not.to.contain('delete me');

      // a room moderator may delete someone else's message
      const other = await send(alice, room._id, 'moderate me');
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      expect((await bob.api.post('chat.delete', { roomId: room._id, msgId: other._id })).status).to.equal(200);
      expect((await history(alice, room._id)).map((x) => x._id)).to.deep.equal([keep._id]);
    });
  });

  describe('reactions, pins and stars', () => {
    it('chat.react toggles with either shortcode form', async () => {
      const m = await send(alice, rid, 'react to me');
      const r1 = await bob.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
      expect(r1.body.message.reactions).to.deep.equal({ ':smile:': { usernames: [bob.username] } });
      const r2 = await alice.api.post('chat.react', { messageId: m._id, emoji: ':smile:' });
      expect(r2.body.message.reactions).to.deep.equal({ ':smile:': { usernames: [bob.username, alice.username] } });
      const r3 = await alice.api.post('chat.react', { messageId: m._id, emoji: '+1' });
      expect(Object.keys(r3.body.message.reactions).sort()).to.deep.equal([':+1:', ':smile:']);
      // an explicit shouldReact is idempotent
      const r4 = await alice.api.post('chat.react', { messageId: m._id, emoji: 'smile', shouldReact: true });
      expect(r4.body.message.reactions[':smile:'].usernames).to.deep.equal([bob.username, alice.username]);
      await bob.api.post('chat.react', { messageId: m._id, emoji: ':smile:' });
      await alice.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
      const r6 = await alice.api.post('chat.react', { messageId: m._id, emoji: ':+1:', shouldReact: false });
      expect(r6.body.message.reactions).to.equal(undefined);
      expect((await getMessage(m._id)).reactions).to.equal(undefined);

      const s0 = await roomState();
      for (const emoji of ['<script>', 'a.b', '$set', 'smile face', '', '::', 'x'.repeat(65), 'Smile']) {
        expectError(await bob.api.post('chat.react', { messageId: m._id, emoji }), 400, 'error-invalid-params');
      }
      expectError(await bob.api.post('chat.react', { messageId: 'no-such-message', emoji: 'smile' }), 404, 'error-not-found');
      expect(await roomState()).to.deep.equal(s0);
    });

    it('pins and stars', async () => {
      const m = await send(alice, rid, 'pin me');
      const pinned = await bob.api.post('chat.pinMessage', { messageId: m._id });
      expect(pinned.body.message.pinned).to.equal(true);
      expect((await getMessage(m._id)).pinned).to.equal(true);
      expect((await alice.api.post('chat.unPinMessage', { messageId: m._id })).body.message.pinned).to.equal(undefined);
      expect((await bob.api.post('chat.starMessage', { messageId: m._id })).body.message.starred).to.deep.equal([{ _id: bob._id }]);
      expect((await bob.api.post('chat.starMessage', { messageId: m._id })).body.message.starred).to.deep.equal([{ _id: bob._id }]);
      expect((await alice.api.post('chat.starMessage', { messageId: m._id })).body.message.starred).to.deep.equal([{ _id: bob._id }, { _id: alice._id }]);
      expect((await bob.api.post('chat.unStarMessage', { messageId: m._id })).body.message.starred).to.deep.equal([{ _id: alice._id }]);
      expectError(await bob.api.post('chat.pinMessage', { messageId: 'no-such-message' }), 404, 'error-not-found');
      // a guest may not pin
      const guest = await newUser();
      await alice.api.post('channels.invite', { roomId: rid, userId: guest._id });
      await admin.api.post('users.setRoles', { userId: guest._id, roles: ['guest'] });
      const s0 = await roomState();
      expectError(await guest.api.post('chat.pinMessage', { messageId: m._id }), 403, 'error-not-allowed');
      expect(await roomState()).to.deep.equal(s0);
    });
  });

  describe('threads', () => {
    it('reply count, last reply and repliers on the parent; paged replies; no reply to a reply', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const parent = await send(alice, room._id, 'thread start');
      const replies: Msg[] = [];
      for (let i = 0; i < 5; i++) replies.push(await send(i % 2 ? alice : bob, room._id, `reply ${i}`, { tmid: parent._id }));
      const p = await getMessage(parent._id);
      expect(p.tcount).to.equal(5);
      expect(p.replies).to.have.members([alice._id, bob._id]);
      expect(p.replies).to.have.length(2);
      expect(p.tlm).to.equal((await getMessage(replies[4]!._id)).ts);
      expect((await getMessage(replies[0]!._id))).to.include({ tmid: parent._id, tshow: false });

      const page = await alice.api.get('chat.getThreadMessages', { tmid: parent._id, count: 2, offset: 1 });
      expect(page.body).to.include({ total: 5, count: 2, offset: 1 });
      expect(page.body.messages.map((m: Msg) => m.msg)).to.deep.equal(['reply 1', 'reply 2']);
      const rest = await alice.api.get('chat.getThreadMessages', { tmid: parent._id, count: 50, offset: 3 });
      expect(rest.body.messages.map((m: Msg) => m.msg)).to.deep.equal(['reply 3', 'reply 4']);

      const s0 = await roomState(room._id);
      expectError(await alice.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x', tmid: replies[0]!._id } }), 400, 'error-invalid-params');
      expectError(await alice.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x', tmid: 'no-such-message' } }), 404, 'error-not-found');
      const elsewhere = await send(alice, rid, 'in another room');
      expect(await roomState(room._id)).to.deep.equal(s0);
      expectError(await alice.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x', tmid: elsewhere._id } }), 404, 'error-not-found');
      expect(await roomState(room._id)).to.deep.equal(s0);

      // replies stay out of the room's stream unless also sent to the room
      await send(bob, room._id, 'shown too', { tmid: parent._id, tshow: true });
      expect((await history(alice, room._id)).map((m) => m.msg)).to.deep.equal(['shown too', 'thread start']);
      expect((await getMessage(parent._id)).tcount).to.equal(6);
      // deleting a reply lowers the count
      await bob.api.post('chat.delete', { roomId: room._id, msgId: replies[0]!._id });
      expect((await getMessage(parent._id)).tcount).to.equal(5);
      const after = await alice.api.get('chat.getThreadMessages', { tmid: parent._id, count: 2 });
      expect(after.body.total).to.equal(5);
      expect(after.body.messages.map((m: Msg) => m.msg)).to.deep.equal(['reply 1', 'reply 2']);
    });
  });

  describe('history and sync', () => {
    it('pages newest first across segment boundaries, jumps around a message, and syncs changes', async function () {
      this.timeout(120_000);
      const room = await createChannel(alice, { members: [bob.username] });
      const sent: Msg[] = [];
      for (let i = 0; i < 600; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => send(alice, room._id, `m${i + k}`, { _id: `hist${room._id}${i + k}` })));
        sent.push(...batch);
      }
      expect(new Set(sent.map((m) => m.seq)).size).to.equal(600);
      expect((await roomDoc(room._id))!).to.include({ lastSeq: 600, msgs: 600 });
      const bySeqDesc = [...sent].sort((a, b) => b.seq - a.seq).map((m) => m._id);

      // walk back through every page
      const seen: string[] = [];
      let before: number | undefined;
      let pages = 0;
      for (;;) {
        const page = await bob.api.get('chat.history', { roomId: room._id, count: 70, before });
        expect(page.status).to.equal(200);
        seen.push(...page.body.messages.map((m: Msg) => m._id));
        pages++;
        if (page.body.before === null) break;
        before = page.body.before;
      }
      expect(pages).to.equal(9);
      expect(seen).to.deep.equal(bySeqDesc);
      // a page that starts exactly at a segment boundary
      const boundary = await bob.api.get('chat.history', { roomId: room._id, count: 3, before: 252 });
      expect(boundary.body.messages.map((m: Msg) => m.seq)).to.deep.equal([251, 250, 249]);
      expect(boundary.body.before).to.equal(249);
      const start = await bob.api.get('chat.history', { roomId: room._id, count: 5, before: 3 });
      expect(start.body.messages.map((m: Msg) => m.seq)).to.deep.equal([2, 1]);
      expect(start.body.before).to.equal(null);

      // around a message
      const target = sent.find((m) => m.seq === 250)!;
      const around = await bob.api.get('chat.history', { roomId: room._id, around: target._id, count: 11 });
      expect(around.body.messages.map((m: Msg) => m.seq)).to.deep.equal([255, 254, 253, 252, 251, 250, 249, 248, 247, 246, 245]);
      expect(around.body).to.include({ hasMoreAfter: true, before: 245 });
      const one = await bob.api.get('chat.history', { roomId: room._id, around: target._id, count: 1 });
      expect(one.body.messages.map((m: Msg) => m.seq)).to.deep.equal([250]);
      const newestEdge = await bob.api.get('chat.history', { roomId: room._id, around: sent.find((m) => m.seq === 599)!._id, count: 5 });
      expect(newestEdge.body.messages.map((m: Msg) => m.seq)).to.deep.equal([600, 599, 598, 597]);
      expect(newestEdge.body.hasMoreAfter).to.equal(false);
      expectError(await bob.api.get('chat.history', { roomId: rid, around: target._id }), 404, 'error-not-found');
      expectError(await bob.api.get('chat.history', { roomId: room._id, around: 'no-such-message' }), 404, 'error-not-found');

      // sync: a client that saw `cursor` gets the edits, the delete and a new message, each once
      const cursor = (await bob.api.get('chat.history', { roomId: room._id, count: 1 })).body.lastChange;
      expect(cursor).to.equal((await roomDoc(room._id))!.lastChange);
      await alice.api.post('chat.update', { roomId: room._id, msgId: sent[5]!._id, text: 'changed' });
      await bob.api.post('chat.react', { messageId: sent[300]!._id, emoji: 'smile' });
      await alice.api.post('chat.update', { roomId: room._id, msgId: sent[5]!._id, text: 'changed twice' });
      await alice.api.post('chat.delete', { roomId: room._id, msgId: sent[6]!._id });
      const fresh = await send(alice, room._id, 'fresh');
      const gone = await send(alice, room._id, 'born and deleted');
      await alice.api.post('chat.delete', { roomId: room._id, msgId: gone._id });
      const updated: Msg[] = [];
      const deleted: string[] = [];
      let since = cursor;
      let calls = 0;
      for (;;) {
        const r = (await bob.api.get('chat.syncMessages', { roomId: room._id, since, count: 2 })).body.result;
        updated.push(...r.updated);
        deleted.push(...r.deleted.map((d: { _id: string }) => d._id));
        expect(r.cursor).to.be.greaterThan(since);
        since = r.cursor;
        calls++;
        if (!r.more) break;
      }
      expect(calls).to.equal(4);
      expect(since).to.equal((await roomDoc(room._id))!.lastChange);
      expect(updated.map((m) => [m._id, m.msg])).to.deep.equal([
        [sent[300]!._id, 'm300'],
        [sent[5]!._id, 'changed twice'],
        [fresh._id, 'fresh'],
      ]);
      expect(deleted).to.deep.equal([sent[6]!._id, gone._id]);
      // all at once gives the same; nothing new after the end
      const all = (await bob.api.get('chat.syncMessages', { roomId: room._id, since: cursor })).body.result;
      expect(all.updated.map((m: Msg) => m._id)).to.deep.equal(updated.map((m) => m._id));
      expect(all).to.include({ more: false, cursor: since });
      const none = (await bob.api.get('chat.syncMessages', { roomId: room._id, since })).body.result;
      expect(none).to.deep.equal({ updated: [], deleted: [], cursor: since, more: false });
      // a deleted message is not a jump target
      expectError(await bob.api.get('chat.history', { roomId: room._id, around: sent[6]!._id }), 404, 'error-not-found');
    });

    it('a room of 101 to 200 messages gives every message to a large page, every time', async function () {
      this.timeout(60_000);
      const room = await createChannel(alice);
      for (let i = 0; i < 140; i += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, k) => send(alice, room._id, `n${i + k}`)));
      }
      for (let i = 0; i < 3; i++) {
        const page = await alice.api.get('chat.history', { roomId: room._id, count: 200 });
        expect(page.body.messages, `read ${i}`).to.have.length(140);
        expect(page.body.before).to.equal(null);
      }
      const small = await alice.api.get('chat.history', { roomId: room._id, count: 30 });
      expect(small.body.messages.map((m: Msg) => m.seq)).to.deep.equal(Array.from({ length: 30 }, (_, i) => 140 - i));
      expect(small.body.before).to.equal(111);
    });
  });
});
