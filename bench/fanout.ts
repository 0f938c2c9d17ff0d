/**
 * bench/fanout: realtime delivery of room messages to 100 and 1,000 connected members.
 *
 * One sender posts messages over REST (`POST /api/v1/chat.sendMessage`) at a fixed rate; every
 * member is a socket.io client (websocket transport) that records when `message.created` arrives.
 * The same schedule is then replayed against a bare socket.io server (node http + socket.io, one
 * room, an HTTP call that broadcasts a payload of the same size): the ceiling.
 *
 * The servers (OBMeet and bare) and the sender run in this process; the clients run in
 * BENCH_CLIENT_PROCS child processes (default 2; 0 = in this process).
 *
 * Env: BENCH_MEMBERS (default "100,1000"), BENCH_RATE (msg/s, default 10), BENCH_SECONDS
 * (default 10), BENCH_CLIENT_PROCS (default 2), BENCH_PROFILE=1 (time every database call of the
 * OBMeet server and print where the send path and the connection phase spend their time).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Server as IoServer } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { actorOf, type Actor } from '@obmeet/server';
import { registerUser, testDatabase } from '@obmeet/test-kit';
import { loadavg } from 'node:os';
import { envInt, fmt, startBenchServer, summarize, table } from './common.js';
import { instrumentStores } from './profile.js';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface ClientUser {
  _id: string;
  token: string;
}

// ---- client side (in a child process or in this one) ----------------------------------------

interface CollectResult {
  receipts: [string, number[]][];
  /** all events of any name received, while recording */
  events: number;
  /** CPU time used by the clients' process while recording, ms (user+system) */
  cpuMs: number;
  wallMs: number;
}

class Clients {
  private sockets: Socket[] = [];
  private receipts = new Map<string, number[]>();
  private events = 0;
  private count = 0;
  private cpu0 = process.cpuUsage();
  private wall0 = now();

  async connect(url: string, users: ClientUser[], concurrency = 25): Promise<void> {
    let next = 0;
    const one = async (u: ClientUser) => {
      const socket = ioClient(url, { auth: { userId: u._id, token: u.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('connect_error', (err) => fail(err));
      });
      socket.onAny(() => {
        this.events++;
      });
      socket.on('message.created', (m: { _id: string }) => {
        const t = now();
        let list = this.receipts.get(m._id);
        if (!list) this.receipts.set(m._id, (list = []));
        list.push(t);
        this.count++;
      });
      this.sockets.push(socket);
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < users.length) await one(users[next++]!);
      }),
    );
  }
  reset(): void {
    this.receipts.clear();
    this.events = 0;
    this.count = 0;
    this.cpu0 = process.cpuUsage();
    this.wall0 = now();
  }
  received(): number {
    return this.count;
  }
  collect(): CollectResult {
    const cpu = process.cpuUsage(this.cpu0);
    return { receipts: [...this.receipts], events: this.events, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: now() - this.wall0 };
  }
  async disconnect(): Promise<void> {
    for (const s of this.sockets) s.disconnect();
    this.sockets = [];
    await sleep(300);
  }
}

type ToChild =
  | { id: number; op: 'connect'; url: string; users: ClientUser[] }
  | { id: number; op: 'reset' | 'received' | 'collect' | 'disconnect' };

function childMain(): void {
  const clients = new Clients();
  process.on('message', (m: ToChild) => {
    const reply = (result: unknown) => process.send!({ id: m.id, result });
    const fail = (err: unknown) => process.send!({ id: m.id, error: String(err) });
    switch (m.op) {
      case 'connect':
        clients.connect(m.url, m.users).then(() => reply(null), fail);
        break;
      case 'reset':
        reply(clients.reset());
        break;
      case 'received':
        reply(clients.received());
        break;
      case 'collect':
        reply(clients.collect());
        break;
      case 'disconnect':
        clients.disconnect().then(() => reply(null), fail);
        break;
    }
  });
  process.send!({ id: 0, result: 'ready' });
}

/** The same Clients API, run in a child process. */
class ChildClients {
  private seq = 0;
  private pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.fail(new Error(m.error));
      else p.ok(m.result);
    });
  }
  static async start(): Promise<ChildClients> {
    const child = fork(fileURLToPath(import.meta.url), ['client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const c = new ChildClients(child);
    await new Promise<void>((ok) => c.pending.set(0, { ok: () => ok(), fail: () => undefined }));
    return c;
  }
  private call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.child.send({ ...msg, id });
    });
  }
  connect(url: string, users: ClientUser[]) {
    return this.call<void>({ op: 'connect', url, users });
  }
  reset() {
    return this.call<void>({ op: 'reset' });
  }
  received() {
    return this.call<number>({ op: 'received' });
  }
  collect() {
    return this.call<CollectResult>({ op: 'collect' });
  }
  disconnect() {
    return this.call<void>({ op: 'disconnect' });
  }
  stop() {
    this.child.kill();
  }
}

