import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startWithAdmin, type TestServer } from '../helpers.js';

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
  const roomDoc = () => server.workspace.db.collection('rooms').findOne({ _id: rid as never });

  it('a retried send with the same client id stores one message', async () => {
    const before = (await roomDoc())!.msgs;
    const body = { message: { _id: 'client-id-retry-1', rid, msg: 'once only' } };
    const [a, b] = await Promise.all([alice.api.post('chat.sendMessage', body), alice.api.post('chat.sendMessage', body)]);
    const c = await alice.api.post('chat.sendMessage', body);
    expect([a.status, b.status, c.status]).to.deep.equal([200, 200, 200]);
    expect(new Set([a.body.message.seq, b.body.message.seq, c.body.message.seq]).size).to.equal(1);
    expect((await roomDoc())!.msgs).to.equal(before + 1);
    const hist = await alice.api.get('chat.history', { roomId: rid, count: 200 });
    expect(hist.body.messages.filter((m: { _id: string }) => m._id === 'client-id-retry-1')).to.have.length(1);
    const stolen = await bob.api.post('chat.sendMessage', body);
    expect(stolen.status).to.equal(409);
  });

  it('refuses empty, too long, injected and unknown-field messages, storing nothing', async () => {
    const before = (await roomDoc())!.lastSeq;
    const empty = await alice.api.post('chat.sendMessage', { message: { rid, msg: '   ' } });
    expect(empty.body.errorType).to.equal('error-empty-message');
    expect((await admin.api.post('settings/messages.maxLength', { value: 10 })).status).to.equal(200);
    const long = await alice.api.post('chat.sendMessage', { message: { rid, msg: 'x'.repeat(11) } });
    expect(long.body.errorType).to.equal('error-message-size-exceeded');
    expect((await admin.api.post('settings/messages.maxLength', { value: 5000 })).status).to.equal(200);
    expect((await alice.api.post('chat.sendMessage', { message: { rid, msg: { $ne: 1 } } })).status).to.equal(400);
    expect((await alice.api.post('chat.sendMessage', { message: { rid, msg: 'x', u: { _id: bob._id } } })).status).to.equal(400);
    expect((await alice.api.post('chat.sendMessage', { message: { rid, msg: 'x', alias: 'Boss' } })).status).to.equal(400);
    expect((await roomDoc())!.lastSeq).to.equal(before);
  });

  it('a non-member cannot read or post in a private group', async () => {
    const group = await createChannel(alice, { type: 'p' });
    const m = await send(alice, group._id, 'secret');
    const outsider = await registerUser(server.url);
    expect((await outsider.api.get('groups.history', { roomId: group._id })).status).to.equal(404);
    expect((await outsider.api.get('chat.getMessage', { msgId: m._id })).status).to.equal(404);
    expect((await outsider.api.post('chat.sendMessage', { message: { rid: group._id, msg: 'x' } })).status).to.equal(404);
    expect((await outsider.api.post('chat.react', { messageId: m._id, emoji: 'smile' })).status).to.equal(404);
  });

  it('posts by #channel and @user (Rocket.Chat bot style)', async () => {
    const room = await createChannel(alice);
    const byName = await alice.api.post('chat.postMessage', { channel: `#${room.name}`, text: 'hello channel' });
    expect(byName.body.message.rid).to.equal(room._id);
    const dm = await alice.api.post('chat.postMessage', { channel: `@${bob.username}`, text: 'hello bob' });
    expect(dm.status).to.equal(200);
    expect((await bob.api.get('im.history', { roomId: dm.body.message.rid })).body.messages[0].msg).to.equal('hello bob');
  });

  it('edits keep history; others cannot edit unless moderator or admin; delete removes', async () => {
    const m = await send(alice, rid, 'first text');
    expect((await bob.api.post('chat.update', { roomId: rid, msgId: m._id, text: 'bob was here' })).status).to.equal(403);
    const edited = await alice.api.post('chat.update', { roomId: rid, msgId: m._id, text: 'second text' });
    expect(edited.body.message.msg).to.equal('second text');
    expect(edited.body.message.editedAt).to.be.a('string');
    const edits = await alice.api.get('chat.getMessageEdits', { msgId: m._id });
    expect(edits.body.edits.map((e: { msg: string }) => e.msg)).to.deep.equal(['first text']);
    expect((await admin.api.post('channels.join', { roomId: rid })).status).to.equal(200);
    expect((await admin.api.post('chat.update', { roomId: rid, msgId: m._id, text: 'admin fix' })).status).to.equal(200);
    expect((await bob.api.post('chat.delete', { roomId: rid, msgId: m._id })).status).to.equal(403);
    expect((await alice.api.post('chat.delete', { roomId: rid, msgId: m._id })).status).to.equal(200);
    const hist = await alice.api.get('chat.history', { roomId: rid, count: 200 });
    expect(hist.body.messages.map((x: { _id: string }) => x._id)).not.to.include(m._id);
    expect((await alice.api.get('chat.getMessage', { msgId: m._id })).status).to.equal(404);
  });

  it('reactions toggle with either shortcode form; pins and stars', async () => {
    const m = await send(alice, rid, 'react to me');
    const r1 = await bob.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
    expect(r1.body.message.reactions).to.deep.equal({ ':smile:': { usernames: [bob.username] } });
    const r2 = await alice.api.post('chat.react', { messageId: m._id, emoji: ':smile:' });
    expect(r2.body.message.reactions[':smile:'].usernames).to.have.members([bob.username, alice.username]);
    await bob.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
    const r4 = await alice.api.post('chat.react', { messageId: m._id, emoji: 'smile' });
    expect(r4.body.message.reactions).to.equal(undefined);
    expect((await bob.api.post('chat.react', { messageId: m._id, emoji: '<script>' })).status).to.equal(400);
    expect((await bob.api.post('chat.pinMessage', { messageId: m._id })).body.message.pinned).to.equal(true);
    expect((await bob.api.post('chat.starMessage', { messageId: m._id })).body.message.starred).to.deep.equal([{ _id: bob._id }]);
    expect((await bob.api.post('chat.unStarMessage', { messageId: m._id })).body.message.starred).to.equal(undefined);
  });

  it('threads: counts on the parent, paged replies, no reply to a reply', async () => {
    const parent = await send(alice, rid, 'thread start');
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await send(i % 2 ? alice : bob, rid, `reply ${i}`, { tmid: parent._id }));
    const p = await alice.api.get('chat.getMessage', { msgId: parent._id });
    expect(p.body.message.tcount).to.equal(5);
    expect(p.body.message.replies).to.have.members([alice._id, bob._id]);
    const page = await alice.api.get('chat.getThreadMessages', { tmid: parent._id, count: 2, offset: 1 });
    expect(page.body.total).to.equal(5);
    expect(page.body.messages.map((m: { msg: string }) => m.msg)).to.deep.equal(['reply 1', 'reply 2']);
    const nested = await alice.api.post('chat.sendMessage', { message: { rid, msg: 'x', tmid: replies[0]!._id } });
    expect(nested.status).to.equal(400);
    const main = await alice.api.get('chat.history', { roomId: rid, count: 10 });
    expect(main.body.messages.map((m: { msg: string }) => m.msg)).not.to.include('reply 0');
  });

  it('pages history newest first across segment boundaries, jumps around a message, and syncs changes', async function () {
    this.timeout(120_000);
    const room = await createChannel(alice, { members: [bob.username] });
    const sent: { _id: string; seq: number }[] = [];
    for (let i = 0; i < 600; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => send(alice, room._id, `m${i + k}`, { _id: `hist${room._id}${i + k}` })));
      sent.push(...batch);
    }
    // walk back through every page
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await bob.api.get('chat.history', { roomId: room._id, count: 70, before });
      seen.push(...page.body.messages.map((m: { _id: string }) => m._id));
      if (page.body.before === null) break;
      before = page.body.before;
    }
    const bySeqDesc = [...sent].sort((a, b) => b.seq - a.seq).map((m) => m._id);
    expect(seen).to.deep.equal(bySeqDesc);
    const target = sent.find((m) => m._id === `hist${room._id}300`)!;
    const around = await bob.api.get('chat.history', { roomId: room._id, around: target._id, count: 11 });
    const seqs = around.body.messages.map((m: { seq: number }) => m.seq);
    expect(seqs).to.include(target.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a: number, b: number) => b - a));
    expect(around.body.hasMoreAfter).to.equal(true);
    // sync: a client that saw `cursor` gets the edit, the delete and a new message, each once
    const cursor = (await bob.api.get('chat.history', { roomId: room._id, count: 1 })).body.lastChange;
    await alice.api.post('chat.update', { roomId: room._id, msgId: sent[5]!._id, text: 'changed' });
    await alice.api.post('chat.update', { roomId: room._id, msgId: sent[5]!._id, text: 'changed twice' });
    await alice.api.post('chat.delete', { roomId: room._id, msgId: sent[6]!._id });
    const fresh = await send(alice, room._id, 'fresh');
    const updated: { _id: string; msg: string }[] = [];
    const deleted: string[] = [];
    let since = cursor;
    for (;;) {
      const r = (await bob.api.get('chat.syncMessages', { roomId: room._id, since, count: 2 })).body.result;
      updated.push(...r.updated);
      deleted.push(...r.deleted.map((d: { _id: string }) => d._id));
      since = r.cursor;
      if (!r.more) break;
    }
    expect(updated.map((m) => [m._id, m.msg])).to.deep.equal([[sent[5]!._id, 'changed twice'], [fresh._id, 'fresh']]);
    expect(deleted).to.deep.equal([sent[6]!._id]);
  });
});
