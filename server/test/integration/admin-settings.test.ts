import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { startWithAdmin, type TestServer } from '../helpers.js';

interface Setting {
  _id: string;
  value?: unknown;
  public: boolean;
  section?: string;
  type?: string;
  default?: unknown;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  changed?: boolean;
}

describe('settings for the admin page', function () {
  let server: TestServer;
  let admin: TestUser;
  let user: TestUser;
  before(async () => {
    ({ server, admin } = await startWithAdmin());
    user = await registerUser(server.url);
  });
  after(async () => server?.close());

  const settings = async (who: TestUser) => new Map(((await who.api.get('settings')).body.settings as Setting[]).map((s) => [s._id, s]));

  it('admins get every setting with the metadata the page is generated from', async () => {
    const all = await settings(admin);
    expect(all.get('messages.maxLength')).to.deep.include({ type: 'int', min: 1, max: 100_000, default: 5000, value: 5000, section: 'messages', changed: false, public: true });
    expect(all.get('accounts.registration')).to.deep.include({ type: 'enum', options: ['open', 'invite', 'closed'] });
    expect(all.get('location.sharingEnabled')).to.deep.include({ type: 'boolean', default: false });
    expect(all.get('site.name')).to.deep.include({ type: 'string', maxLength: 80 });
    expect(all.get('files.storage')).to.deep.include({ public: false, type: 'enum' });
  });

  it('non-admins get public settings only, without metadata', async () => {
    const mine = await settings(user);
    expect(mine.has('files.storage')).to.equal(false);
    expect(mine.has('integrations.allowedHosts')).to.equal(false);
    expect(Object.keys(mine.get('messages.maxLength')!).sort()).to.deep.equal(['_id', 'public', 'value']);
  });

  it('a value out of range is refused with a message that says why, and nothing changes', async () => {
    const res = await admin.api.post('settings/messages.maxLength', { value: 0 });
    expect(res.status).to.equal(400);
    expect(res.body.errorType).to.equal('error-invalid-params');
    expect(res.body.error).to.match(/messages\.maxLength/).and.to.match(/greater than or equal to 1/);
    expect((await settings(admin)).get('messages.maxLength')).to.deep.include({ value: 5000, changed: false });
    for (const value of ['5', [1], { a: 1 }, null]) {
      expect((await admin.api.post('settings/messages.maxLength', { value })).status, JSON.stringify(value)).to.equal(400);
    }
    expect((await admin.api.post('settings/no.such', { value: 1 })).status).to.equal(400);
  });

  it('a saved value shows as changed and reset brings back the default', async () => {
    expect((await admin.api.post('settings/messages.maxLength', { value: 1234 })).status).to.equal(200);
    expect((await settings(admin)).get('messages.maxLength')).to.deep.include({ value: 1234, changed: true });
    expect((await settings(user)).get('messages.maxLength')!.value).to.equal(1234);

    expect((await user.api.post('settings/messages.maxLength/reset')).status).to.equal(403);
    expect((await settings(admin)).get('messages.maxLength')!.value).to.equal(1234);

    expect((await admin.api.post('settings/messages.maxLength/reset')).status).to.equal(200);
    expect((await settings(admin)).get('messages.maxLength')).to.deep.include({ value: 5000, changed: false });
    expect((await admin.api.post('settings/no.such/reset')).status).to.equal(400);
  });
});