interface ClientGroup {
  connect(url: string, users: ClientUser[]): Promise<void>;
  reset(): void | Promise<void>;
  received(): number | Promise<number>;
  collect(): CollectResult | Promise<CollectResult>;
  disconnect(): Promise<void>;
}

// ---- the run -------------------------------------------------------------------------------

interface Target {
  name: string;
  url: string;
  users: ClientUser[];
  /** posts message `i` with client id `id`; resolves when the server acknowledged it */
  send(id: string, i: number): Promise<void>;
  /** called when the server emitted message `id` to the room (OBMeet only: same process) */
  emitted?: Map<string, number>;
  profile?: ReturnType<typeof instrumentStores>;
}

interface Result {
  name: string;
  members: number;
  messages: number;
  expected: number;
  delivered: number;
  deliveriesPerSec: number;
  latency: ReturnType<typeof summarize>;
  allMembers: ReturnType<typeof summarize>;
  ack: ReturnType<typeof summarize>;
  toEmit?: ReturnType<typeof summarize>;
  fanout?: ReturnType<typeof summarize>;
  serverCpuPct: number;
  clientCpuPct: number;
  eventsPerMember: number;
}

const RATE = envInt('BENCH_RATE', 10);
const SECONDS = envInt('BENCH_SECONDS', 10);
const PROCS = process.env.BENCH_CLIENT_PROCS === '0' ? 0 : envInt('BENCH_CLIENT_PROCS', 2);
const MEMBERS = (process.env.BENCH_MEMBERS ?? '100,1000').split(',').map((s) => Number(s.trim()));

async function runOne(target: Target, groups: ClientGroup[], tag: string): Promise<Result> {
  const members = target.users.length;
  const t0 = now();
  const per = Math.ceil(members / groups.length);
  target.profile?.reset();
  await Promise.all(groups.map((g, i) => g.connect(target.url, target.users.slice(i * per, (i + 1) * per))));
  console.log(`  [${target.name}] ${members} clients connected in ${fmt((now() - t0) / 1000, 1)} s`);
  if (target.profile) console.log(target.profile.report(`  database calls while ${members} clients connected`, { label: 'client', count: members }));
  await sleep(1500); // let connection-time traffic (presence) settle

  // warm-up: a few messages, not measured
  for (let i = 0; i < 5; i++) await target.send(`${tag}w${i}`, -1 - i);
  await sleep(500);
  await Promise.all(groups.map((g) => g.reset()));
  target.profile?.reset();

  const count = RATE * SECONDS;
  const interval = 1000 / RATE;
  const sendAt = new Map<string, number>();
  const ackMs: number[] = [];
  const inflight: Promise<void>[] = [];
  const cpu0 = process.cpuUsage();
  const start = now() + 50;
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - now();
    if (wait > 0) await sleep(wait);
    const id = `${tag}m${String(i).padStart(5, '0')}`;
    const t = now();
    sendAt.set(id, t);
    inflight.push(target.send(id, i).then(() => void ackMs.push(now() - t)));
  }
  await Promise.all(inflight);
  const expected = count * members;
  const deadline = now() + 15_000;
  while (now() < deadline) {
    const got = (await Promise.all(groups.map((g) => g.received()))).reduce((a, b) => a + b, 0);
    if (got >= expected) break;
    await sleep(100);
  }
  const serverCpu = process.cpuUsage(cpu0);
  if (target.profile) console.log(target.profile.report(`  database calls during the ${count} sends into ${members} members`, { label: 'message', count }));
  const collected = await Promise.all(groups.map((g) => g.collect()));
  await Promise.all(groups.map((g) => g.disconnect()));

  const latencies: number[] = [];
  const lastPerMessage = new Map<string, number>();
  let lastReceipt = start;
  let events = 0;
  let clientCpuMs = 0;
  let clientWall = 0;
  for (const c of collected) {
    events += c.events;
    clientCpuMs += c.cpuMs;
    clientWall = Math.max(clientWall, c.wallMs);
    for (const [id, times] of c.receipts) {
      const sent = sendAt.get(id);
      if (sent === undefined) continue;
      for (const t of times) {
        latencies.push(t - sent);
        if (t > lastReceipt) lastReceipt = t;
        if (t > (lastPerMessage.get(id) ?? 0)) lastPerMessage.set(id, t);
      }
    }
  }
  const fanout: number[] = [];
  const toEmit: number[] = [];
  if (target.emitted) {
    for (const [id, last] of lastPerMessage) {
      const e = target.emitted.get(id);
      if (e !== undefined) {
        fanout.push(last - e);
        toEmit.push(e - sendAt.get(id)!);
      }
    }
  }
  if (target.profile && target.emitted) {
    const slow = [...sendAt].map(([id, t]) => ({ i: Number(id.slice(id.lastIndexOf('m') + 1)), ms: (target.emitted!.get(id) ?? NaN) - t, at: t - start }));
    slow.sort((a, b) => b.ms - a.ms);
    console.log(`  slowest send→emit: ${slow.slice(0, 5).map((x) => `#${x.i} (sent at +${Math.round(x.at)} ms): ${fmt(x.ms, 0)} ms`).join(', ')}`);
  }
  const serverWall = lastReceipt - start + 50;
  return {
    name: target.name,
    members,
    messages: count,
    expected,
    delivered: latencies.length,
    deliveriesPerSec: latencies.length / ((lastReceipt - start) / 1000),
    latency: summarize(latencies),
    allMembers: summarize([...lastPerMessage].map(([id, t]) => t - sendAt.get(id)!)),
    ack: summarize(ackMs),
    ...(fanout.length ? { fanout: summarize(fanout), toEmit: summarize(toEmit) } : {}),
    serverCpuPct: ((serverCpu.user + serverCpu.system) / 1000 / serverWall) * 100,
    clientCpuPct: (clientCpuMs / clientWall) * 100,
    eventsPerMember: events / members / count,
  };
}

