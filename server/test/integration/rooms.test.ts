import { expect } from 'chai';
import { registerUser, uniqueName, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startWithAdmin, type TestServer } from '../helpers.js';

describe('rooms REST API', function () {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    ({ server, admin } = await startWithAdmin());
    alice = await registerUser(server.url);
    bob = await registerUser(server.url);
  });
  after(async () => server.close());
  const roomCount = () => server.workspace.db.collection('rooms').countDocuments({});

  it('creates channels, refuses duplicate and invalid names, writing nothing', async () => {
    const room = await createChannel(alice, { members: [bob.username] });
    const before = await roomCount();
    const dup = await alice.api.post('channels.create', { name: room.name.toUpperCase() });
    expect(dup.status).to.equal(409);
    expect(dup.body.errorType).to.equal('error-duplicate-channel-name');
    for (const name of ['has space', '#hash', 'a.b', '']) {
      expect((await alice.api.post('channels.create', { name })).status, name).to.equal(400);
    }
    const unknown = await alice.api.post('channels.create', { name: uniqueName('r'), members: ['nobody-here-xyz'] });
    expect(unknown.status).to.equal(400);
    expect(await roomCount()).to.equal(before);
    const info = await bob.api.get('channels.info', { roomName: room.name });
    expect(info.body.channel).to.include({ _id: room._id, usersCount: 2 });
  });

  it('lists public channels in the directory, never private groups', async () => {
    const pub = await createChannel(alice);
    const priv = await createChannel(alice, { type: 'p' });
    const list = await bob.api.get('channels.list', { count: 500 });
    const ids = list.body.channels.map((c: { _id: string }) => c._id);
    expect(ids).to.include(pub._id);
    expect(ids).not.to.include(priv._id);
  });

  it('join and leave; the last owner cannot leave while others remain', async () => {
    const room = await createChannel(alice);
    expect((await bob.api.post('channels.join', { roomId: room._id })).status).to.equal(200);
    const lastOwner = await alice.api.post('channels.leave', { roomId: room._id });
    expect(lastOwner.status).to.equal(403);
    expect((await bob.api.post('channels.leave', { roomId: room._id })).status).to.equal(200);
    expect((await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription).to.equal(null);
  });

  it('private groups: only owners invite; a kicked member loses access at once', async () => {
    const group = await createChannel(alice, { type: 'p', members: [bob.username] });
    const carol = await registerUser(server.url);
    const refused = await bob.api.post('groups.invite', { roomId: group._id, userId: carol._id });
    expect(refused.status).to.equal(403);
    expect((await carol.api.get('chat.history', { roomId: group._id })).status).to.equal(404);
    expect((await alice.api.post('groups.invite', { roomId: group._id, userId: carol._id })).status).to.equal(200);
    expect((await carol.api.get('chat.history', { roomId: group._id })).status).to.equal(200);
    expect((await bob.api.post('groups.kick', { roomId: group._id, userId: carol._id })).status).to.equal(403);
    expect((await alice.api.post('groups.kick', { roomId: group._id, userId: carol._id })).status).to.equal(200);
    expect((await carol.api.get('chat.history', { roomId: group._id })).status).to.equal(404);
    expect((await carol.api.post('chat.sendMessage', { message: { rid: group._id, msg: 'hi' } })).status).to.equal(404);
  });

  it('only owners, moderators or admins change a room; read-only and archive are enforced', async () => {
    const room = await createChannel(alice, { members: [bob.username] });
    expect((await bob.api.post('channels.setTopic', { roomId: room._id, topic: 'hijack' })).status).to.equal(403);
    expect((await bob.api.post('channels.rename', { roomId: room._id, name: uniqueName('x') })).status).to.equal(403);
    expect((await alice.api.get('channels.info', { roomId: room._id })).body.channel.topic).to.equal(undefined);
    expect((await alice.api.post('channels.setTopic', { roomId: room._id, topic: 'Plans' })).body.topic).to.equal('Plans');
    expect((await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id })).status).to.equal(200);
    expect((await bob.api.post('channels.setAnnouncement', { roomId: room._id, announcement: 'Hi' })).status).to.equal(200);
    const carol = await registerUser(server.url);
    await carol.api.post('channels.join', { roomId: room._id });
    expect((await alice.api.post('channels.setReadOnly', { roomId: room._id, readOnly: true })).status).to.equal(200);
    const ro = await carol.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } });
    expect(ro.status).to.equal(403);
    expect(ro.body.errorType).to.equal('error-room-read-only');
    await send(bob, room._id, 'moderators may post');
    expect((await alice.api.post('channels.archive', { roomId: room._id })).status).to.equal(200);
    const archived = await alice.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } });
    expect(archived.body.errorType).to.equal('error-room-archived');
    expect((await alice.api.post('channels.unarchive', { roomId: room._id })).status).to.equal(200);
    await send(alice, room._id, 'back');
  });

  it('deletes a room with its data (owner or admin only)', async () => {
    const room = await createChannel(alice, { members: [bob.username] });
    await send(alice, room._id, 'soon gone');
    expect((await bob.api.post('channels.delete', { roomId: room._id })).status).to.equal(403);
    expect((await admin.api.post('channels.delete', { roomId: room._id })).status).to.equal(200);
    expect((await alice.api.get('chat.history', { roomId: room._id })).status).to.equal(404);
    expect(await server.workspace.db.collection('subscriptions').countDocuments({ rid: room._id })).to.equal(0);
    const names = (await server.workspace.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.includes(room._id))).to.deep.equal([]);
  });

  it('a guest cannot create channels', async () => {
    const guest = await registerUser(server.url);
    expect((await admin.api.post('users.setRoles', { userId: guest._id, roles: ['guest'] })).status).to.equal(200);
    const before = await roomCount();
    expect((await guest.api.post('channels.create', { name: uniqueName('g') })).status).to.equal(403);
    expect((await guest.api.post('groups.create', { name: uniqueName('g') })).status).to.equal(403);
    expect(await roomCount()).to.equal(before);
  });

  it('direct messages: 1:1 and group, created once', async () => {
    const a = await alice.api.post('im.create', { username: bob.username });
    const again = await bob.api.post('im.create', { username: alice.username });
    expect(a.body.room._id).to.equal(again.body.room._id);
    const carol = await registerUser(server.url);
    const group = await alice.api.post('im.create', { usernames: `${bob.username},${carol.username}` });
    expect(group.body.room.uids).to.have.length(3);
    const ims = await carol.api.get('im.list');
    expect(ims.body.ims.map((r: { _id: string }) => r._id)).to.include(group.body.room._id);
  });

  it('unread and mention counts rise and reset on read; flags set', async () => {
    const room = await createChannel(alice, { members: [bob.username] });
    await send(alice, room._id, 'one');
    await send(alice, room._id, `hey @${bob.username}`);
    await send(alice, room._id, '@all listen');
    const sub = async () => (await bob.api.get('subscriptions.get')).body.update.find((s: { rid: string }) => s.rid === room._id);
    expect(await sub()).to.include({ unread: 3, userMentions: 1, groupMentions: 1 });
    expect((await bob.api.get('subscriptions.get')).body.totalUnread).to.be.at.least(3);
    expect((await bob.api.post('subscriptions.read', { rid: room._id })).status).to.equal(200);
    expect(await sub()).to.include({ unread: 0, userMentions: 0, groupMentions: 0 });
    expect((await bob.api.post('rooms.favorite', { roomId: room._id, favorite: true })).status).to.equal(200);
    expect((await bob.api.post('subscriptions.setFlags', { roomId: room._id, muted: true })).status).to.equal(200);
    expect(await sub()).to.include({ f: true, muted: true });
    expect((await bob.api.post('subscriptions.setFlags', { roomId: { $gt: '' }, muted: true })).status).to.equal(400);
  });
});
