import { readFileSync } from 'node:fs';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { applicationDefault, cert, deleteApp, initializeApp, type App, type Credential } from 'firebase-admin/app';
import { getMessaging, type MulticastMessage, type Messaging } from 'firebase-admin/messaging';
import type { FcmConfig } from '../config/config.js';
import { newId } from '../ids.js';
import type { PushMessage, PushOutcome, PushTransport } from '../domains/push/index.js';

/** What firebase-admin needs: a project, a credential, and the agent that carries its HTTPS requests. */
export interface FcmSettings {
  projectId?: string;
  credential: Credential;
  httpAgent: Agent;
}

/**
 * An https agent whose every connection goes to `127.0.0.1:port`, verifying TLS against `ca`
 * for the host name the client asked for (fcm.googleapis.com). firebase-admin 13 has no FCM
 * endpoint override, so this is how development and tests point it at a loopback stand-in.
 */
export function loopbackHttpsAgent(port: number, ca: string, options: AgentOptions = {}): Agent {
  class LoopbackAgent extends Agent {
    override createConnection(opts: RequestOptions): Duplex {
      const { path: _path, socketPath: _socketPath, ...o } = opts as ConnectionOptions & { host?: string | null; path?: string; socketPath?: string };
      return tlsConnect({ ...o, host: '127.0.0.1', port, ca, servername: o.servername || o.host || 'fcm.googleapis.com' });
    }
  }
  return new LoopbackAgent({ keepAlive: true, ...options });
}

/** FCM settings from the configuration; undefined when push is disabled. */
export function fcmSettingsFromConfig(c: FcmConfig): FcmSettings | undefined {
  if (c.mode === 'disabled') return undefined;
  if (c.mode === 'standin') {
    const port = Number(new URL(c.url).port);
    const token = c.accessToken;
    return {
      projectId: c.projectId,
      credential: { getAccessToken: async () => ({ access_token: token, expires_in: 3600 }) },
      httpAgent: loopbackHttpsAgent(port, readFileSync(c.caFile, 'utf8'), { maxSockets: c.maxSockets }),
    };
  }
  const httpAgent = new Agent({ keepAlive: true, maxSockets: c.maxSockets });
  const credential = c.serviceAccountFile ? cert(c.serviceAccountFile, httpAgent) : applicationDefault(httpAgent);
  return { ...(c.projectId ? { projectId: c.projectId } : {}), credential, httpAgent };
}

/** Our push message → firebase-admin's multicast message (Android, APNs and web options included). */
export function toMulticast(tokens: string[], m: PushMessage): MulticastMessage {
  const o = m.options ?? {};
  const hasNotification = !!m.notification;
  return {
    tokens,
    ...(m.notification ? { notification: { ...m.notification } } : {}),
    ...(m.data ? { data: { ...m.data } } : {}),
    android: {
      priority: o.priority === 'normal' ? 'normal' : 'high',
      ...(o.ttlSeconds !== undefined ? { ttl: o.ttlSeconds * 1000 } : {}),
      ...(o.collapseKey ? { collapseKey: o.collapseKey } : {}),
    },
    apns: {
      headers: {
        'apns-priority': o.priority === 'normal' || !hasNotification ? '5' : '10',
        ...(o.collapseKey ? { 'apns-collapse-id': o.collapseKey } : {}),
      },
      // a data-only (id-only) push wakes the app so it can fetch the message itself
      ...(!hasNotification ? { payload: { aps: { contentAvailable: true } } } : {}),
    },
  };
}

/**
 * The push transport over firebase-admin. It uses the library's HTTP/1.1 transport
 * (`enableLegacyHttpTransport`), because that is the one that honours the app's `httpAgent`
 * (connection limits, proxies, and the loopback stand-in in tests); the HTTP/2 transport opens
 * its own session straight to fcm.googleapis.com.
 */
export class FirebasePushTransport implements PushTransport {
  private readonly app: App;
  private readonly messaging: Messaging;

  constructor(private readonly settings: FcmSettings) {
    this.app = initializeApp(
      { credential: settings.credential, httpAgent: settings.httpAgent, ...(settings.projectId ? { projectId: settings.projectId } : {}) },
      `obmeet-cloud-${newId(8)}`,
    );
    this.messaging = getMessaging(this.app);
    this.messaging.enableLegacyHttpTransport();
  }

  async send(tokens: string[], message: PushMessage): Promise<PushOutcome[]> {
    const res = await this.messaging.sendEachForMulticast(toMulticast(tokens, message));
    return res.responses.map((r) => (r.success ? { ok: true } : { ok: false, code: r.error?.code ?? 'messaging/unknown-error' }));
  }

  async close(): Promise<void> {
    await deleteApp(this.app);
    this.settings.httpAgent.destroy();
  }
}
