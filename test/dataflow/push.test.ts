import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { connectSocket, installLoopbackGuard, registerUser, startFcmStandin, type FcmStandin, type LoopbackGuard, type TestUser } from '@obmeet/test-kit';
import type { OutboundLogEntryDto } from '@obmeet/contracts';
import type { Socket } from 'socket.io-client';
import { makeCanaries, runADayOfJobs, startRecordedCloud, startWorkspace, type Cloud, type Workspace } from './helpers.js';

/**
 * product.md, push row: pushes leave only through the vendor's gateway, only while registered,
 * carrying what the admin chose (full text / sender and room / an id only, the default). The
 * whole path is real: workspace → egress client → recording proxy → cloud → firebase-admin →
 * a loopback FCM stand-in.
 */
describe('data flow: push notifications', function () {
  this.timeout(120_000);
  let guard: LoopbackGuard;
  let fcm: FcmStandin;
  let cloud: Cloud;
  let ws: Workspace;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let channel: { _id: string; name: string };
  let dm: string;
  const canary = makeCanaries();
  const token = (who: string) => `${who}${randomBytes(12).toString('hex')}:APA91b${randomBytes(24).toString('hex')}`;
  let bobToken: string;
  let carolToken: string;
  const sockets: Socket[] = [];

  const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
    const r = await p;
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).to.equal(200);
    return r.body;
  };
  const send = async (user: TestUser, rid: string, msg: string) =>
    (await ok(user.api.post('chat.sendMessage', { message: { rid, msg } }), 'send')).message as { _id: string };
  /** the push queue works in the background: wait until it has handled everything sent so far */
  const settled = () => ws.workspace.push.idle();
  const pushLog = async (): Promise<OutboundLogEntryDto[]> =>
    ((await ok(admin.api.get('outbound.log', { count: 200 }), 'log')).entries as OutboundLogEntryDto[]).filter((e) => e.purpose === 'push');
  const gatewayCalls = () => cloud.proxy.received.filter((r) => r.path === '/api/v1/push/send');

  before(async () => {
    guard = installLoopbackGuard();
    fcm = await startFcmStandin();
    cloud = await startRecordedCloud({ fcm: { projectId: fcm.projectId, credential: fcm.credential(), httpAgent: fcm.httpAgent({ maxSockets: 10 }) } });
    ws = await startWorkspace(cloud.url);
    admin = await registerUser(ws.url);
    alice = await registerUser(ws.url);
    bob = await registerUser(ws.url);
    carol = await registerUser(ws.url);
    channel = (await ok(alice.api.post('channels.create', { name: canary.room, members: [bob.username, carol.username] }), 'channel')).channel;
    dm = (await ok(alice.api.post('im.create', { username: bob.username }), 'dm')).room._id;
    bobToken = token('bob');
    carolToken = token('carol');
    await ok(bob.api.post('push.token', { type: 'fcm', value: bobToken, appName: 'obmeet-test' }), 'bob token');
    await ok(carol.api.post('push.token', { type: 'fcm', value: carolToken, appName: 'obmeet-test' }), 'carol token');
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await ws?.close();
    await cloud?.close();
    await fcm?.close();
    guard.uninstall();
  });

  it('sends nothing while the workspace is unregistered', async () => {
    await send(alice, dm, `unregistered ${canary.word}`);
    await settled();
    expect(gatewayCalls()).to.deep.equal([]);
    expect(fcm.requests).to.deep.equal([]);
    expect(cloud.proxy.received).to.deep.equal([]);
  });

  it('id only (the default): the gateway and FCM see a message id, never text, names or the room; the device fetches the message', async () => {
    await ok(admin.api.post('cloud.register', { token: await cloud.registrationToken() }), 'register');
    const m = await send(alice, dm, `secret ${canary.word}`);
    const mention = await send(alice, channel._id, `@${bob.username} look at ${canary.word}`);
    await settled();
    const forBob = fcm.requestsFor(bobToken);
    expect(forBob.map((r) => r.body.message.data?.messageId)).to.deep.equal([m._id, mention._id]);
    for (const r of forBob) expect(r.body.message.notification).to.equal(undefined);
    const seenOutside = [...gatewayCalls().map((r) => r.body), ...fcm.requests.map((r) => r.rawBody)].join('\n');
    for (const secret of [canary.word, canary.room, alice.username, bob.username, 'secret']) expect(seenOutside).not.to.include(secret);
    const fetched = await ok(bob.api.get('push.get', { id: m._id }), 'push.get');
    expect(fetched.data.message.msg).to.equal(`secret ${canary.word}`);
    // someone who cannot read the room gets nothing for that id
    expect((await carol.api.get('push.get', { id: m._id })).status).to.equal(404);
  });

  it('sender and room only: the title names them, the body holds no message text', async () => {
    await ok(admin.api.post('settings/push.contentMode', { value: 'sender' }), 'mode');
    fcm.reset();
    await send(alice, channel._id, `@${bob.username} hidden ${canary.word}`);
    await settled();
    const [r] = fcm.requestsFor(bobToken);
    expect(r, 'bob was pushed').to.not.equal(undefined);
    const n = r!.body.message.notification;
    expect(`${n.title} ${n.body}`).to.include(canary.room);
    expect(r!.rawBody).not.to.include(canary.word);
    expect(r!.rawBody).not.to.include('hidden');
  });

  it('full text: the notification carries the message', async () => {
    await ok(admin.api.post('settings/push.contentMode', { value: 'full' }), 'mode');
    fcm.reset();
    await send(alice, channel._id, `@${bob.username} plain ${canary.word}`);
    await settled();
    const [r] = fcm.requestsFor(bobToken);
    expect(r!.body.message.notification.body).to.include(`plain ${canary.word}`);
  });

  it('preferences and presence decide who is pushed: all / nothing / room mute, and nobody active in a client', async () => {
    fcm.reset();
    // carol is not mentioned: with the default (mentions) she is not pushed; with "all" she is
    await send(alice, channel._id, 'to everyone 1');
    await settled(); // the queue reads preferences when it handles the message, so let it finish first
    await ok(carol.api.post('push.preferences', { pushNotifications: 'all' }), 'carol all');
    await send(alice, channel._id, 'to everyone 2');
    await settled();
    expect(fcm.requestsFor(carolToken).map((r) => r.body.message.notification.body)).to.deep.equal([`${alice.username}: to everyone 2`]);
    // bob mutes the channel: a mention there reaches him no more; his DM still does
    fcm.reset();
    await ok(bob.api.post('rooms.saveNotification', { roomId: channel._id, notifications: { disableNotifications: true } }), 'mute');
    await send(alice, channel._id, `@${bob.username} muted`);
    await send(alice, dm, 'dm after mute');
    await settled();
    expect(fcm.requestsFor(bobToken).map((r) => r.body.message.notification.body)).to.deep.equal(['dm after mute']); // a DM's body is the text alone
    // "nothing": not even a DM
    fcm.reset();
    await ok(bob.api.post('push.preferences', { pushNotifications: 'nothing' }), 'bob nothing');
    await send(alice, dm, 'dm to nothing');
    await settled();
    expect(fcm.requestsFor(bobToken)).to.deep.equal([]);
    await ok(bob.api.post('push.preferences', { pushNotifications: 'mentions' }), 'bob back');
    // bob active in the web client (a connected, non-idle socket): not pushed; once gone, pushed again
    const socket = await connectSocket(ws.url, bob);
    sockets.push(socket);
    fcm.reset();
    await send(alice, dm, 'while online');
    await settled();
    expect(fcm.requestsFor(bobToken)).to.deep.equal([]);
    socket.disconnect();
    // the server notices the disconnect asynchronously: wait until bob no longer counts as active
    for (let i = 0; (await ws.workspace.push.presence.activeUserIds([bob._id])).size > 0; i++) {
      if (i > 100) throw new Error('bob still counts as active 5 s after disconnecting');
      await new Promise((r) => setTimeout(r, 50));
    }
    await send(alice, dm, 'after going offline');
    await settled();
    expect(fcm.requestsFor(bobToken).map((r) => r.body.message.notification.body)).to.deep.equal(['after going offline']);
  });

  it('deletes the tokens FCM rejects as unregistered, and keeps the others', async () => {
    const dead = token('dead');
    await ok(bob.api.post('push.token', { type: 'fcm', value: dead, appName: 'obmeet-test' }), 'dead token');
    fcm.answerAlways(dead, 'unregistered');
    await send(alice, dm, 'to two devices');
    await settled();
    expect(fcm.requestsFor(dead)).to.have.length(1);
    const left = (await ok(bob.api.get('push.tokens'), 'tokens')).tokens.map((t: { value: string }) => t.value);
    expect(left).to.deep.equal([bobToken]);
  });

  it('every push the cloud received is in the outbound log, one for one, payload for payload', async () => {
    const entries = await pushLog();
    expect(entries.length).to.be.greaterThan(0);
    const fromLog = entries.map((e) => JSON.stringify({ path: e.endpoint.slice(cloud.url.length), body: e.payload, status: e.status })).sort();
    const atCloud = gatewayCalls().map((r) => JSON.stringify({ path: r.path, body: r.body, status: r.status })).sort();
    expect(atCloud).to.deep.equal(fromLog);
  });

  it('unregistering stops pushes and statistics at once, and the cloud refuses the old credentials', async () => {
    const creds = (await ws.workspace.cloud.credentials())!;
    expect(creds).to.not.equal(null);
    await ok(admin.api.post('statistics.sharing', { enabled: true }), 'sharing on');
    await ok(admin.api.post('cloud.unregister', {}), 'unregister');
    expect((await ok(admin.api.get('statistics.sharing'), 'sharing')).sharing.enabled).to.equal(false);
    const before = cloud.proxy.received.length;
    fcm.reset();
    await send(alice, dm, 'after unregistering');
    await settled();
    await runADayOfJobs(ws);
    expect(fcm.requests).to.deep.equal([]);
    expect(cloud.proxy.received.slice(before)).to.deep.equal([]);
    const basic = `Basic ${Buffer.from(`${creds.workspaceId}:${creds.clientSecret}`).toString('base64')}`;
    const res = await fetch(`${cloud.cloud.url}/api/v1/push/send`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ tokens: [bobToken], data: { messageId: 'x' } }),
    });
    expect(res.status).to.equal(401);
    expect(fcm.requests).to.deep.equal([]);
    expect(guard.violations).to.deep.equal([]);
  });
});
