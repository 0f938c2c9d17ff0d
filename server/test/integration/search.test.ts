import { expect } from 'chai';
import sharp from 'sharp';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startTestServer, type TestServer } from '../helpers.js';

/** A clock the test moves (message dates for before:/after:/on:). */
const clock = { t: Date.parse('2024-03-10T12:00:00Z'), now() { return new Date(this.t); } };

describe('search', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  const search = async (user: TestUser, searchText: string, extra: Record<string, string | number> = {}) => {
    const res = await user.api.get('chat.search', { searchText, ...extra });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.messages as { _id: string; msg: string; rid: string; ts: string }[];
  };
  const texts = (ms: { msg: string }[]) => ms.map((m) => m.msg);

  before(async () => {
    server = await startTestServer({}, clock);
    admin = await registerUser(server.url);
    bob = await registerUser(server.url);
    carol = await registerUser(server.url);
  });
  after(async () => server?.close());

  it('finds messages by all their words, ignoring case and accents, newest first, with a prefix on the last word', async () => {
    const room = await createChannel(bob, { members: [carol.username] });
    await send(bob, room._id, 'The Café opens at nine');
    clock.t += 60_000;
    await send(carol, room._id, 'the cafe was closed today');
    clock.t += 60_000;
    await send(bob, room._id, 'Nothing about coffee here');
    expect(texts(await search(bob, 'CAFÉ', { roomId: room._id }))).to.deep.equal(['the cafe was closed today', 'The Café opens at nine']);
    expect(texts(await search(bob, 'cafe closed', { roomId: room._id }))).to.deep.equal(['the cafe was closed today']);
    expect(texts(await search(bob, 'cafe clo', { roomId: room._id }))).to.deep.equal(['the cafe was closed today']);
    expect(texts(await search(bob, 'nothing cof', { roomId: room._id }))).to.deep.equal(['Nothing about coffee here']);
    expect(await search(bob, 'cafe nine closed', { roomId: room._id })).to.deep.equal([]);
    expect(await search(bob, '   ', { roomId: room._id })).to.deep.equal([]);
  });

  it('supports from:, in:, has:file and dates, and searches all readable rooms without roomId', async () => {
    const tag = `zebra${Date.now().toString(36)}`;
    const r1 = await createChannel(bob, { members: [carol.username] });
    const r2 = await createChannel(carol, { type: 'p', members: [bob.username] });
    clock.t = Date.parse('2024-04-01T10:00:00Z');
    await send(bob, r1._id, `${tag} one from bob`);
    clock.t = Date.parse('2024-04-02T10:00:00Z');
    await send(carol, r1._id, `${tag} two from carol`);
    clock.t = Date.parse('2024-04-03T10:00:00Z');
    await send(carol, r2._id, `${tag} three in the group`);
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).png().toBuffer();
    const form = new FormData();
    form.append('msg', `${tag} four with a file`);
    form.append('file', new Blob([png], { type: 'image/png' }), 'diagram.png');
    const up = await fetch(`${server.url}/api/v1/rooms.upload/${r2._id}`, { method: 'POST', headers: { 'x-user-id': bob._id, 'x-auth-token': bob.token }, body: form });
    expect(up.status).to.equal(200);

    expect(texts(await search(bob, tag))).to.deep.equal([`${tag} four with a file`, `${tag} three in the group`, `${tag} two from carol`, `${tag} one from bob`]);
    expect(texts(await search(bob, `${tag} from:@${carol.username}`))).to.deep.equal([`${tag} three in the group`, `${tag} two from carol`]);
    expect(texts(await search(bob, `from:${carol.username.toUpperCase()} ${tag}`))).to.have.length(2);
    expect(texts(await search(bob, `${tag} in:#${r1.name}`))).to.deep.equal([`${tag} two from carol`, `${tag} one from bob`]);
    expect(texts(await search(bob, `${tag} has:file`))).to.deep.equal([`${tag} four with a file`]);
    expect(texts(await search(bob, 'diagram has:file'))).to.deep.equal([`${tag} four with a file`]); // the file's name
    expect(texts(await search(bob, `${tag} on:2024-04-02`))).to.deep.equal([`${tag} two from carol`]);
    expect(texts(await search(bob, `${tag} before:2024-04-02`))).to.deep.equal([`${tag} one from bob`]);
    expect(texts(await search(bob, `${tag} after:2024-04-02`))).to.deep.equal([`${tag} four with a file`, `${tag} three in the group`]);
    expect(texts(await search(bob, `in:#${r1.name} on:2024-04-01`))).to.deep.equal([`${tag} one from bob`]);
    expect(await search(bob, `${tag} from:@nosuchuser`)).to.deep.equal([]);
    const bad = await bob.api.get('chat.search', { searchText: 'x before:yesterday' });
    expect(bad.status).to.equal(400);
  });

  it('pages newest first with count and offset', async () => {
    const room = await createChannel(bob);
    for (let i = 1; i <= 7; i++) {
      clock.t += 1000;
      await send(bob, room._id, `paging word ${i}`);
    }
    const p1 = await bob.api.get('chat.search', { roomId: room._id, searchText: 'paging', count: 3, offset: 0 });
    const p2 = await bob.api.get('chat.search', { roomId: room._id, searchText: 'paging', count: 3, offset: 3 });
    const p3 = await bob.api.get('chat.search', { roomId: room._id, searchText: 'paging', count: 3, offset: 6 });
    expect(texts(p1.body.messages)).to.deep.equal(['paging word 7', 'paging word 6', 'paging word 5']);
    expect(p1.body.hasMore).to.equal(true);
    expect(texts(p2.body.messages)).to.deep.equal(['paging word 4', 'paging word 3', 'paging word 2']);
    expect(texts(p3.body.messages)).to.deep.equal(['paging word 1']);
    expect(p3.body.hasMore).to.equal(false);
  });

  it('follows edits and deletes (the index too, not only the results)', async () => {
    const room = await createChannel(bob);
    const m = await send(bob, room._id, 'original walrus text');
    expect(texts(await search(bob, 'walrus', { roomId: room._id }))).to.deep.equal(['original walrus text']);
    expect((await bob.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'edited narwhal text' })).status).to.equal(200);
    expect(await search(bob, 'walrus', { roomId: room._id })).to.deep.equal([]);
    expect(texts(await search(bob, 'narwhal', { roomId: room._id }))).to.deep.equal(['edited narwhal text']);
    const shard = async (token: string) => {
      const names = (await server.workspace.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(`srch_${room._id}_`));
      let seqs: string[] = [];
      for (const n of names) {
        const doc = await server.workspace.db.collection<{ _id: string; s: string[] }>(n).findOne({ _id: token });
        if (doc) seqs = seqs.concat(doc.s);
      }
      return seqs;
    };
    expect(await shard('walrus')).to.deep.equal([]);
    expect(await shard('narwhal')).to.have.length(1);
    expect((await bob.api.post('chat.delete', { roomId: room._id, msgId: m._id })).status).to.equal(200);
    expect(await search(bob, 'narwhal', { roomId: room._id })).to.deep.equal([]);
    expect(await shard('narwhal')).to.deep.equal([]);
  });

  it('never returns a message from a room the user cannot read', async () => {
    const canary = `canary${Date.now().toString(36)}`;
    const outsider = await registerUser(server.url);
    const group = await createChannel(bob, { type: 'p', members: [carol.username] });
    await send(bob, group._id, `secret ${canary} plans`);
    const dm = (await bob.api.post('im.create', { username: carol.username })).body.room;
    await send(bob, dm._id, `dm ${canary}`);
    expect(await search(carol, canary)).to.have.length(2);

    expect(await search(outsider, canary)).to.deep.equal([]);
    expect(await search(outsider, `${canary} in:#${group.name}`)).to.deep.equal([]);
    expect(await search(outsider, `from:@${bob.username} ${canary}`)).to.deep.equal([]);
    expect(await search(outsider, `on:${new Date(clock.t).toISOString().slice(0, 10)}`)).to.satisfy((ms: { rid: string }[]) => ms.every((m) => m.rid !== group._id && m.rid !== dm._id));
    const direct = await outsider.api.get('chat.search', { roomId: group._id, searchText: canary });
    expect(direct.status).to.equal(404);
    expect(JSON.stringify(direct.body)).not.to.contain(canary);
    // even the admin does not see a private group they are not in
    expect(await search(admin, canary)).to.deep.equal([]);
    // after leaving, the room is out of scope
    await bob.api.post('groups.kick', { roomId: group._id, userId: carol._id });
    expect(texts(await search(carol, canary))).to.deep.equal([`dm ${canary}`]);
  });

  it('searches public channels the user has not joined', async () => {
    const word = `public${Date.now().toString(36)}`;
    const room = await createChannel(bob);
    await send(bob, room._id, `${word} announcement`);
    const newcomer = await registerUser(server.url);
    expect(texts(await search(newcomer, word))).to.deep.equal([`${word} announcement`]);
  });

  it('autocompletes rooms and users', async () => {
    const prefix = `ac${Date.now().toString(36)}`;
    const pub = await createChannel(bob, { name: `${prefix}-public` });
    const priv = await createChannel(bob, { name: `${prefix}-private`, type: 'p' });
    const hidden = await createChannel(carol, { name: `${prefix}-hidden`, type: 'p' });
    const res = await bob.api.get('rooms.autocomplete.channelAndPrivate', { selector: JSON.stringify({ name: prefix }) });
    expect(res.status).to.equal(200);
    const ids = res.body.items.map((i: { _id: string }) => i._id);
    expect(ids).to.include.members([pub._id, priv._id]);
    expect(ids).not.to.include(hidden._id);
    const outsider = await registerUser(server.url);
    const forOutsider = (await outsider.api.get('rooms.autocomplete.channelAndPrivate', { selector: JSON.stringify({ name: prefix }) })).body.items;
    expect(forOutsider.map((i: { _id: string }) => i._id)).to.deep.equal([pub._id]);

    const users = await bob.api.get('users.autocomplete', { selector: JSON.stringify({ term: carol.username.slice(0, 8) }) });
    expect(users.status).to.equal(200);
    expect(users.body.items.map((u: { username: string }) => u.username)).to.include(carol.username);
    expect(JSON.stringify(users.body)).not.to.match(/email|password/i);

    expect((await bob.api.get('users.autocomplete', { selector: '{not json' })).status).to.equal(400);
    expect((await bob.api.get('users.autocomplete', { selector: JSON.stringify({ term: { $gt: '' } }) })).status).to.equal(400);
  });

  it('rebuilds a room index from its messages', async () => {
    const room = await createChannel(bob);
    await send(bob, room._id, 'rebuild me please');
    await server.workspace.search.rebuildRoom(room._id);
    expect(texts(await search(bob, 'rebuild', { roomId: room._id }))).to.deep.equal(['rebuild me please']);
  });
});
