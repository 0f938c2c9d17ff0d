import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

/**
 * A stand-in for the FCM HTTP v1 API on loopback, for tests that drive the real firebase-admin
 * client. firebase-admin 13 always calls `https://fcm.googleapis.com/v1/projects/<p>/messages:send`
 * (one POST per token for sendEach/sendEachForMulticast; no host override exists), so the
 * stand-in serves HTTPS with a throw-away certificate for `fcm.googleapis.com` (generated with
 * `openssl` at test time), and `httpAgent()` returns an agent whose connections all go to the
 * stand-in's loopback port and trust only that certificate. Used with firebase-admin's legacy
 * HTTP/1.1 transport, which is the transport that honours the app's `httpAgent`.
 */

export const FCM_HOST = 'fcm.googleapis.com';

export type FcmOutcome = 'success' | 'unregistered' | 'invalid-argument' | 'unavailable' | 'internal' | 'quota-exceeded';

export interface FcmRequest {
  at: Date;
  method: string;
  path: string;
  /** the Host header the client sent (the real FCM host name) */
  host?: string;
  authorization?: string;
  headers: Record<string, string | string[] | undefined>;
  /** the parsed JSON body: `{ message: { token, notification?, data?, android?, apns? }, validate_only? }` */
  body: any;
  rawBody: string;
  token?: string;
  status: number;
  outcome: FcmOutcome | 'bad-request' | 'unauthenticated' | 'not-found';
}

export interface FcmStandinOptions {
  projectId?: string;
  /** the bearer token the stand-in accepts (the test credential returns it) */
  accessToken?: string;
  /**
   * a `Retry-After` (seconds) to send with UNAVAILABLE; default none. firebase-admin retries a 503
   * itself (4 times, after 0, 1, 2, 4 s) and waits Retry-After instead when it is above 0.
   */
  retryAfterSeconds?: number;
}

export interface FcmStandin {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly projectId: string;
  readonly accessToken: string;
  /** PEM of the stand-in's self-signed certificate (the only one its agent trusts) */
  readonly ca: string;
  /** every request received, in order */
  readonly requests: FcmRequest[];
  /** every request for one token */
  requestsFor(token: string): FcmRequest[];
  /** queue answers for a token; once the queue is used up the token gets the default answer */
  answer(token: string, ...outcomes: FcmOutcome[]): void;
  /** answer this token the same way forever */
  answerAlways(token: string, outcome: FcmOutcome): void;
  /** the answer for tokens without a queue (default `success`) */
  setDefault(outcome: FcmOutcome): void;
  /** forget recorded requests and queued answers */
  reset(): void;
  /** a credential for `initializeApp`: returns the fixed access token, never calls Google */
  credential(): { getAccessToken(): Promise<{ access_token: string; expires_in: number }> };
  /** an https agent that connects every request to the stand-in on loopback */
  httpAgent(options?: AgentOptions): Agent;
  close(): Promise<void>;
}

let certPromise: { key: string; cert: string } | undefined;

