import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, startWithAdmin, type TestServer } from '../helpers.js';

describe('location sharing', function () {
  let server: TestServer;
  let admin: TestUser;
  after(async () => server?.close());
  before(async () => {
    ({ server, admin } = await startWithAdmin());
  });

  const lastSeq = async (rid: string) => (await server.workspace.db.collection<{ _id: string; lastSeq: number }>('rooms').findOne({ _id: rid }))!.lastSeq;

  it('is off by default: refused with 403 error-location-disabled, nothing written, and the client can see the setting', async () => {
    const user = await registerUser(server.url);
    const room = await createChannel(user);
    const settings = await user.api.get('settings');
    expect(settings.body.settings.find((s: { _id: string }) => s._id === 'location.sharingEnabled')).to.deep.include({ value: false, public: true });
    const seq = await lastSeq(room._id);
    const res = await user.api.post('chat.shareLocation', { roomId: room._id, latitude: 52.52, longitude: 13.405 });
    expect(res.status).to.equal(403);
    expect(res.body.errorType).to.equal('error-location-disabled');
    expect(await lastSeq(room._id)).to.equal(seq);
  });

  it('only admins can switch it on', async () => {
    const user = await registerUser(server.url);
    expect((await user.api.post('settings/location.sharingEnabled', { value: true })).status).to.equal(403);
  });

  it('when enabled, posts a message with the location and an OpenStreetMap link', async () => {
    expect((await admin.api.post('settings/location.sharingEnabled', { value: true })).status).to.equal(200);
    try {
      const user = await registerUser(server.url);
      const room = await createChannel(user);
      const res = await user.api.post('chat.shareLocation', { roomId: room._id, latitude: 52.5200066, longitude: 13.404954, accuracy: 12.4 });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const m = res.body.message;
      expect(m.location).to.deep.equal({ lat: 52.520007, lng: 13.404954, accuracy: 12 });
      expect(m.attachments[0].title_link).to.equal('https://www.openstreetmap.org/?mlat=52.520007&mlon=13.404954#map=16/52.520007/13.404954');
      const history = await user.api.get('channels.history', { roomId: room._id });
      expect(history.body.messages[0].location).to.deep.equal(m.location);
      const found = await user.api.get('chat.search', { roomId: room._id, searchText: 'has:location' });
      expect(found.body.messages.map((x: { _id: string }) => x._id)).to.deep.equal([m._id]);

      // validated ranges and types; nothing written
      const seq = await lastSeq(room._id);
      for (const body of [
        { roomId: room._id, latitude: 91, longitude: 0 },
        { roomId: room._id, latitude: 0, longitude: -180.5 },
        { roomId: room._id, latitude: '1', longitude: 2 },
        { roomId: room._id, latitude: 1, longitude: 2, accuracy: -1 },
        { roomId: room._id, latitude: 1, longitude: 2, extra: true },
      ]) {
        const bad = await user.api.post('chat.shareLocation', body);
        expect(bad.status, JSON.stringify(body)).to.equal(400);
      }
      // a non-member cannot post into the room
      const outsider = await registerUser(server.url);
      const group = await createChannel(user, { type: 'p' });
      expect((await outsider.api.post('chat.shareLocation', { roomId: group._id, latitude: 1, longitude: 2 })).status).to.equal(404);
      expect(await lastSeq(room._id)).to.equal(seq);
    } finally {
      await admin.api.post('settings/location.sharingEnabled', { value: false });
    }
  });
});
