import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startWithAdmin, type TestServer } from '../helpers.js';

interface AdminRoom {
  _id: string;
  t: 'c' | 'p' | 'd';
  name?: string;
  usernames?: string[];
  usersCount: number;
  msgs: number;
  archived: boolean;
}

describe('rooms.adminRooms (admin room list)', function () {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let pub: { _id: string; name: string };
  let secret: { _id: string; name: string };
  let dmId: string;
  const tag = Math.random().toString(36).slice(2, 7);

  before(async () => {
    ({ server, admin } = await startWithAdmin());
    alice = await registerUser(server.url);
    bob = await registerUser(server.url);
    // rooms the admin is not a member of
    pub = await createChannel(alice, { name: `zz-public-${tag}`, members: [bob.username] });
    secret = await createChannel(alice, { name: `zz-secret-${tag}`, type: 'p' });
    const dm = await alice.api.post('im.create', { username: bob.username });
    dmId = dm.body.room._id;
    await send(alice, pub._id, 'hello');
    await send(alice, pub._id, 'again');
  });
  after(async () => server?.close());

  const list = async (user: TestUser, query: Record<string, string | number> = {}) => user.api.get('rooms.adminRooms', query);

  it('lists every room of the workspace, whatever the admin belongs to, with member and message counts', async () => {
    const res = await list(admin, { count: 100 });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const rooms = res.body.rooms as AdminRoom[];
    expect(res.body.total).to.equal(rooms.length);
    const byId = new Map(rooms.map((r) => [r._id, r]));
    expect(byId.get(pub._id)).to.include({ t: 'c', name: pub.name, usersCount: 2, msgs: 2, archived: false });
    expect(byId.get(secret._id)).to.include({ t: 'p', name: secret.name, usersCount: 1 });
    expect(byId.get(dmId)?.t).to.equal('d');
    expect(byId.get(dmId)?.usernames).to.have.members([alice.username, bob.username]);
  });

  it('filters by kind (comma-separated or repeated) and by name or participant, case-insensitively', async () => {
    const onlyPrivate = (await list(admin, { types: 'p', count: 100 })).body.rooms as AdminRoom[];
    expect(onlyPrivate.map((r) => r.t)).to.satisfy((ts: string[]) => ts.every((t) => t === 'p'));
    expect(onlyPrivate.map((r) => r._id)).to.include(secret._id);

    const both = await admin.api.get(`rooms.adminRooms?types=c&types=p&filter=-${tag.toUpperCase()}`);
    expect(both.status, JSON.stringify(both.body)).to.equal(200);
    expect((both.body.rooms as AdminRoom[]).map((r) => r._id)).to.have.members([pub._id, secret._id]);

    const byName = (await list(admin, { types: 'c,p', filter: `secret-${tag}` })).body;
    expect(byName.total).to.equal(1);
    expect(byName.rooms[0]._id).to.equal(secret._id);

    const dms = (await list(admin, { types: 'd', filter: bob.username })).body.rooms as AdminRoom[];
    expect(dms.map((r) => r._id)).to.deep.equal([dmId]);

    // a regex-looking filter is matched literally
    expect((await list(admin, { filter: '.*' })).body.total).to.equal(0);
  });

  it('pages with count and offset, in a stable order', async () => {
    const all = (await list(admin, { count: 100 })).body.rooms as AdminRoom[];
    expect(all.length).to.be.at.least(3);
    const first = await list(admin, { count: 2, offset: 0 });
    const second = await list(admin, { count: 2, offset: 2 });
    expect(first.body).to.include({ count: 2, offset: 0, total: all.length });
    expect(second.body.offset).to.equal(2);
    expect([...first.body.rooms, ...second.body.rooms].map((r: AdminRoom) => r._id)).to.deep.equal(all.slice(0, 4).map((r) => r._id));
  });

  it('is refused to non-admins with 403', async () => {
    const res = await list(alice);
    expect(res.status).to.equal(403);
    expect(res.body.errorType).to.equal('error-not-allowed');
  });

  it('rejects bad queries with 400 error-invalid-params', async () => {
    for (const q of [{ types: 'x' }, { types: 'c,q' }, { count: 0 }, { count: 'many' }, { offset: -1 }, { filter: 'a'.repeat(101) }, { unknown: 1 }]) {
      const res = await list(admin, q as unknown as Record<string, string | number>);
      expect(res.status, JSON.stringify(q)).to.equal(400);
      expect(res.body.errorType).to.equal('error-invalid-params');
    }
  });

  it('archive and delete from the admin list work on rooms the admin is not in', async () => {
    expect((await admin.api.post('groups.archive', { roomId: secret._id })).status).to.equal(200);
    let row = ((await list(admin, { types: 'p', filter: `secret-${tag}` })).body.rooms as AdminRoom[])[0];
    expect(row.archived).to.equal(true);
    expect((await admin.api.post('groups.unarchive', { roomId: secret._id })).status).to.equal(200);
    row = ((await list(admin, { types: 'p', filter: `secret-${tag}` })).body.rooms as AdminRoom[])[0];
    expect(row.archived).to.equal(false);
    expect((await admin.api.post('groups.delete', { roomId: secret._id })).status).to.equal(200);
    expect((await list(admin, { filter: `secret-${tag}` })).body.total).to.equal(0);
  });
});