/** The ceiling: node http + socket.io, every client in one room, POST /send broadcasts the body. */
async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const http: HttpServer = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/send') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      io.to('room').emit('message.created', payload);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
  });
  const io = new IoServer(http, { maxHttpBufferSize: 256 * 1024, pingInterval: 20_000, pingTimeout: 20_000 });
  io.on('connection', (socket) => void socket.join('room'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      io.disconnectSockets(true);
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}

function pad(i: number, len: number): string {
  const base = `fanout benchmark message number ${i} `;
  return base.padEnd(len, 'x');
}

async function main(): Promise<void> {
  console.log(`load average at start (other processes share this machine): ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    `bench/fanout: ${RATE} msg/s for ${SECONDS} s into one room of ${MEMBERS.join(' / ')} connected members; ` +
      `clients ${PROCS ? `in ${PROCS} child processes` : 'in this process'}; ${cpus().length} CPUs`,
  );
  const maxMembers = Math.max(...MEMBERS);
  const server = await startBenchServer();
  const ws = server.workspace;
  const profile = process.env.BENCH_PROFILE === '1' ? instrumentStores(ws) : undefined;
  const emitted = new Map<string, number>();
  ws.events.on('message.created', ({ message }) => void emitted.set(message._id, now()));
  const bare = await startBare();
  const groups: ClientGroup[] = PROCS ? await Promise.all(Array.from({ length: PROCS }, () => ChildClients.start())) : [new Clients()];
  try {
    // users: an admin (the sender) over HTTP, the members through the accounts service
    const admin = await registerUser(server.url, { username: 'fanoutadmin' });
    const adminActor: Actor = actorOf(await ws.accounts.requireUser(admin._id));
    // Member 0 goes through the accounts service (argon2id hash, uniqueness checks); the others
    // are the same user document with another name, inserted in bulk (FerretDB v1 scans the users
    // collection for each uniqueness check, so a thousand service registrations take minutes).
    const t0 = now();
    const first = await ws.accounts.createUserAsAdmin(adminActor, { username: 'member0000', email: 'member0000@bench.test', password: 'pw-member-secret', name: 'Member 0' });
    const docs = [first];
    for (let i = 1; i < maxMembers; i++) {
      const username = `member${String(i).padStart(4, '0')}`;
      docs.push({ ...first, _id: `${first._id.slice(0, 9)}${String(i).padStart(8, '0')}`, username, usernameKey: username, email: `${username}@bench.test`, emailKey: `${username}@bench.test`, name: `Member ${i}` });
    }
    if (docs.length > 1) await ws.db.collection<(typeof docs)[number]>('users').insertMany(docs.slice(1));
    const users: (ClientUser & { username: string })[] = [];
    for (const u of docs) users.push({ _id: u._id, token: (await ws.accounts.createLoginSession(u)).token, username: u.username });
    console.log(`created ${maxMembers} users with login sessions in ${fmt((now() - t0) / 1000, 1)} s`);

    const results: Result[] = [];
    const msgLen = 120;
    for (const n of MEMBERS) {
      const t1 = now();
      const members = users.slice(0, n);
      const room = await ws.rooms.createRoom(adminActor, 'c', { name: `fanout-${n}`, members: members.map((u) => u.username), readOnly: false });
      console.log(`room fanout-${n}: ${n} members + the sender, created in ${fmt((now() - t1) / 1000, 1)} s`);

      let template: Record<string, unknown> | undefined;
      const obmeet: Target = {
        name: 'OBMeet',
        url: server.url,
        users: members,
        emitted,
        profile,
        send: async (id, i) => {
          const res = await admin.api.post('chat.sendMessage', { message: { _id: id, rid: room._id, msg: pad(i, msgLen) } });
          if (res.status !== 200) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
          template ??= res.body.message as Record<string, unknown>;
        },
      };
      results.push(await runOne(obmeet, groups, `o${n}`));

      // the same message.created payload (same fields and sizes) through the bare server
      const tpl = template!;
      const bareTarget: Target = {
        name: 'bare socket.io',
        url: bare.url,
        users: members,
        send: async (id, i) => {
          const body = JSON.stringify({ ...tpl, _id: id, msg: pad(i, msgLen) });
          const res = await fetch(`${bare.url}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await res.text();
          if (res.status !== 200) throw new Error(`bare send failed: ${res.status}`);
        },
      };
      results.push(await runOne(bareTarget, groups, `b${n}`));
      console.log(`  payload: ${Buffer.byteLength(JSON.stringify({ ...tpl, msg: pad(1, msgLen) }))} bytes of JSON per message.created`);
    }

    console.log(`\ndelivery of message.created, send (REST call start) → receipt at each member, ms`);
    console.log(
      table(
        ['server', 'members', 'msgs', 'delivered', 'deliv/s', 'p50', 'p99', 'max', 'all-members p99', 'ack p50', 'ack p99', 'send→emit p50', 'send→emit p99', 'emit→last p99', 'events/member/msg', 'server cpu', 'clients cpu'],
        results.map((r) => [
          r.name,
          r.members,
          r.messages,
          `${r.delivered}/${r.expected}`,
          Math.round(r.deliveriesPerSec),
          fmt(r.latency.p50, 1),
          fmt(r.latency.p99, 1),
          fmt(r.latency.max, 1),
          fmt(r.allMembers.p99, 1),
          fmt(r.ack.p50, 1),
          fmt(r.ack.p99, 1),
          r.toEmit ? fmt(r.toEmit.p50, 1) : '-',
          r.toEmit ? fmt(r.toEmit.p99, 1) : '-',
          r.fanout ? fmt(r.fanout.p99, 1) : '-',
          fmt(r.eventsPerMember, 2),
          `${Math.round(r.serverCpuPct)}%`,
          `${Math.round(r.clientCpuPct)}%`,
        ]),
      ),
    );
    console.log(`\nOBMeet / bare socket.io (targets: deliveries/s ≥ 0.8; p99 ≤ 100 ms at ${RATE} msg/s into 1,000 members)`);
    const ratioRows: (string | number)[][] = [];
    for (const n of MEMBERS) {
      const o = results.find((r) => r.name === 'OBMeet' && r.members === n)!;
      const b = results.find((r) => r.name !== 'OBMeet' && r.members === n)!;
      ratioRows.push([
        n,
        fmt(o.deliveriesPerSec / b.deliveriesPerSec),
        fmt(o.latency.p99, 1),
        fmt(b.latency.p99, 1),
        fmt(o.latency.p99 / b.latency.p99),
        `${o.latency.p99 <= 100 ? 'yes' : 'NO'}`,
      ]);
    }
    console.log(table(['members', 'deliv/s ratio', 'OBMeet p99', 'bare p99', 'p99 ratio', 'p99 ≤ 100 ms'], ratioRows));
    console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(
      '\n(ack = REST send acknowledged; send→emit = REST call start → server emitted message.created (auth + storage); ' +
        'emit→last = emitted → last member received it; ' +
        'events/member/msg = socket events of any kind per member per message; cpu = % of one core)',
    );
  } finally {
    for (const g of groups) if (g instanceof ChildClients) g.stop();
    await bare.close();
    await server.close();
    await (await testDatabase()).stop();
  }
}

if (process.argv[2] === 'client') {
  childMain();
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
