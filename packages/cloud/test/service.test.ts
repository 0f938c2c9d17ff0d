import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort, installLoopbackGuard, repoRoot, startFcmStandin, testDatabase, waitForPort, type LoopbackGuard } from '@obmeet/test-kit';
import { Agent } from 'node:https';
import { FirebasePushTransport } from '../src/fcm/firebase.js';
import { fakeFcmToken, registerWorkspace, signupAndLogin, startCloudWithStandin, startTestCloud, type TestCloud } from './helpers.js';

describe('cloud: service, health and metrics', function () {
  this.timeout(60_000);
  let cloud: TestCloud;
  let guard: LoopbackGuard;
  before(async () => {
    guard = installLoopbackGuard();
    cloud = await startTestCloud({}, { fcm: null });
  });
  after(async () => {
    await cloud?.close();
    guard.uninstall();
    expect(guard.violations, 'non-loopback connections').to.deep.equal([]);
  });

  it('the loopback guard is real: without the stand-in agent, firebase-admin would dial fcm.googleapis.com, and is refused', async () => {
    const fcm = await startFcmStandin();
    const inner = installLoopbackGuard();
    const transport = new FirebasePushTransport({ projectId: fcm.projectId, credential: fcm.credential(), httpAgent: new Agent() });
    try {
      const out = await transport.send([fakeFcmToken()], { data: { messageId: 'x' } });
      expect(out).to.deep.equal([{ ok: false, code: 'app/network-error' }]);
      expect(inner.violations).to.deep.equal(['fcm.googleapis.com:443']);
      expect(fcm.requests).to.have.length(0);
    } finally {
      inner.uninstall();
      await transport.close();
      await fcm.close();
    }
  });

  it('answers /health and /ready', async () => {
    const h = await fetch(`${cloud.url}/health`);
    expect(h.status).to.equal(200);
    expect(await h.json()).to.deep.equal({ status: 'ok' });
    const r = await fetch(`${cloud.url}/ready`);
    expect(r.status).to.equal(200);
    expect(await r.json()).to.deep.equal({ status: 'ready' });
  });

  it('exposes Prometheus metrics, with push counts and no workspace ids or tokens', async () => {
    const { cloud: c, fcm } = await startCloudWithStandin();
    try {
      const v = await signupAndLogin(c);
      const w = await registerWorkspace(c, v);
      const gone = fakeFcmToken('gone');
      fcm.answer(gone, 'unregistered');
      await c.call('POST', '/push/send', { tokens: [fakeFcmToken(), gone], data: { messageId: 'x' } }, w.headers);
      const res = await fetch(`${c.url}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/text\/plain/);
      const text = await res.text();
      expect(text).to.match(/obmeet_cloud_push_messages_total\{result="delivered"\} 1/);
      expect(text).to.match(/obmeet_cloud_push_messages_total\{result="rejected"\} 1/);
      expect(text).to.match(/obmeet_cloud_registrations_total\{event="redeemed"\} 1/);
      expect(text).to.match(/obmeet_cloud_http_requests_total/);
      expect(text).not.to.include(w.workspaceId);
      expect(text).not.to.include(gone);
    } finally {
      await c.close();
      await fcm.close();
    }
  });

  it('answers unknown endpoints and methods with the one error shape', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/push/usage'], ['GET', '/push/send']]) {
      const res = await cloud.call(method!, path!);
      expect(res.status, `${method} ${path}`).to.be.oneOf([401, 404]);
      expect(res.body.success).to.equal(false);
      expect(res.body.errorType).to.be.a('string');
    }
    const outside = await fetch(`${cloud.url}/elsewhere`);
    expect(outside.status).to.equal(404);
    expect(((await outside.json()) as { errorType: string }).errorType).to.equal('error-not-found');
  });

  it('starts as its own process with `node packages/cloud/dist/src/main.js`, and refuses a bad configuration', async () => {
    const db = await testDatabase();
    const port = await freePort();
    const child = spawn(process.execPath, [join(repoRoot, 'packages/cloud/dist/src/main.js')], {
      env: { PATH: process.env.PATH, CLOUD_PORT: String(port), CLOUD_HOST: '127.0.0.1', CLOUD_MONGO_URL: db.uniqueUrl('cloud'), CLOUD_LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    try {
      await waitForPort(port, 20_000);
      let ready = 0;
      for (let i = 0; i < 50 && ready !== 200; i++) {
        ready = (await fetch(`http://127.0.0.1:${port}/ready`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).to.equal(200);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const bad = spawn(process.execPath, [join(repoRoot, 'packages/cloud/dist/src/main.js')], {
      env: { PATH: process.env.PATH, CLOUD_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bad.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => bad.once('exit', (c) => r(c)));
    expect(code).to.equal(1);
    expect(stderr).to.match(/Invalid configuration: CLOUD_MONGO_URL/);
  });
});
