import { expect } from 'chai';
import { ApiClient, connectSocket, loginUser, nextEvent, registerUser, uniqueName } from '@obmeet/test-kit';
import { startTestServer, startWithAdmin, type TestServer } from '../helpers.js';

describe('accounts and sign-in', function () {
  let server: TestServer;
  after(async () => server?.close());

  it('makes the first user admin and later users plain users', async () => {
    server = await startTestServer();
    const info = await server.api.get('info');
    expect(info.body.setupDone).to.equal(false);
    const first = await registerUser(server.url);
    const second = await registerUser(server.url);
    expect((await first.api.get('me')).body.roles).to.deep.equal(['admin']);
    expect((await second.api.get('me')).body.roles).to.deep.equal(['user']);
    expect((await server.api.get('info')).body.setupDone).to.equal(true);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const user = await registerUser(server.url);
    const wrong = await server.api.post('login', { user: user.username, password: 'not-the-password' });
    const unknown = await server.api.post('login', { user: uniqueName('nobody'), password: 'whatever-pass' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body).to.deep.equal(unknown.body);
    expect(wrong.body.errorType).to.equal('error-invalid-credentials');
  });

  it('logs in by email too, and never returns the password hash', async () => {
    const user = await registerUser(server.url);
    const res = await server.api.post('login', { user: `${user.username}@example.test`, password: user.password });
    expect(res.status).to.equal(200);
    expect(JSON.stringify(res.body)).not.to.match(/argon2|passwordHash/);
  });

  it('rejects duplicate usernames (any case) and emails, writing nothing', async () => {
    const user = await registerUser(server.url);
    const before = await server.workspace.db.collection('users').countDocuments({});
    const dupName = await server.api.post('users.register', { username: user.username.toUpperCase(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'X' });
    expect(dupName.status).to.equal(409);
    expect(dupName.body.errorType).to.equal('error-username-taken');
    const dupEmail = await server.api.post('users.register', { username: uniqueName(), email: `${user.username}@example.test`, pass: 'password1', name: 'X' });
    expect(dupEmail.status).to.equal(409);
    expect(dupEmail.body.errorType).to.equal('error-email-taken');
    expect(await server.workspace.db.collection('users').countDocuments({})).to.equal(before);
  });

  it('rejects operator injection, mass assignment and oversized bodies with a 4xx and writes nothing', async () => {
    const before = await server.workspace.db.collection('users').countDocuments({});
    const injected = await server.api.post('login', { user: { $gt: '' }, password: { $gt: '' } });
    expect(injected.status).to.equal(400);
    expect(injected.body.errorType).to.equal('error-invalid-params');
    const mass = await server.api.post('users.register', { username: uniqueName(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'X', roles: ['admin'] });
    expect(mass.status).to.equal(400);
    const user = await registerUser(server.url);
    const selfPromote = await user.api.post('users.updateOwnBasicInfo', { name: 'New', roles: ['admin'] });
    expect(selfPromote.status).to.equal(400);
    expect((await user.api.get('me')).body.roles).to.deep.equal(['user']);
    const big = await server.api.post('users.register', { username: 'x', email: 'x@x.test', pass: 'p'.repeat(2_000_000), name: 'x' });
    expect(big.status).to.equal(413);
    expect(big.body.errorType).to.equal('error-payload-too-large');
    const notJson = await server.api.request('POST', '/api/v1/login', '{"user":', { 'content-type': 'application/json' });
    expect(notJson.status).to.equal(400);
    expect(await server.workspace.db.collection('users').countDocuments({})).to.equal(before + 1);
  });

  it('authenticates with X-User-Id + X-Auth-Token and refuses a token for another user id', async () => {
    const a = await registerUser(server.url);
    const b = await registerUser(server.url);
    expect((await a.api.get('me')).status).to.equal(200);
    const mixed = new ApiClient(server.url).withAuth(b._id, a.token);
    expect((await mixed.get('me')).status).to.equal(401);
    expect((await server.api.get('me')).status).to.equal(401);
  });

  it('stores tokens hashed only', async () => {
    const user = await registerUser(server.url);
    const sessions = await server.workspace.db.collection('sessions').find({ userId: user._id }).toArray();
    expect(sessions).to.have.length(1);
    expect(JSON.stringify(sessions)).not.to.include(user.token);
  });

  it('logout revokes the token and disconnects that session’s sockets only', async () => {
    const user = await registerUser(server.url);
    const other = await loginUser(server.url, user.username, user.password);
    const s1 = await connectSocket(server.url, user);
    const s2 = await connectSocket(server.url, other);
    const disconnected = new Promise<void>((ok) => s1.once('disconnect', () => ok()));
    const out = await user.api.post('logout');
    expect(out.status).to.equal(200);
    await disconnected;
    expect((await user.api.get('me')).status).to.equal(401);
    expect((await other.api.get('me')).status).to.equal(200);
    expect(s2.connected).to.equal(true);
    s2.close();
  });

  it('sets an httpOnly cookie for the web client and refuses cross-origin writes with it', async () => {
    const local = await startTestServer({ SITE_URL: 'http://127.0.0.1:1' });
    try {
      const u = await registerUser(local.url);
      const res = await local.api.post('login', { user: u.username, password: u.password, cookie: true });
      const setCookie = res.headers.get('set-cookie') ?? '';
      expect(setCookie).to.match(/obm_session=/).and.to.match(/HttpOnly/i).and.to.match(/SameSite=Lax/i);
      const c = new ApiClient(local.url);
      c.cookie = setCookie.split(';')[0]!;
      expect((await c.get('me')).status).to.equal(200);
      const cross = await c.request('POST', '/api/v1/channels.create', { name: uniqueName('x') }, { origin: 'https://evil.example' });
      expect(cross.status).to.equal(403);
      const same = await c.request('POST', '/api/v1/channels.create', { name: uniqueName('x') }, { origin: 'http://127.0.0.1:1' });
      expect(same.status).to.equal(200);
    } finally {
      await local.close();
    }
  });

  it('personal access tokens work for the API and can be revoked', async () => {
    const user = await registerUser(server.url);
    const created = await user.api.post('users.generatePersonalAccessToken', { tokenName: 'bot' });
    expect(created.status).to.equal(200);
    const pat = new ApiClient(server.url).withAuth(user._id, created.body.token);
    expect((await pat.get('me')).body.username).to.equal(user.username);
    const list = await user.api.get('users.getPersonalAccessTokens');
    expect(list.body.tokens.map((t: { name: string }) => t.name)).to.deep.equal(['bot']);
    expect(JSON.stringify(list.body)).not.to.include(created.body.token);
    expect((await user.api.post('users.removePersonalAccessToken', { tokenName: 'bot' })).status).to.equal(200);
    expect((await pat.get('me')).status).to.equal(401);
  });

  it('changes the password, ends other sessions, keeps this one', async () => {
    const user = await registerUser(server.url);
    const other = await loginUser(server.url, user.username, user.password);
    const bad = await user.api.post('users.changePassword', { currentPassword: 'wrong-one', newPassword: 'new-password-1' });
    expect(bad.status).to.equal(400);
    const ok = await user.api.post('users.changePassword', { currentPassword: user.password, newPassword: 'new-password-1' });
    expect(ok.status).to.equal(200);
    expect((await user.api.get('me')).status).to.equal(200);
    expect((await other.api.get('me')).status).to.equal(401);
    expect((await server.api.post('login', { user: user.username, password: 'new-password-1' })).status).to.equal(200);
  });

  it('updates the profile', async () => {
    const user = await registerUser(server.url);
    const res = await user.api.post('users.updateOwnBasicInfo', { name: 'Ada L', avatarUrl: 'https://example.test/a.png' });
    expect(res.status).to.equal(200);
    expect(res.body.user).to.include({ name: 'Ada L', avatarUrl: 'https://example.test/a.png' });
    const js = await user.api.post('users.updateOwnBasicInfo', { avatarUrl: 'javascript:alert(1)' });
    expect(js.status).to.equal(400);
  });
});

describe('administration of users and registration modes', function () {
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof registerUser>>;
  before(async () => ({ server, admin } = await startWithAdmin()));
  after(async () => server.close());

  it('an admin deactivates a user: sessions end, sockets drop, login refused', async () => {
    const user = await registerUser(server.url);
    const socket = await connectSocket(server.url, user);
    const dropped = new Promise<void>((ok) => socket.once('disconnect', () => ok()));
    const res = await admin.api.post('users.setActiveStatus', { userId: user._id, activeStatus: false });
    expect(res.status).to.equal(200);
    await dropped;
    expect((await user.api.get('me')).status).to.equal(401);
    const login = await server.api.post('login', { user: user.username, password: user.password });
    expect(login.status).to.equal(403);
    expect(login.body.errorType).to.equal('error-user-deactivated');
  });

  it('a plain user cannot deactivate, create users or assign roles (nothing changes)', async () => {
    const user = await registerUser(server.url);
    const victim = await registerUser(server.url);
    expect((await user.api.post('users.setActiveStatus', { userId: victim._id, activeStatus: false })).status).to.equal(403);
    expect((await user.api.post('users.setRoles', { userId: user._id, roles: ['admin'] })).status).to.equal(403);
    expect((await user.api.post('users.create', { username: uniqueName(), email: `${uniqueName()}@x.test`, password: 'password1', name: 'x' })).status).to.equal(403);
    expect((await victim.api.get('me')).body.active).to.equal(true);
    expect((await user.api.get('me')).body.roles).to.deep.equal(['user']);
  });

  it('an admin creates a bot that uses the REST API with a personal access token', async () => {
    const name = uniqueName('bot');
    const created = await admin.api.post('users.create', { username: name, email: `${name}@x.test`, password: 'password1', name: 'Bot', type: 'bot' });
    expect(created.status).to.equal(200);
    expect(created.body.user.roles).to.deep.equal(['bot']);
    const bot = await loginUser(server.url, name, 'password1');
    const pat = await bot.api.post('users.generatePersonalAccessToken', { tokenName: 'ci' });
    const patClient = new ApiClient(server.url).withAuth(bot._id, pat.body.token);
    expect((await patClient.post('channels.create', { name: uniqueName('botroom') })).status).to.equal(200);
  });

  it('invite-only and closed registration', async () => {
    expect((await admin.api.post('settings/accounts.registration', { value: 'invite' })).status).to.equal(200);
    const blocked = await server.api.post('users.register', { username: uniqueName(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'x' });
    expect(blocked.status).to.equal(403);
    expect(blocked.body.errorType).to.equal('error-invalid-invite');
    const invite = await admin.api.post('invites.create', { maxUses: 1 });
    const ok = await server.api.post('users.register', { username: uniqueName(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'x', inviteToken: invite.body.token });
    expect(ok.status).to.equal(200);
    const reused = await server.api.post('users.register', { username: uniqueName(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'x', inviteToken: invite.body.token });
    expect(reused.status).to.equal(403);
    expect((await admin.api.post('settings/accounts.registration', { value: 'closed' })).status).to.equal(200);
    const closed = await server.api.post('users.register', { username: uniqueName(), email: `${uniqueName()}@x.test`, pass: 'password1', name: 'x' });
    expect(closed.status).to.equal(403);
    expect(closed.body.errorType).to.equal('error-registration-closed');
    expect((await admin.api.post('settings/accounts.registration', { value: 'open' })).status).to.equal(200);
  });

  it('rate-limits login failures per username with 429', async () => {
    const user = await registerUser(server.url);
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await server.api.post('login', { user: user.username, password: 'wrong-password' })).status;
    expect(last).to.equal(429);
    // even the right password waits now
    expect((await server.api.post('login', { user: user.username, password: user.password })).status).to.equal(429);
  });

  it('emits presence when a user connects and disconnects', async () => {
    const watcher = await registerUser(server.url);
    const ws = await connectSocket(server.url, watcher);
    const user = await registerUser(server.url);
    const online = nextEvent(ws, 'presence', 3000, (p: { userId: string; status: string }) => p.userId === user._id && p.status === 'online');
    const s = await connectSocket(server.url, user);
    await online;
    const offline = nextEvent(ws, 'presence', 3000, (p: { userId: string; status: string }) => p.userId === user._id && p.status === 'offline');
    s.close();
    await offline;
    ws.close();
  });
});
