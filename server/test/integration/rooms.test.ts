import { expect } from 'chai';
import { registerUser, uniqueName, type ApiResponse, type TestUser } from '@obmeet/test-kit';
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

  const db = () => server.workspace.db;
  const roomCount = () => db().collection('rooms').countDocuments({});
  const subCount = () => db().collection('subscriptions').countDocuments({});
  const roomDoc = (rid: string) => db().collection('rooms').findOne({ _id: rid as never });
  /** The room and its subscriptions, to compare before and after a rejected call. */
  const snapshot = async (rid: string) => ({
    room: await roomDoc(rid),
    subs: (await db().collection('subscriptions').find({ rid }).toArray()).sort((a, b) => String(a._id).localeCompare(String(b._id))),
  });
  const expectError = (res: ApiResponse, status: number, errorType: string) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.body).to.include({ success: false, errorType });
  };
  const ids = (rooms: { _id: string }[]) => rooms.map((r) => r._id);
  const newUser = () => registerUser(server.url);

  describe('create', () => {
    it('creates a channel and a group with their owner and members', async () => {
      const name = uniqueName('Chan');
      const res = await alice.api.post('channels.create', { name, members: [bob.username, alice.username], topic: 'Hello' });
      expect(res.status).to.equal(200);
      const c = res.body.channel;
      expect(c).to.include({ t: 'c', name, fname: name, topic: 'Hello', ro: false, archived: false, usersCount: 2, msgs: 0 });
      expect(c.u).to.deep.equal({ _id: alice._id, username: alice.username });
      const subs = (await snapshot(c._id)).subs;
      expect(subs.map((s) => [s.u._id, s.roles]).sort()).to.deep.equal([[alice._id, ['owner']], [bob._id, []]].sort());

      const g = await alice.api.post('groups.create', { name: uniqueName('grp'), readOnly: true });
      expect(g.status).to.equal(200);
      expect(g.body.group).to.include({ t: 'p', ro: true, usersCount: 1 });
    });

    it('refuses a duplicate name in any case and across channels and groups (409), writing nothing', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const rooms = await roomCount();
      const subs = await subCount();
      for (const [path, name] of [
        ['channels.create', room.name],
        ['channels.create', room.name.toUpperCase()],
        ['groups.create', room.name],
      ] as const) {
        const dup = await bob.api.post(path, { name, members: [alice.username] });
        expectError(dup, 409, 'error-duplicate-channel-name');
      }
      expect(await roomCount()).to.equal(rooms);
      expect(await subCount()).to.equal(subs);
    });

    it('refuses invalid names, unknown members, injected values and unknown fields (400), writing nothing', async () => {
      const rooms = await roomCount();
      const subs = await subCount();
      const bad: unknown[] = [
        { name: 'has space' },
        { name: '#hash' },
        { name: '@at' },
        { name: 'a.b' },
        { name: '$set' },
        { name: '' },
        { name: 'x'.repeat(65) },
        { name: `d:${[alice._id, bob._id].sort().join(',')}` }, // the key of alice and bob's direct message
        {},
        { name: { $gt: '' } },
        { name: [uniqueName('r')] },
        { name: uniqueName('r'), members: [{ $gt: '' }] },
        { name: uniqueName('r'), members: bob.username },
        { name: uniqueName('r'), readOnly: 'yes' },
        { name: uniqueName('r'), u: { _id: bob._id, username: bob.username } },
        { name: uniqueName('r'), archived: true },
        { name: uniqueName('r'), msgs: 5 },
      ];
      for (const body of bad) {
        for (const path of ['channels.create', 'groups.create']) {
          expectError(await alice.api.post(path, body), 400, 'error-invalid-params');
        }
      }
      const unknownMember = await alice.api.post('channels.create', { name: uniqueName('r'), members: [bob.username, 'nobody-here-xyz'] });
      expectError(unknownMember, 400, 'error-invalid-params');
      expect(unknownMember.body.error).to.contain('nobody-here-xyz');
      expectError(await alice.api.post('groups.create', { name: uniqueName('r'), members: ['nobody-here-xyz'] }), 400, 'error-invalid-params');
      expect(await roomCount()).to.equal(rooms);
      expect(await subCount()).to.equal(subs);
    });

    it('a channel named like a direct message key cannot hijack the direct message', async () => {
      const carol = await newUser();
      const dmKey = `d:${[alice._id, carol._id].sort().join(',')}`;
      expectError(await alice.api.post('channels.create', { name: dmKey }), 400, 'error-invalid-params');
      const dm = await carol.api.post('im.create', { username: alice.username });
      expect(dm.status).to.equal(200);
      expect(dm.body.room.t).to.equal('d');
    });

    it('a guest cannot create channels or groups (403), writing nothing; it may not use the directory', async () => {
      const guest = await newUser();
      const set = await admin.api.post('users.setRoles', { userId: guest._id, roles: ['guest'] });
      expect(set.status).to.equal(200);
      const rooms = await roomCount();
      const subs = await subCount();
      expectError(await guest.api.post('channels.create', { name: uniqueName('g') }), 403, 'error-not-allowed');
      expectError(await guest.api.post('groups.create', { name: uniqueName('g') }), 403, 'error-not-allowed');
      expect(await roomCount()).to.equal(rooms);
      expect(await subCount()).to.equal(subs);
      expectError(await guest.api.get('channels.list'), 403, 'error-not-allowed');
      const pub = await createChannel(alice);
      expectError(await guest.api.post('channels.join', { roomId: pub._id }), 404, 'error-not-found');
      expectError(await guest.api.get('channels.info', { roomId: pub._id }), 404, 'error-not-found');
      expect(await subCount()).to.equal(subs + 1);
    });
  });

  describe('info and list', () => {
    it('channels.info by roomId and by roomName (any case); groups only for members and only via groups.*', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const byId = await bob.api.get('channels.info', { roomId: room._id });
      expect(byId.status).to.equal(200);
      expect(byId.body.channel).to.include({ _id: room._id, name: room.name, t: 'c', usersCount: 2 });
      const byName = await bob.api.get('channels.info', { roomName: room.name.toUpperCase() });
      expect(byName.body.channel._id).to.equal(room._id);
      const outsider = await newUser();
      expect((await outsider.api.get('channels.info', { roomId: room._id })).status).to.equal(200); // public

      const group = await createChannel(alice, { type: 'p', members: [bob.username] });
      expect((await bob.api.get('groups.info', { roomName: group.name })).body.group._id).to.equal(group._id);
      expectError(await outsider.api.get('groups.info', { roomId: group._id }), 404, 'error-not-found');
      expectError(await outsider.api.get('groups.info', { roomName: group.name }), 404, 'error-not-found');
      expectError(await bob.api.get('channels.info', { roomId: group._id }), 404, 'error-not-found');
      expectError(await bob.api.get('groups.info', { roomId: room._id }), 404, 'error-not-found');
      expectError(await bob.api.get('channels.members', { roomId: group._id }), 404, 'error-not-found');
      expectError(await outsider.api.get('groups.members', { roomId: group._id }), 404, 'error-not-found');
      expect((await bob.api.get('groups.members', { roomId: group._id })).body.members.map((m: { username: string }) => m.username).sort()).to.deep.equal(
        [alice.username, bob.username].sort(),
      );

      expectError(await bob.api.get('channels.info', { roomId: 'no-such-room' }), 404, 'error-not-found');
      expectError(await bob.api.get('channels.info', { roomName: 'no-such-room-xyz' }), 404, 'error-not-found');
      expectError(await bob.api.get('channels.info'), 400, 'error-invalid-params');
      expectError(await bob.api.get('channels.info', { 'roomId[$ne]': 'x' }), 400, 'error-invalid-params');
      expectError(await bob.api.get('channels.info', { roomId: '{"$gt":""}' }), 400, 'error-invalid-params');
    });

    it('channels.list is the public directory: never private groups or direct messages; filter and paging', async () => {
      const tag = uniqueName('dir');
      const pubs = [];
      for (let i = 0; i < 3; i++) pubs.push(await createChannel(alice, { name: `${tag}-${i}` }));
      const priv = await createChannel(alice, { type: 'p', name: `${tag}-p` });
      const dm = (await alice.api.post('im.create', { username: bob.username })).body.room;
      const all = await bob.api.get('channels.list', { count: 500 });
      expect(ids(all.body.channels)).to.include.members(ids(pubs));
      expect(ids(all.body.channels)).not.to.include(priv._id);
      expect(ids(all.body.channels)).not.to.include(dm._id);
      expect(all.body.channels.every((c: { t: string }) => c.t === 'c')).to.equal(true);
      expect(all.body.total).to.equal(all.body.channels.length);

      const filtered = await bob.api.get('channels.list', { query: tag.toUpperCase() });
      expect(filtered.body.channels.map((c: { name: string }) => c.name)).to.deep.equal([`${tag}-0`, `${tag}-1`, `${tag}-2`]);
      expect(filtered.body.total).to.equal(3);
      const page = await bob.api.get('channels.list', { query: tag, count: 1, offset: 1 });
      expect(page.body).to.include({ count: 1, offset: 1, total: 3 });
      expect(page.body.channels[0].name).to.equal(`${tag}-1`);
      const regexy = await bob.api.get('channels.list', { query: '.*' });
      expect(regexy.body.total).to.equal(0);
      expectError(await bob.api.get('channels.list', { count: 0 }), 400, 'error-invalid-params');
      expectError(await bob.api.get('channels.list', { count: 'all' }), 400, 'error-invalid-params');
      expectError(await bob.api.get('channels.list', { offset: -1 }), 400, 'error-invalid-params');
    });

    it('rooms.get and groups.list show only the caller\'s rooms', async () => {
      const carol = await newUser();
      const mine = await createChannel(carol);
      const group = await createChannel(carol, { type: 'p', members: [bob.username] });
      const dm = (await carol.api.post('im.create', { username: alice.username })).body.room;
      const other = await createChannel(alice, { type: 'p' });
      const got = await carol.api.get('rooms.get');
      expect(ids(got.body.update).sort()).to.deep.equal([mine._id, group._id, dm._id].sort());
      expect(got.body.remove).to.deep.equal([]);
      expect(ids((await carol.api.get('groups.list')).body.groups)).to.deep.equal([group._id]);
      expect(ids((await bob.api.get('groups.list')).body.groups)).to.include(group._id);
      expect(ids((await bob.api.get('groups.list')).body.groups)).not.to.include(other._id);
    });
  });

  describe('membership', () => {
    it('join and leave a channel; joining twice changes nothing; a group cannot be joined', async () => {
      const room = await createChannel(alice);
      const joined = await bob.api.post('channels.join', { roomId: room._id });
      expect(joined.status).to.equal(200);
      expect(joined.body.channel.usersCount).to.equal(2);
      const sub = (await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription;
      expect(sub).to.include({ rid: room._id, t: 'c', name: room.name, unread: 0, open: true, f: false, muted: false });
      expect(sub.roles).to.deep.equal([]);
      const before = await snapshot(room._id);
      expect((await bob.api.post('channels.join', { roomId: room._id })).body.channel.usersCount).to.equal(2);
      expect((await snapshot(room._id)).subs).to.deep.equal(before.subs);

      const group = await createChannel(alice, { type: 'p' });
      const g0 = await snapshot(group._id);
      expectError(await bob.api.post('channels.join', { roomId: group._id }), 404, 'error-not-found');
      expectError(await bob.api.post('channels.join', { roomId: { $gt: '' } }), 400, 'error-invalid-params');
      expectError(await bob.api.post('channels.join', { roomId: room._id, userId: alice._id }), 400, 'error-invalid-params');
      expect(await snapshot(group._id)).to.deep.equal(g0);

      expect((await bob.api.post('channels.leave', { roomId: room._id })).status).to.equal(200);
      expect((await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription).to.equal(null);
      expect((await roomDoc(room._id))!.usersCount).to.equal(1);
      const r0 = await snapshot(room._id);
      expectError(await bob.api.post('channels.leave', { roomId: room._id }), 400, 'error-not-member');
      expectError(await bob.api.post('groups.leave', { roomId: room._id }), 404, 'error-not-found');
      expect(await snapshot(room._id)).to.deep.equal(r0);
    });

    it('the last owner cannot leave, be kicked or drop the owner role while others remain', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const s0 = await snapshot(room._id);
      expectError(await alice.api.post('channels.leave', { roomId: room._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('channels.kick', { roomId: room._id, userId: alice._id }), 403, 'error-not-allowed');
      expectError(await admin.api.post('channels.kick', { roomId: room._id, userId: alice._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('channels.removeOwner', { roomId: room._id, userId: alice._id }), 403, 'error-not-allowed');
      expect(await snapshot(room._id)).to.deep.equal(s0);
      // with a second owner, the first may go
      expect((await alice.api.post('channels.addOwner', { roomId: room._id, userId: bob._id })).status).to.equal(200);
      expect((await alice.api.post('channels.leave', { roomId: room._id })).status).to.equal(200);
      const left = await snapshot(room._id);
      expect(left.subs.map((s) => [s.u._id, s.roles])).to.deep.equal([[bob._id, ['owner']]]);
      expect(left.room!.usersCount).to.equal(1);
      // alone, the last owner may leave
      expect((await bob.api.post('channels.leave', { roomId: room._id })).status).to.equal(200);
      expect((await snapshot(room._id)).subs).to.deep.equal([]);
    });

    it('private groups: a plain member cannot invite; owners invite and kick; a kicked member loses access', async () => {
      const group = await createChannel(alice, { type: 'p', members: [bob.username] });
      const secret = await send(alice, group._id, 'secret plans');
      const carol = await newUser();
      const g0 = await snapshot(group._id);
      expectError(await bob.api.post('groups.invite', { roomId: group._id, userId: carol._id }), 403, 'error-not-allowed');
      expectError(await carol.api.post('groups.invite', { roomId: group._id, userId: carol._id }), 404, 'error-not-found');
      expectError(await alice.api.post('groups.invite', { roomId: group._id, userId: 'no-such-user' }), 404, 'error-not-found');
      expectError(await alice.api.post('groups.invite', { roomId: group._id, userId: { $gt: '' } }), 400, 'error-invalid-params');
      expectError(await alice.api.post('groups.invite', { roomId: group._id, userId: carol._id, roles: ['owner'] }), 400, 'error-invalid-params');
      expectError(await alice.api.post('channels.invite', { roomId: group._id, userId: carol._id }), 404, 'error-not-found');
      expect(await snapshot(group._id)).to.deep.equal(g0);
      expectError(await carol.api.get('groups.history', { roomId: group._id }), 404, 'error-not-found');

      const invited = await alice.api.post('groups.invite', { roomId: group._id, userId: carol._id });
      expect(invited.status).to.equal(200);
      expect(invited.body.group.usersCount).to.equal(3);
      expect((await alice.api.post('groups.invite', { roomId: group._id, userId: carol._id })).body.group.usersCount).to.equal(3);
      const hist = await carol.api.get('groups.history', { roomId: group._id });
      expect(hist.status).to.equal(200);
      expect(hist.body.messages.map((m: { msg: string }) => m.msg)).to.include('secret plans');

      const g1 = await snapshot(group._id);
      expectError(await bob.api.post('groups.kick', { roomId: group._id, userId: carol._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('groups.kick', { roomId: group._id, userId: (await newUser())._id }), 400, 'error-not-member');
      expectError(await alice.api.post('groups.kick', { roomId: group._id, userId: { $ne: null } }), 400, 'error-invalid-params');
      expect(await snapshot(group._id)).to.deep.equal(g1);
      // a room moderator may kick members, but not an owner
      expect((await alice.api.post('groups.addModerator', { roomId: group._id, userId: bob._id })).status).to.equal(200);
      expectError(await bob.api.post('groups.kick', { roomId: group._id, userId: alice._id }), 403, 'error-not-allowed');

      expect((await bob.api.post('groups.kick', { roomId: group._id, userId: carol._id })).status).to.equal(200);
      expect((await roomDoc(group._id))!.usersCount).to.equal(2);
      expectError(await carol.api.get('groups.history', { roomId: group._id }), 404, 'error-not-found');
      expectError(await carol.api.get('chat.history', { roomId: group._id }), 404, 'error-not-found');
      expectError(await carol.api.get('groups.info', { roomId: group._id }), 404, 'error-not-found');
      expectError(await carol.api.get('chat.getMessage', { msgId: secret._id }), 404, 'error-not-found');
      const lastSeq = (await roomDoc(group._id))!.lastSeq;
      expectError(await carol.api.post('chat.sendMessage', { message: { rid: group._id, msg: 'still here?' } }), 404, 'error-not-found');
      expect((await roomDoc(group._id))!.lastSeq).to.equal(lastSeq);
      expect(ids((await carol.api.get('rooms.get')).body.update)).not.to.include(group._id);
    });

    it('public channels: any member invites, a non-member cannot', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const carol = await newUser();
      const dave = await newUser();
      const r0 = await snapshot(room._id);
      expectError(await carol.api.post('channels.invite', { roomId: room._id, userId: dave._id }), 403, 'error-not-member');
      expect(await snapshot(room._id)).to.deep.equal(r0);
      expect((await bob.api.post('channels.invite', { roomId: room._id, userId: carol._id })).body.channel.usersCount).to.equal(3);
      expectError(await bob.api.post('channels.kick', { roomId: room._id, userId: carol._id }), 403, 'error-not-allowed');
      expect((await admin.api.post('channels.kick', { roomId: room._id, userId: carol._id })).status).to.equal(200);
      expect((await roomDoc(room._id))!.usersCount).to.equal(2);
    });
  });

  describe('room settings', () => {
    for (const [prefix, type, key] of [['channels', 'c', 'channel'], ['groups', 'p', 'group']] as const) {
      it(`${prefix}: only owners, room moderators or admins rename, set topic, announcement and read-only`, async () => {
        const room = await createChannel(alice, { type, members: [bob.username] });
        const taken = await createChannel(alice, { type });
        const r0 = await snapshot(room._id);
        const newName = uniqueName('renamed');
        const calls: [string, object][] = [
          ['rename', { name: newName }],
          ['setTopic', { topic: 'hijack' }],
          ['setAnnouncement', { announcement: 'hijack' }],
          ['setReadOnly', { readOnly: true }],
        ];
        for (const [name, body] of calls) {
          expectError(await bob.api.post(`${prefix}.${name}`, { roomId: room._id, ...body }), 403, 'error-not-allowed');
        }
        // bad inputs
        for (const [name, body] of [
          ['rename', { name: 'with space' }],
          ['rename', { name: { $gt: '' } }],
          ['rename', { name: newName, fname: 'x' }],
          ['setTopic', { topic: 42 }],
          ['setTopic', { topic: 'x'.repeat(501) }],
          ['setTopic', { topic: { $set: 'x' } }],
          ['setAnnouncement', { announcement: ['a'] }],
          ['setReadOnly', { readOnly: 'true' }],
          ['setReadOnly', { readOnly: true, ro: true }],
        ] as const) {
          expectError(await alice.api.post(`${prefix}.${name}`, { roomId: room._id, ...body }), 400, 'error-invalid-params');
        }
        expectError(await alice.api.post(`${prefix}.rename`, { roomId: room._id, name: taken.name.toUpperCase() }), 409, 'error-duplicate-channel-name');
        const other = prefix === 'channels' ? 'groups' : 'channels';
        expectError(await alice.api.post(`${other}.setTopic`, { roomId: room._id, topic: 'wrong kind' }), 404, 'error-not-found');
        expect(await snapshot(room._id)).to.deep.equal(r0);

        const renamed = await alice.api.post(`${prefix}.rename`, { roomId: room._id, name: newName });
        expect(renamed.body[key]).to.include({ _id: room._id, name: newName, fname: newName });
        expect((await bob.api.get(`${prefix}.info`, { roomName: newName })).body[key]._id).to.equal(room._id);
        expectError(await bob.api.get(`${prefix}.info`, { roomName: room.name }), 404, 'error-not-found');
        expect((await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription.name).to.equal(newName);
        // the old name is free again
        expect((await alice.api.post(`${prefix}.create`, { name: room.name })).status).to.equal(200);

        expect((await alice.api.post(`${prefix}.setTopic`, { roomId: room._id, topic: 'Plans' })).body).to.deep.equal({ success: true, topic: 'Plans' });
        expect((await alice.api.post(`${prefix}.addModerator`, { roomId: room._id, userId: bob._id })).status).to.equal(200);
        expect((await bob.api.post(`${prefix}.setAnnouncement`, { roomId: room._id, announcement: 'Hi all' })).body.announcement).to.equal('Hi all');
        expect((await bob.api.post(`${prefix}.setReadOnly`, { roomId: room._id, readOnly: true })).body[key].ro).to.equal(true);
        const info = (await alice.api.get(`${prefix}.info`, { roomId: room._id })).body[key];
        expect(info).to.include({ name: newName, topic: 'Plans', announcement: 'Hi all', ro: true });
        // a moderator cannot hand out roles
        expectError(await bob.api.post(`${prefix}.addOwner`, { roomId: room._id, userId: bob._id }), 403, 'error-not-allowed');
        expect((await roomDoc(room._id))!.ro).to.equal(true);
        const bobSub = await db().collection('subscriptions').findOne({ rid: room._id, 'u._id': bob._id });
        expect(bobSub!.roles).to.deep.equal(['moderator']);
      });
    }

    it('an admin may change a public channel without being a member', async () => {
      const room = await createChannel(alice);
      expect((await admin.api.post('channels.setTopic', { roomId: room._id, topic: 'by admin' })).body.topic).to.equal('by admin');
      expect((await roomDoc(room._id))!.topic).to.equal('by admin');
    });

    it('read-only rooms: only owners, moderators and admins post', async () => {
      const room = await createChannel(alice, { members: [bob.username], readOnly: true });
      const carol = await newUser();
      await carol.api.post('channels.join', { roomId: room._id });
      const r0 = (await roomDoc(room._id))!;
      const ro = await carol.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } });
      expectError(ro, 403, 'error-room-read-only');
      expectError(await bob.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } }), 403, 'error-room-read-only');
      const after = (await roomDoc(room._id))!;
      expect([after.lastSeq, after.msgs, after.lastChange]).to.deep.equal([r0.lastSeq, r0.msgs, r0.lastChange]);
      await send(alice, room._id, 'owner posts');
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      await send(bob, room._id, 'moderator posts');
      await admin.api.post('channels.join', { roomId: room._id });
      await send(admin, room._id, 'admin posts');
      expect((await alice.api.post('channels.setReadOnly', { roomId: room._id, readOnly: false })).status).to.equal(200);
      await send(carol, room._id, 'everyone again');
    });

    it('archive and unarchive: owners or admins only; an archived room refuses posts, joins and invites', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      const r0 = await snapshot(room._id);
      expectError(await bob.api.post('channels.archive', { roomId: room._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('channels.unarchive', { roomId: room._id }), 400, 'error-invalid-params');
      expectError(await alice.api.post('channels.archive', { roomId: room._id, archived: true }), 400, 'error-invalid-params');
      expect(await snapshot(room._id)).to.deep.equal(r0);

      expect((await alice.api.post('channels.archive', { roomId: room._id })).status).to.equal(200);
      expect((await alice.api.get('channels.info', { roomId: room._id })).body.channel.archived).to.equal(true);
      expectError(await alice.api.post('channels.archive', { roomId: room._id }), 400, 'error-invalid-params');
      const a0 = await snapshot(room._id);
      expectError(await alice.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } }), 403, 'error-room-archived');
      expectError(await alice.api.post('chat.postMessage', { roomId: room._id, text: 'x' }), 403, 'error-room-archived');
      const carol = await newUser();
      expectError(await carol.api.post('channels.join', { roomId: room._id }), 403, 'error-room-archived');
      expectError(await alice.api.post('channels.invite', { roomId: room._id, userId: carol._id }), 403, 'error-room-archived');
      expect(await snapshot(room._id)).to.deep.equal(a0);
      // history stays readable
      expect((await bob.api.get('channels.history', { roomId: room._id })).status).to.equal(200);
      expectError(await bob.api.post('channels.unarchive', { roomId: room._id }), 403, 'error-not-allowed');
      expect((await admin.api.post('channels.unarchive', { roomId: room._id })).status).to.equal(200);
      expect((await roomDoc(room._id))!.archived).to.equal(false);
      await send(alice, room._id, 'back');
    });

    it('delete: owner or admin only; the room\'s data is gone', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const m = await send(alice, room._id, 'soon gone');
      await send(bob, room._id, 'reply', { tmid: m._id });
      await alice.api.post('chat.update', { roomId: room._id, msgId: m._id, text: 'edited' });
      await alice.api.post('channels.addModerator', { roomId: room._id, userId: bob._id });
      const r0 = await snapshot(room._id);
      expectError(await bob.api.post('channels.delete', { roomId: room._id }), 403, 'error-not-allowed');
      expectError(await bob.api.post('groups.delete', { roomId: room._id }), 404, 'error-not-found');
      expectError(await (await newUser()).api.post('channels.delete', { roomId: room._id }), 403, 'error-not-allowed');
      expectError(await alice.api.post('channels.delete', { roomId: room._id, force: true }), 400, 'error-invalid-params');
      expect(await snapshot(room._id)).to.deep.equal(r0);
      expect((await alice.api.get('chat.history', { roomId: room._id })).body.messages.map((x: { msg: string }) => x.msg)).to.deep.equal(['edited']);

      expect((await admin.api.post('channels.delete', { roomId: room._id })).status).to.equal(200);
      expectError(await alice.api.get('chat.history', { roomId: room._id }), 404, 'error-not-found');
      expectError(await alice.api.get('channels.info', { roomId: room._id }), 404, 'error-not-found');
      expectError(await alice.api.get('chat.getMessage', { msgId: m._id }), 404, 'error-not-found');
      expectError(await alice.api.post('channels.delete', { roomId: room._id }), 404, 'error-not-found');
      expect(await db().collection('subscriptions').countDocuments({ rid: room._id })).to.equal(0);
      expect(await db().collection('message_edits').countDocuments({ rid: room._id })).to.equal(0);
      const names = (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names.filter((n) => n.includes(room._id))).to.deep.equal([]);
      expect(ids((await bob.api.get('rooms.get')).body.update)).not.to.include(room._id);
      expect((await bob.api.get('subscriptions.get')).body.update.map((s: { rid: string }) => s.rid)).not.to.include(room._id);

      const group = await createChannel(alice, { type: 'p' });
      expect((await alice.api.post('groups.delete', { roomId: group._id })).status).to.equal(200);
      expect(await roomDoc(group._id)).to.equal(null);
    });
  });

  describe('direct messages', () => {
    it('im.create: 1:1 and group, the same room however often and in whatever order', async () => {
      const carol = await newUser();
      const dave = await newUser();
      const rooms0 = await roomCount();
      const a = await carol.api.post('im.create', { username: dave.username });
      expect(a.status).to.equal(200);
      expect(a.body.room).to.include({ t: 'd', usersCount: 2 });
      expect([...a.body.room.uids].sort()).to.deep.equal([carol._id, dave._id].sort());
      expect((await dave.api.post('im.create', { username: carol.username.toUpperCase() })).body.room._id).to.equal(a.body.room._id);
      expect((await carol.api.post('im.create', { usernames: dave.username })).body.room._id).to.equal(a.body.room._id);
      expect(await roomCount()).to.equal(rooms0 + 1);
      const sub = (await dave.api.get('subscriptions.getOne', { roomId: a.body.room._id })).body.subscription;
      expect(sub).to.include({ t: 'd', name: carol.username });

      const group = await carol.api.post('im.create', { usernames: `${dave.username},${bob.username}` });
      expect(group.body.room.uids).to.have.length(3);
      const again = await bob.api.post('im.create', { usernames: ` ${carol.username} , ${dave.username}` });
      expect(again.body.room._id).to.equal(group.body.room._id);
      expect(await roomCount()).to.equal(rooms0 + 2);
      expect(ids((await dave.api.get('im.list')).body.ims).sort()).to.deep.equal([a.body.room._id, group.body.room._id].sort());
      expect(ids((await alice.api.get('im.list')).body.ims)).not.to.include(group.body.room._id);
      // only participants read it; it is not a channel or a group
      await send(carol, a.body.room._id, 'private words');
      expect((await dave.api.get('im.history', { roomId: a.body.room._id })).body.messages[0].msg).to.equal('private words');
      expectError(await alice.api.get('im.history', { roomId: a.body.room._id }), 404, 'error-not-found');
      expectError(await carol.api.get('channels.history', { roomId: a.body.room._id }), 404, 'error-not-found');
      expectError(await carol.api.post('channels.rename', { roomId: a.body.room._id, name: uniqueName('x') }), 404, 'error-not-found');
    });

    it('im.create refuses unknown users, nobody, injection and unknown fields, writing nothing', async () => {
      const rooms0 = await roomCount();
      const subs0 = await subCount();
      for (const body of [
        { username: 'nobody-here-xyz' },
        { usernames: `${bob.username},nobody-here-xyz` },
        { usernames: '' },
        { usernames: ' , ' },
        {},
        { username: { $gt: '' } },
        { usernames: [bob.username] },
        { username: bob.username, usernames: bob.username },
        { username: bob.username, t: 'c' },
      ]) {
        expectError(await alice.api.post('im.create', body), 400, 'error-invalid-params');
      }
      expect(await roomCount()).to.equal(rooms0);
      expect(await subCount()).to.equal(subs0);
    });
  });

  describe('subscriptions', () => {
    it('unread counts rise when others post; mentions rise with @username and @all; read resets them', async () => {
      const reader = await newUser();
      const room = await createChannel(alice, { members: [reader.username, bob.username] });
      const quiet = await createChannel(bob, { members: [reader.username] });
      const sub = async (rid: string) => (await reader.api.get('subscriptions.get')).body.update.find((s: { rid: string }) => s.rid === rid);
      expect(await sub(room._id)).to.include({ unread: 0, userMentions: 0, groupMentions: 0 });
      const first = await send(alice, room._id, 'one');
      await send(alice, room._id, `hey @${reader.username}, look`);
      await send(bob, room._id, '@all listen');
      await send(bob, room._id, 'a thread reply is not unread', { tmid: first._id });
      await send(reader, quiet._id, 'my own message is not unread');
      await send(bob, quiet._id, 'two');
      expect(await sub(room._id)).to.include({ unread: 3, userMentions: 1, groupMentions: 1 });
      expect(await sub(quiet._id)).to.include({ unread: 1, userMentions: 0, groupMentions: 0 });
      expect((await reader.api.get('subscriptions.get')).body.totalUnread).to.equal(4);
      // the poster's own counts stay at zero
      expect((await alice.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription).to.include({ unread: 1, groupMentions: 1 });

      const s0 = await snapshot(room._id);
      expectError(await reader.api.post('subscriptions.read', { rid: { $gt: '' } }), 400, 'error-invalid-params');
      expectError(await reader.api.post('subscriptions.read', { rid: room._id, unread: 0 }), 400, 'error-invalid-params');
      expectError(await (await newUser()).api.post('subscriptions.read', { rid: room._id }), 400, 'error-not-member');
      expect(await snapshot(room._id)).to.deep.equal(s0);

      expect((await reader.api.post('subscriptions.read', { rid: room._id })).status).to.equal(200);
      expect(await sub(room._id)).to.include({ unread: 0, userMentions: 0, groupMentions: 0 });
      expect((await reader.api.get('subscriptions.get')).body.totalUnread).to.equal(1);
      await send(alice, room._id, 'after reading');
      expect(await sub(room._id)).to.include({ unread: 1 });
      // muted rooms do not count toward the total
      await reader.api.post('subscriptions.setFlags', { roomId: quiet._id, muted: true });
      expect((await reader.api.get('subscriptions.get')).body.totalUnread).to.equal(1);
    });

    it('subscriptions.setFlags and rooms.favorite set flags for members only; bad input changes nothing', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const s0 = await snapshot(room._id);
      const outsider = await newUser();
      expectError(await outsider.api.post('rooms.favorite', { roomId: room._id, favorite: true }), 400, 'error-not-member');
      expectError(await outsider.api.post('subscriptions.setFlags', { roomId: room._id, muted: true }), 400, 'error-not-member');
      for (const [path, body] of [
        ['rooms.favorite', { roomId: room._id, favorite: 'yes' }],
        ['rooms.favorite', { roomId: room._id }],
        ['rooms.favorite', { roomId: { $gt: '' }, favorite: true }],
        ['rooms.favorite', { roomId: room._id, favorite: true, roles: ['owner'] }],
        ['subscriptions.setFlags', { roomId: { $gt: '' }, muted: true }],
        ['subscriptions.setFlags', { roomId: room._id, muted: 1 }],
        ['subscriptions.setFlags', { roomId: room._id, roles: ['owner'] }],
        ['subscriptions.setFlags', { roomId: room._id, userMentions: 0 }],
      ] as const) {
        expectError(await bob.api.post(path, body), 400, 'error-invalid-params');
      }
      expect(await snapshot(room._id)).to.deep.equal(s0);

      const sub = async () => (await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription;
      expect((await bob.api.post('rooms.favorite', { roomId: room._id, favorite: true })).status).to.equal(200);
      expect(await sub()).to.include({ f: true, muted: false, open: true });
      expect((await bob.api.post('subscriptions.setFlags', { roomId: room._id, muted: true, open: false })).status).to.equal(200);
      expect(await sub()).to.include({ f: true, muted: true, open: false });
      expect((await bob.api.post('rooms.favorite', { roomId: room._id, favorite: false })).status).to.equal(200);
      expect(await sub()).to.include({ f: false, muted: true });
      expect((await sub()).roles).to.deep.equal([]);
      // alice's subscription is untouched
      expect((await alice.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription).to.include({ f: false, muted: false, open: true });
    });
  });
});
