import { expect } from 'chai';
import { installLoopbackGuard, type LoopbackGuard } from '@obmeet/test-kit';
import { bearer, dump, signupAndLogin, startTestCloud, type TestCloud } from './helpers.js';

describe('cloud: vendor accounts', function () {
  let cloud: TestCloud;
  let guard: LoopbackGuard;
  before(async () => {
    guard = installLoopbackGuard();
    cloud = await startTestCloud({ CLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
  });
  after(async () => {
    await cloud?.close();
    guard.uninstall();
    expect(guard.violations, 'non-loopback connections').to.deep.equal([]);
  });

  it('signs up, logs in, reads the account and logs out', async () => {
    const v = await signupAndLogin(cloud);
    expect(v.token).to.match(/^ocv_/);
    const me = await cloud.call('GET', '/accounts/me', undefined, v.headers);
    expect(me.status).to.equal(200);
    expect(me.body.account.email).to.equal(v.email);
    expect(JSON.stringify(me.body)).not.to.match(/argon2|passwordHash/);
    const out = await cloud.call('POST', '/accounts/logout', {}, v.headers);
    expect(out.status).to.equal(200);
    expect((await cloud.call('GET', '/accounts/me', undefined, v.headers)).status).to.equal(401);
  });

  it('stores the password as argon2id and the session token only hashed', async () => {
    const v = await signupAndLogin(cloud);
    const account = await cloud.db.collection('accounts').findOne({ emailKey: v.email.toLowerCase() });
    expect(account!.passwordHash).to.match(/^\$argon2id\$/);
    const all = JSON.stringify(await dump(cloud.db));
    expect(all).not.to.include(v.password);
    expect(all).not.to.include(v.token);
    expect(cloud.logs.join('\n')).not.to.include(v.password);
    expect(cloud.logs.join('\n')).not.to.include(v.token);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const v = await signupAndLogin(cloud);
    const wrong = await cloud.call('POST', '/accounts/login', { email: v.email, password: 'not-the-password' });
    const unknown = await cloud.call('POST', '/accounts/login', { email: 'nobody-here@example.test', password: 'not-the-password' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body).to.deep.equal(unknown.body);
    expect(wrong.body).to.deep.equal({ success: false, error: 'Incorrect email or password', errorType: 'error-invalid-credentials' });
  });

  it('locks an account out after repeated failures (429 with Retry-After), even for the right password', async () => {
    const v = await signupAndLogin(cloud);
    for (let i = 0; i < 3; i++) {
      expect((await cloud.call('POST', '/accounts/login', { email: v.email, password: 'wrong-password' })).status).to.equal(401);
    }
    const locked = await cloud.call('POST', '/accounts/login', { email: v.email, password: v.password });
    expect(locked.status).to.equal(429);
    expect(locked.body.errorType).to.equal('error-too-many-requests');
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('refuses a duplicate email (any case) with 409 and writes nothing', async () => {
    const v = await signupAndLogin(cloud);
    const before = await dump(cloud.db);
    const dup = await cloud.call('POST', '/accounts/signup', { email: v.email.toUpperCase(), password: 'another-password' });
    expect(dup.status).to.equal(409);
    expect(dup.body.errorType).to.equal('error-email-taken');
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('rejects bad input with a clear 4xx and changes nothing', async () => {
    await signupAndLogin(cloud);
    const before = await dump(cloud.db);
    const cases: Array<[string, unknown, number]> = [
      ['/accounts/login', { email: { $gt: '' }, password: { $gt: '' } }, 400],
      ['/accounts/login', { email: 'a@b.test', password: 'x', admin: true }, 400],
      ['/accounts/signup', { email: 'not-an-email', password: 'long-enough-pw' }, 400],
      ['/accounts/signup', { email: 'short@example.test', password: 'short' }, 400],
      ['/accounts/signup', { email: 'x@example.test', password: 'long-enough-pw', role: 'vendor-admin' }, 400],
      ['/accounts/signup', { email: 'big@example.test', password: 'p'.repeat(4 * 1024 * 1024) }, 413],
    ];
    for (const [path, body, status] of cases) {
      const res = await cloud.call('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).to.equal(status);
      expect(res.body.success).to.equal(false);
      expect(res.body.errorType).to.be.a('string');
    }
    const unknownField = await cloud.call('POST', '/accounts/login', { email: 'a@b.test', password: 'x', admin: true });
    expect(unknownField.body.error).to.include('admin');
    const notJson = await cloud.call('POST', '/accounts/login', '{"email":', { 'content-type': 'application/json' });
    expect(notJson.status).to.equal(400);
    expect(await dump(cloud.db)).to.deep.equal(before);
  });

  it('refuses console calls without a valid bearer token', async () => {
    for (const headers of [{}, bearer('nope'), bearer(`ocv_${'A'.repeat(43)}`), { authorization: 'Basic Zm9vOmJhcg==' }]) {
      const res = await cloud.call('GET', '/console/workspaces', undefined, headers);
      expect(res.status).to.equal(401);
      expect(res.body.errorType).to.equal('error-unauthorized');
    }
  });
});
