import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startWithAdmin, type TestServer } from '../helpers.js';

/** A well-formed FCM registration token (the format the gateway accepts). */
function fcmToken(label = 't'): string {
  return `${label}_${randomBytes(24).toString('base64url')}:APA91b${randomBytes(12).toString('hex')}`;
}

async function collection(server: TestServer, name: string) {
  return server.workspace.db.collection(name).find({}).sort({ _id: 1 }).toArray();
}

describe('push: device tokens, preferences and push.get (REST)', function () {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  before(async () => {
    ({ server, admin } = await startWithAdmin());
    alice = await registerUser(server.url);
    bob = await registerUser(server.url);
  });
  after(async () => server?.close());

  describe('push.token', () => {
    it('registers a token once per value, lists only the caller’s devices, and stores gcm as fcm', async () => {
      const value = fcmToken('a');
      const first = await alice.api.post('push.token', { type: 'gcm', value, appName: 'chat.obmeet.android' });
      expect(first.status).to.equal(200);
      expect(first.body.result).to.deep.include({ type: 'fcm', value, appName: 'chat.obmeet.android' });
      const again = await alice.api.post('push.token', { type: 'fcm', value, appName: 'chat.obmeet.android' });
      expect(again.status).to.equal(200);
      expect(again.body.result._id).to.equal(first.body.result._id);
      const docs = (await collection(server, 'push_tokens')).filter((t) => t.value === value);
      expect(docs).to.have.length(1);
      expect(docs[0]!.userId).to.equal(alice._id);

      const mine = await alice.api.get('push.tokens');
      expect(mine.body.tokens.map((t: { value: string }) => t.value)).to.include(value);
      const bobs = await bob.api.get('push.tokens');
      expect(bobs.body.tokens.map((t: { value: string }) => t.value)).to.not.include(value);
    });

    it('a token registered by another user moves to that user', async () => {
      const value = fcmToken('move');
      expect((await alice.api.post('push.token', { type: 'apn', value, appName: 'ios' })).status).to.equal(200);
      const moved = await bob.api.post('push.token', { type: 'apn', value, appName: 'ios' });
      expect(moved.status).to.equal(200);
      const docs = (await collection(server, 'push_tokens')).filter((t) => t.value === value);
      expect(docs).to.have.length(1);
      expect(docs[0]!.userId).to.equal(bob._id);
      expect((await alice.api.get('push.tokens')).body.tokens.map((t: { value: string }) => t.value)).to.not.include(value);
    });

    it('DELETE removes the caller’s own token; another user’s token is a 404 and stays', async () => {
      const value = fcmToken('del');
      await alice.api.post('push.token', { type: 'web', value, appName: 'web' });
      const notMine = await bob.api.request('DELETE', '/api/v1/push.token', { token: value });
      expect(notMine.status).to.equal(404);
      expect(notMine.body.errorType).to.equal('error-not-found');
      expect((await collection(server, 'push_tokens')).some((t) => t.value === value)).to.equal(true);
      const mine = await alice.api.request('DELETE', '/api/v1/push.token', { token: value });
      expect(mine.status).to.equal(200);
      expect((await collection(server, 'push_tokens')).some((t) => t.value === value)).to.equal(false);
    });

    it('refuses bad input with 400 error-invalid-params, and nothing is written', async () => {
      const before = await collection(server, 'push_tokens');
      const bad: unknown[] = [
        {},
        { type: 'fcm', appName: 'x' },
        { type: 'sms', value: fcmToken(), appName: 'x' },
        { type: 'fcm', value: 'short', appName: 'x' },
        { type: 'fcm', value: `${fcmToken()} withspace`, appName: 'x' },
        { type: 'fcm', value: { $gt: '' }, appName: 'x' },
        { type: 'fcm', value: fcmToken(), appName: '' },
        { type: 'fcm', value: fcmToken(), appName: 'has space' },
        { type: 'fcm', value: fcmToken(), appName: 'x', userId: bob._id },
        { type: 'fcm', value: 'x'.repeat(4097), appName: 'x' },
        [fcmToken()],
      ];
      for (const body of bad) {
        const res = await alice.api.post('push.token', body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
        expect(res.body.errorType).to.equal('error-invalid-params');
      }
      for (const body of [{}, { token: 'short' }, { token: fcmToken(), extra: 1 }]) {
        const res = await alice.api.request('DELETE', '/api/v1/push.token', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
      }
      const anon = await server.api.post('push.token', { type: 'fcm', value: fcmToken(), appName: 'x' });
      expect(anon.status).to.equal(401);
      expect(await collection(server, 'push_tokens')).to.deep.equal(before);
    });
  });

  describe('preferences', () => {
    it('the user default is "mentions" until changed', async () => {
      const carol = await registerUser(server.url);
      expect((await carol.api.get('push.preferences')).body.preferences).to.deep.equal({ pushNotifications: 'mentions' });
      expect((await carol.api.post('push.preferences', { pushNotifications: 'all' })).status).to.equal(200);
      expect((await carol.api.get('push.preferences')).body.preferences).to.deep.equal({ pushNotifications: 'all' });
      // one user's choice is not another's
      expect((await bob.api.get('push.preferences')).body.preferences).to.deep.equal({ pushNotifications: 'mentions' });
    });

    it('refuses bad preference values, and nothing is written', async () => {
      const before = await collection(server, 'push_prefs');
      for (const body of [{}, { pushNotifications: 'default' }, { pushNotifications: 'loud' }, { pushNotifications: 1 }, { pushNotifications: 'all', x: 1 }]) {
        const res = await alice.api.post('push.preferences', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.errorType).to.equal('error-invalid-params');
      }
      expect(await collection(server, 'push_prefs')).to.deep.equal(before);
    });

    it('per room: saveNotification sets and clears the room’s own value; disableNotifications is the room mute', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const get = async () => (await bob.api.get('rooms.getNotification', { roomId: room._id })).body.notifications;
      expect(await get()).to.deep.equal({ mobilePushNotifications: 'default', disableNotifications: false, effective: 'mentions' });

      const saved = await bob.api.post('rooms.saveNotification', { roomId: room._id, notifications: { mobilePushNotifications: 'all' } });
      expect(saved.status).to.equal(200);
      expect(saved.body.notifications).to.deep.equal({ mobilePushNotifications: 'all', disableNotifications: false, effective: 'all' });

      await bob.api.post('rooms.saveNotification', { roomId: room._id, notifications: { disableNotifications: true } });
      expect(await get()).to.deep.equal({ mobilePushNotifications: 'all', disableNotifications: true, effective: 'all' });
      // the same flag as the room's Mute button
      const sub = (await bob.api.get('subscriptions.getOne', { roomId: room._id })).body.subscription;
      expect(sub.muted).to.equal(true);

      await bob.api.post('rooms.saveNotification', { roomId: room._id, notifications: { mobilePushNotifications: 'default', disableNotifications: false } });
      expect(await get()).to.deep.equal({ mobilePushNotifications: 'default', disableNotifications: false, effective: 'mentions' });
      const stored = await server.workspace.db.collection('subscriptions').findOne({ _id: `${room._id}_${bob._id}` as never });
      expect(stored).to.not.have.property('pushNotifications');
    });

    it('refuses bad room settings and non-members, and the subscription is unchanged', async () => {
      const room = await createChannel(alice, { members: [bob.username] });
      const subs = () => server.workspace.db.collection('subscriptions').find({ rid: room._id }).sort({ _id: 1 }).toArray();
      const before = await subs();
      const bad: unknown[] = [
        {},
        { roomId: room._id },
        { roomId: room._id, notifications: {} },
        { roomId: room._id, notifications: { mobilePushNotifications: 'loud' } },
        { roomId: room._id, notifications: { disableNotifications: '1' } },
        { roomId: room._id, notifications: { mobilePushNotifications: 'all', desktop: 'all' } },
        { roomId: { $ne: '' }, notifications: { mobilePushNotifications: 'all' } },
      ];
      for (const body of bad) {
        const res = await bob.api.post('rooms.saveNotification', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.errorType).to.equal('error-invalid-params');
      }
      const outsider = await registerUser(server.url);
      const notMember = await outsider.api.post('rooms.saveNotification', { roomId: room._id, notifications: { mobilePushNotifications: 'all' } });
      expect(notMember.status).to.equal(400);
      expect(notMember.body.errorType).to.equal('error-not-member');
      expect((await outsider.api.get('rooms.getNotification', { roomId: room._id })).status).to.equal(404);
      const missing = await bob.api.post('rooms.saveNotification', { roomId: 'nosuchroom', notifications: { mobilePushNotifications: 'all' } });
      expect(missing.status).to.equal(404);
      expect(await subs()).to.deep.equal(before);
    });
  });

  describe('push.get', () => {
    it('returns the message and its notification text to a reader, 404 to anyone else', async () => {
      const group = await createChannel(alice, { type: 'p', name: `secret-${randomBytes(3).toString('hex')}`, members: [bob.username] });
      const m = await send(alice, group._id, 'the launch code is 1234');
      const got = await bob.api.get('push.get', { id: m._id });
      expect(got.status).to.equal(200);
      expect(got.body.data.message).to.deep.include({ _id: m._id, rid: group._id, msg: 'the launch code is 1234' });
      expect(got.body.data.notification).to.deep.equal({ title: `#${group.name}`, body: `${alice.username}: the launch code is 1234` });

      const outsider = await registerUser(server.url);
      const denied = await outsider.api.get('push.get', { id: m._id });
      expect(denied.status).to.equal(404);
      expect(denied.body.errorType).to.equal('error-not-found');
      expect(JSON.stringify(denied.body)).to.not.include('launch');
      expect((await admin.api.get('push.get', { id: m._id })).status).to.equal(404);
      expect((await bob.api.get('push.get', { id: 'nosuchmessage' })).status).to.equal(404);
      expect((await bob.api.get('push.get', {})).status).to.equal(400);
      expect((await server.api.get('push.get', { id: m._id })).status).to.equal(401);
    });
  });
});
