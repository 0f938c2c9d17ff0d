import { expect } from 'chai';
import type { MongoClient } from 'mongodb';
import { registerUser, testDatabase } from '@obmeet/test-kit';
import { systemClock } from '../../src/clock.js';
import { connectMongo } from '../../src/db/connection.js';
import { actorOf } from '../../src/domains/accounts/index.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { createChannel, send, startTestServer, type TestServer } from '../helpers.js';

const login = { perIpPerMinute: 1000, failuresPerUser: 100, sessionTtlDays: 30 };

describe('two workspaces in one process', function () {
  let mongo: MongoClient | undefined;
  const servers: TestServer[] = [];
  after(async () => {
    await mongo?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('keeps users, rooms and messages apart when built on two databases over one connection', async () => {
    const db = await testDatabase();
    mongo = await connectMongo(db.url);
    const name = () => db.uniqueUrl('twows').split('/').pop()!;
    const one = await Workspace.open(mongo.db(name()), { id: 'tenant-one', clock: systemClock, login });
    const two = await Workspace.open(mongo.db(name()), { id: 'tenant-two', clock: systemClock, login });

    // the same username in both: two distinct people
    const u1 = await one.accounts.register({ username: 'sam', email: 'sam@one.test', pass: 'password-one', name: 'Sam One' });
    const u2 = await two.accounts.register({ username: 'sam', email: 'sam@two.test', pass: 'password-two', name: 'Sam Two' });
    expect(u1._id).to.not.equal(u2._id);
    expect(u1.roles).to.deep.equal(['admin']); // the first user of each workspace
    expect(u2.roles).to.deep.equal(['admin']);
    const only1 = await one.accounts.register({ username: 'only-one', email: 'x@one.test', pass: 'password-x', name: 'X' });

    // credentials and tokens of one do not work in the other
    expect(await one.accounts.verifyCredentials('sam', 'password-one', '127.0.0.1')).to.include({ _id: u1._id });
    await expectRejected(() => two.accounts.verifyCredentials('sam', 'password-one', '127.0.0.1'));
    await expectRejected(() => two.accounts.verifyCredentials('only-one', 'password-x', '127.0.0.1'));
    const { token } = await one.accounts.createLoginSession(u1);
    expect(await one.accounts.authenticateToken(token, u1._id)).to.not.equal(null);
    expect(await two.accounts.authenticateToken(token)).to.equal(null);
    expect(await two.accounts.authenticateToken(token, u1._id)).to.equal(null);

    // rooms and messages
    const a1 = actorOf(u1);
    const a2 = actorOf(u2);
    const room1 = await one.rooms.createRoom(a1, 'c', { name: 'general', members: [], readOnly: false });
    const room2 = await two.rooms.createRoom(a2, 'c', { name: 'general', members: [], readOnly: false });
    expect(room1._id).to.not.equal(room2._id);
    for (let i = 0; i < 3; i++) await one.messages.send(a1, { rid: room1._id, msg: `one ${i}` });
    const m2 = await two.messages.send(a2, { rid: room2._id, msg: 'two 0' });

    await expectRejected(() => two.rooms.requireRoom(room1._id), 'error-not-found');
    await expectRejected(() => two.messages.history(a2, room1._id, { count: 50 }));
    await expectRejected(() => one.messages.getMessage(a1, m2._id));
    await expectRejected(() => one.messages.send(a1, { rid: room2._id, msg: 'cross' }));

    const h1 = await one.messages.history(a1, room1._id, { count: 50 });
    const h2 = await two.messages.history(a2, room2._id, { count: 50 });
    expect(h1.messages.filter((m) => !m.t).map((m) => m.msg)).to.deep.equal(['one 2', 'one 1', 'one 0']);
    expect(h2.messages.filter((m) => !m.t).map((m) => m.msg)).to.deep.equal(['two 0']);
    expect(await one.db.collection('users').countDocuments({})).to.equal(2);
    expect(await two.db.collection('users').countDocuments({})).to.equal(1);

    // events stay on their workspace's bus
    const heard: string[] = [];
    one.events.on('message.created', (e) => heard.push(`one:${e.message.msg}`));
    two.events.on('message.created', (e) => heard.push(`two:${e.message.msg}`));
    await two.messages.send(a2, { rid: room2._id, msg: 'only two' });
    expect(heard).to.deep.equal(['two:only two']);
  });

  it('keeps two servers on two databases apart over HTTP', async () => {
    const s1 = await startTestServer();
    servers.push(s1);
    const s2 = await startTestServer();
    servers.push(s2);
    const admin1 = await registerUser(s1.url);
    const admin2 = await registerUser(s2.url);
    const user1 = await registerUser(s1.url);
    const room = await createChannel(admin1, { type: 'p', members: [user1.username] });
    await send(admin1, room._id, 'in workspace one');

    // a user of one cannot log in to the other
    const cross = await s2.api.post('login', { user: user1.username, password: user1.password });
    expect(cross.status).to.equal(401);
    // a token of one is not valid in the other
    expect((await s2.api.withAuth(user1._id, user1.token).get('me')).status).to.equal(401);
    // a room id of one is 404 in the other
    const info = await admin2.api.get('groups.info', { roomId: room._id });
    expect(info.status).to.equal(404);
    expect((await admin2.api.get('groups.history', { roomId: room._id })).status).to.equal(404);
    expect((await admin2.api.get('chat.syncMessages', { roomId: room._id, since: 0 })).status).to.equal(404);
    expect((await admin2.api.post('chat.sendMessage', { message: { rid: room._id, msg: 'x' } })).status).to.equal(404);
    // counts differ
    expect((await admin1.api.get('users.list')).body.total).to.equal(2);
    expect((await admin2.api.get('users.list')).body.total).to.equal(1);
    expect((await admin2.api.get('groups.list')).body.groups).to.deep.equal([]);
    expect(await s2.workspace.db.collection('rooms').countDocuments({})).to.equal(0);
  });
});

async function expectRejected(run: () => Promise<unknown>, errorType?: string): Promise<void> {
  let failed: unknown;
  try {
    await run();
  } catch (err) {
    failed = err;
  }
  expect(failed, 'expected a rejection').to.not.equal(undefined);
  if (errorType) expect((failed as { errorType?: string }).errorType).to.equal(errorType);
}
