import { randomBytes } from 'node:crypto';
import { ApiClient, startRecordingProxy, testDatabase, type ReceivedRequest, type TestUser } from '@obmeet/test-kit';
import { createLogger as createCloudLogger, loadConfig as loadCloudConfig, startCloud, type CloudOptions, type RunningCloud } from '@obmeet/cloud';

export type { ReceivedRequest };

/**
 * The real vendor cloud (`packages/cloud`) on a loopback port, behind a recording proxy that is
 * what the workspace's CLOUD_URL points at: it records every request body byte for byte and counts
 * TCP connections at the socket level.
 */
export interface TestCloudLink {
  /** the proxy's URL: use as CLOUD_URL */
  url: string;
  cloud: RunningCloud;
  received: ReceivedRequest[];
  /** TCP connections accepted by the proxy */
  connections(): number;
  /** a fresh single-use registration token from a new vendor account */
  registrationToken(): Promise<string>;
  /** calls to the real cloud directly (not recorded), e.g. the vendor console */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): ReturnType<ApiClient['request']>;
  close(): Promise<void>;
}

/** `options`: e.g. `{ fcm: { projectId, credential, httpAgent } }` from test-kit's startFcmStandin() for a working push gateway (default: push disabled). */
export async function startCloudLink(options: CloudOptions = { fcm: null }, env: Record<string, string> = {}): Promise<TestCloudLink> {
  const db = await testDatabase();
  const config = loadCloudConfig({
    CLOUD_PORT: '0',
    CLOUD_HOST: '127.0.0.1',
    CLOUD_LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
    CLOUD_MONGO_URL: db.uniqueUrl('cloud'),
  });
  const cloud = await startCloud(config, createCloudLogger(config.logLevel), options);
  const proxy = await startRecordingProxy(cloud.url);
  const direct = new ApiClient(cloud.url);
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => direct.request(method, `/api/v1${path}`, body, headers);

  return {
    url: proxy.url,
    cloud,
    received: proxy.received,
    connections: proxy.connections,
    call,
    async registrationToken() {
      const email = `admin-${randomBytes(5).toString('hex')}@example.test`;
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const s = await call('POST', '/accounts/signup', { email, password });
      if (s.status !== 201) throw new Error(`signup failed: ${s.status} ${JSON.stringify(s.body)}`);
      const l = await call('POST', '/accounts/login', { email, password });
      if (l.status !== 200) throw new Error(`login failed: ${JSON.stringify(l.body)}`);
      const t = await call('POST', '/console/registration-tokens', {}, { authorization: `Bearer ${l.body.token}` });
      if (t.status !== 201) throw new Error(`token failed: ${JSON.stringify(t.body)}`);
      return t.body.token as string;
    },
    async close() {
      await proxy.close();
      await cloud.close();
    },
  };
}

/** Registers the workspace through its admin REST API (`cloud.register`) with a fresh token; returns the workspace id. */
export async function registerWorkspace(admin: TestUser, link: TestCloudLink): Promise<string> {
  const token = await link.registrationToken();
  const res = await admin.api.post('cloud.register', { token });
  if (res.status !== 200) throw new Error(`cloud.register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.registration.workspaceId as string;
}
