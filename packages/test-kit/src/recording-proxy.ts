import { createServer, type IncomingMessage, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** One request as received at the far side, byte for byte. */
export interface ReceivedRequest {
  method: string;
  /** path + query */
  path: string;
  authorization?: string;
  /** the exact body text received ('' when none) */
  body: string;
  status?: number;
}

export interface RecordingProxy {
  url: string;
  received: ReceivedRequest[];
  /** TCP connections accepted */
  connections(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/**
 * An HTTP proxy on loopback in front of `target` (e.g. the real vendor cloud): records every
 * request (method, path, Authorization, exact body) and the answer's status, and counts TCP
 * connections at the socket level. Point the workspace's CLOUD_URL at `url`.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const received: ReceivedRequest[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const rec: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body: body.toString('utf8'),
      };
      received.push(rec);
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'authorization', 'accept']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const answer = await fetch(target + (req.url ?? ''), { method: req.method, headers, body: body.length ? body : undefined });
      rec.status = answer.status;
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  server.on('connection', () => void connections++);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export interface ConnectionCounter {
  url: string;
  /** TCP connections accepted (each is closed at once) */
  connections(): number;
  close(): Promise<void>;
}

/** A vendor stand-in for "nothing may connect" tests: a raw TCP listener on loopback that counts and drops every connection. */
export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