/** A self-signed certificate for fcm.googleapis.com and 127.0.0.1, made once per test process. */
export function standinCertificate(): { key: string; cert: string } {
  if (certPromise) return certPromise;
  const dir = mkdtempSync(join(tmpdir(), 'obmeet-fcm-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
        '-subj', `/CN=${FCM_HOST}`, '-addext', `subjectAltName=DNS:${FCM_HOST},IP:127.0.0.1`,
      ],
      { stdio: 'ignore' },
    );
    certPromise = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return certPromise;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An https agent that sends every connection to `127.0.0.1:port`, verifying TLS against `ca` for the requested host name. */
export function loopbackHttpsAgent(port: number, ca: string, options: AgentOptions = {}): Agent {
  class LoopbackAgent extends Agent {
    // the agent calls its callback itself with the returned socket
    override createConnection(opts: RequestOptions): Duplex {
      const { path: _path, socketPath: _socketPath, ...o } = opts as ConnectionOptions & { host?: string | null; path?: string; socketPath?: string };
      const servername = o.servername || o.host || FCM_HOST;
      return tlsConnect({ ...o, host: '127.0.0.1', port, ca, servername });
    }
  }
  return new LoopbackAgent({ keepAlive: true, maxSockets: 50, ...options });
}

const STATUS: Record<Exclude<FcmOutcome, 'success'>, { http: number; status: string; errorCode: string }> = {
  unregistered: { http: 404, status: 'NOT_FOUND', errorCode: 'UNREGISTERED' },
  'invalid-argument': { http: 400, status: 'INVALID_ARGUMENT', errorCode: 'INVALID_ARGUMENT' },
  unavailable: { http: 503, status: 'UNAVAILABLE', errorCode: 'UNAVAILABLE' },
  internal: { http: 500, status: 'INTERNAL', errorCode: 'INTERNAL' },
  'quota-exceeded': { http: 429, status: 'RESOURCE_EXHAUSTED', errorCode: 'QUOTA_EXCEEDED' },
};

export async function startFcmStandin(options: FcmStandinOptions = {}): Promise<FcmStandin> {
  const projectId = options.projectId ?? 'obmeet-test';
  const accessToken = options.accessToken ?? 'standin-access-token';
  const retryAfter = options.retryAfterSeconds;
  const { key, cert } = standinCertificate();
  const requests: FcmRequest[] = [];
  const queues = new Map<string, FcmOutcome[]>();
  const always = new Map<string, FcmOutcome>();
  let fallback: FcmOutcome = 'success';
  let messageSeq = 0;
  const agents: Agent[] = [];

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const errorBody = (code: number, status: string, message: string, errorCode?: string) => ({
    error: {
      code,
      message,
      status,
      ...(errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } : {}),
    },
  });

  const handle = (req: IncomingMessage, res: ServerResponse, rawBody: string) => {
    const record: FcmRequest = {
      at: new Date(),
      method: req.method ?? '',
      path: req.url ?? '',
      host: req.headers.host,
      authorization: req.headers.authorization,
      headers: { ...req.headers },
      body: undefined,
      rawBody,
      status: 0,
      outcome: 'bad-request',
    };
    requests.push(record);
    const done = (status: number, outcome: FcmRequest['outcome'], body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      record.outcome = outcome;
      reply(res, status, body, headers);
    };
    if (req.method !== 'POST' || req.url !== `/v1/projects/${projectId}/messages:send`) {
      return done(404, 'not-found', errorBody(404, 'NOT_FOUND', 'Requested entity was not found.'));
    }
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return done(401, 'unauthenticated', errorBody(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    }
    try {
      record.body = JSON.parse(rawBody);
    } catch {
      return done(400, 'bad-request', errorBody(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
    }
    const token = record.body?.message?.token;
    if (typeof token !== 'string' || !token) {
      return done(400, 'bad-request', errorBody(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', 'INVALID_ARGUMENT'));
    }
    record.token = token;
    const queue = queues.get(token);
    const outcome: FcmOutcome = queue && queue.length ? queue.shift()! : (always.get(token) ?? fallback);
    if (outcome === 'success') {
      return done(200, 'success', { name: `projects/${projectId}/messages/${++messageSeq}` });
    }
    const s = STATUS[outcome];
    const message =
      outcome === 'invalid-argument' ? 'The registration token is not a valid FCM registration token' : `Stand-in answer: ${s.status}`;
    done(s.http, outcome, errorBody(s.http, s.status, message, s.errorCode), outcome === 'unavailable' && retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;

  return {
    host: '127.0.0.1',
    port,
    projectId,
    accessToken,
    ca: cert,
    requests,
    requestsFor: (token) => requests.filter((r) => r.token === token),
    answer: (token, ...outcomes) => {
      queues.set(token, [...(queues.get(token) ?? []), ...outcomes]);
    },
    answerAlways: (token, outcome) => {
      always.set(token, outcome);
    },
    setDefault: (outcome) => {
      fallback = outcome;
    },
    reset: () => {
      requests.length = 0;
      queues.clear();
      always.clear();
      fallback = 'success';
    },
    credential: () => ({ getAccessToken: async () => ({ access_token: accessToken, expires_in: 3600 }) }),
    httpAgent: (opts) => {
      const a = loopbackHttpsAgent(port, cert, opts);
      agents.push(a);
      return a;
    },
    close: async () => {
      for (const a of agents) a.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
