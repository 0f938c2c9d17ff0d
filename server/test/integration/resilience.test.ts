import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Socket } from 'socket.io-client';
import { ApiClient, collectEvents, connectSocket, loginUser, nextEvent, registerUser, sleep, testDatabase, type TestUser } from '@obmeet/test-kit';
import { createChannel, send, startTestServer, type TestServer } from '../helpers.js';
import { canConnect, groupAlive, metric, serverMain, spawnTracked, startServerProcess, waitForExit, type ServerProcess } from './processes.js';

function newId(): string {
  return randomBytes(12).toString('hex').slice(0, 17);
}

const on = (url: string, user: TestUser): TestUser => ({ ...user, api: new ApiClient(url).withAuth(user._id, user.token) });

/** Every main-stream message of a room, oldest first, paging back through history. */
async function allMessages(user: TestUser, rid: string): Promise<{ _id: string; msg: string; seq: number }[]> {
  const out: { _id: string; msg: string; seq: number }[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await user.api.get('groups.history', { roomId: rid, count: 200, before });
    expect(page.status, JSON.stringify(page.body)).to.equal(200);
    out.push(...page.body.messages);
    if (page.body.before === null) break;
    before = page.body.before;
  }
  return out.reverse();
}

describe('resilience', function () {
  this.timeout(60_000);
  const procs: ServerProcess[] = [];
  const sockets: Socket[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await Promise.all(procs.splice(0).map((p) => p.kill()));
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('loses no acknowledged message when the server is killed mid-conversation', async () => {
    const mongoUrl = (await testDatabase()).uniqueUrl('crash');
    const first = await startServerProcess({ MONGO_URL: mongoUrl });
    procs.push(first);
    await registerUser(first.url); // admin
    const alice = await registerUser(first.url);
    // four rooms, one send in flight in each (concurrent sends into one room are covered in realtime.test.ts)
    const roomIds = await Promise.all(Array.from({ length: 4 }, async () => (await createChannel(alice, { type: 'p' }))._id));
    const sa = await connectSocket(first.url, alice);
    sockets.push(sa);

    // kill the process the moment 40 sends have been acknowledged, with others in flight
    const attempted = new Map<string, string[]>(roomIds.map((rid) => [rid, []]));
    const acked = new Map<string, number>();
    let killed = false;
    let killing: Promise<void> | undefined;
    const worker = async (rid: string) => {
      for (let i = 0; i < 200 && !killed; i++) {
        const _id = newId();
        attempted.get(rid)!.push(_id);
        const r = await sa.timeout(5000).emitWithAck('message.send', { message: { _id, rid, msg: `m ${_id}` } }).catch(() => null);
        if (r && !r.success) throw new Error(JSON.stringify(r));
        if (r?.success && !killed) {
          acked.set(_id, r.result.seq);
          if (acked.size >= 40) {
            killed = true;
            killing = first.crash();
          }
        }
      }
    };
    await Promise.all(roomIds.map(worker));
    await killing;
    expect(killed, 'the crash happened mid-conversation').to.equal(true);
    const allAttempted = [...attempted.values()].flat();
    expect(allAttempted.length).to.be.greaterThan(acked.size);

    const second = await startServerProcess({ MONGO_URL: mongoUrl });
    procs.push(second);
    const alice2 = on(second.url, alice);
    const sa2 = await connectSocket(second.url, alice);
    sockets.push(sa2);
    for (const rid of roomIds) {
      const stored = await allMessages(alice2, rid);
      const storedIds = stored.map((m) => m._id);
      for (const id of attempted.get(rid)!) if (acked.has(id)) expect(storedIds, `acknowledged ${id}`).to.include(id);
      expect(new Set(storedIds).size, 'no duplicates').to.equal(storedIds.length);
      for (const m of stored) if (acked.has(m._id)) expect(m.seq).to.equal(acked.get(m._id));

      // the client retries every unacknowledged send with the same id: each lands exactly once
      for (const _id of attempted.get(rid)!.filter((id) => !acked.has(id))) {
        const r = await sa2.timeout(5000).emitWithAck('message.send', { message: { _id, rid, msg: `m ${_id}` } });
        expect(r.success, JSON.stringify(r)).to.equal(true);
      }
      const after = await allMessages(alice2, rid);
      expect(after.map((m) => m._id).sort()).to.deep.equal([...attempted.get(rid)!].sort());
      const seqs = after.map((m) => m.seq);
      expect(new Set(seqs).size).to.equal(seqs.length);
      // a send cut off between allocating its number and recording it is counted twice (at most one per room here)
      const msgs = (await alice2.api.get('groups.info', { roomId: rid })).body.group.msgs;
      expect(msgs).to.be.within(attempted.get(rid)!.length, attempted.get(rid)!.length + 1);
    }
  });

  describe('reconnect with a cursor', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
      await registerUser(server.url);
    });
    after(async () => server?.close());

    it('gives a reconnecting client exactly what it missed, once each, in order (REST and socket)', async () => {
      const alice = await registerUser(server.url);
      const bob = await registerUser(server.url);
      const room = await createChannel(alice, { type: 'p', members: [bob.username] });
      const sb = await connectSocket(server.url, bob);
      sockets.push(sb);
      let cursor = 0;
      sb.on('room.changed', (r: { _id: string; lastChange: number }) => {
        if (r._id === room._id) cursor = Math.max(cursor, r.lastChange);
      });
      const lastSeen = nextEvent(sb, 'message.created', 3000, (m) => m.msg === 'seen 2');
      const seen = await send(alice, room._id, 'seen 1');
      const seen2 = await send(alice, room._id, 'seen 2');
      await lastSeen;
      await sleep(100);
      expect(cursor).to.be.greaterThan(0);
      sb.close();

      // while bob is away: new messages, an edit of a seen one, a deleted seen one, an edit of a new one
      const missed: string[] = [];
      for (let i = 0; i < 6; i++) missed.push((await send(alice, room._id, `missed ${i}`))._id);
      expect((await alice.api.post('chat.update', { roomId: room._id, msgId: seen._id, text: 'seen 1, edited' })).status).to.equal(200);
      expect((await alice.api.post('chat.delete', { roomId: room._id, msgId: seen2._id })).status).to.equal(200);
      expect((await alice.api.post('chat.update', { roomId: room._id, msgId: missed[2], text: 'missed 2, edited' })).status).to.equal(200);

      // REST, one call
      const sync = await bob.api.get('chat.syncMessages', { roomId: room._id, since: cursor });
      expect(sync.status, JSON.stringify(sync.body)).to.equal(200);
      const r = sync.body.result;
      const expectedOrder = [missed[0], missed[1], missed[3], missed[4], missed[5], seen._id, missed[2]];
      expect(r.updated.map((m: { _id: string }) => m._id)).to.deep.equal(expectedOrder);
      expect(r.updated.find((m: { _id: string }) => m._id === missed[2]).msg).to.equal('missed 2, edited');
      expect(r.updated.find((m: { _id: string }) => m._id === seen._id).msg).to.equal('seen 1, edited');
      expect(r.deleted.map((d: { _id: string }) => d._id)).to.deep.equal([seen2._id]);
      expect(r.more).to.equal(false);
      const info = await bob.api.get('groups.info', { roomId: room._id });
      expect(r.cursor).to.equal(info.body.group.lastChange);
      // nothing more after the new cursor
      const again = await bob.api.get('chat.syncMessages', { roomId: room._id, since: r.cursor });
      expect(again.body.result).to.include({ more: false });
      expect(again.body.result.updated).to.deep.equal([]);
      expect(again.body.result.deleted).to.deep.equal([]);

      // over the socket, in small pages following the cursor: the same, each once, in order
      const sb2 = await connectSocket(server.url, bob);
      sockets.push(sb2);
      const paged: string[] = [];
      const pagedDeleted: string[] = [];
      let since = cursor;
      for (let i = 0; i < 20; i++) {
        const ack = await sb2.timeout(5000).emitWithAck('room.sync', { roomId: room._id, since, count: 2 });
        expect(ack.success, JSON.stringify(ack)).to.equal(true);
        paged.push(...ack.result.updated.map((m: { _id: string }) => m._id));
        pagedDeleted.push(...ack.result.deleted.map((m: { _id: string }) => m._id));
        expect(ack.result.cursor).to.be.at.least(since);
        since = ack.result.cursor;
        if (!ack.result.more) break;
      }
      expect(pagedDeleted).to.deep.equal([seen2._id]);
      // across pages, a message changed again later shows up in the later page only
      expect(new Set(paged).size, 'each once').to.equal(paged.length);
      expect(paged).to.deep.equal(expectedOrder);
      expect(since).to.equal(info.body.group.lastChange);

      // a non-member cannot sync the room
      const carol = await registerUser(server.url);
      expect((await carol.api.get('chat.syncMessages', { roomId: room._id, since: 0 })).status).to.be.oneOf([403, 404]);
    });
  });

  it('keeps data written through the embedded database across a restart, and stops FerretDB with the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obmeet-embedded-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info' }; // info: the log names the FerretDB port
    const first = await startServerProcess(env);
    procs.push(first);
    const portMatch = /"port":(\d+)[^\n]*embedded database/.exec(first.output());
    expect(portMatch, `FerretDB port in the log:\n${first.output()}`).to.not.equal(null);
    const dbPort = Number(portMatch![1]);
    expect(await canConnect(dbPort)).to.equal(true);

    const admin = await registerUser(first.url);
    const room = await createChannel(admin, { type: 'p' });
    const sent = await send(admin, room._id, 'kept across restarts');

    const exit = await first.stop('SIGTERM', 15_000);
    expect(exit.code, first.output()).to.equal(0);
    await sleep(100);
    expect(groupAlive(first.child.pid!), 'FerretDB child is gone too').to.equal(false);
    expect(await canConnect(dbPort), 'nothing listens on the FerretDB port').to.equal(false);

    const second = await startServerProcess(env);
    procs.push(second);
    const again = await loginUser(second.url, admin.username, admin.password);
    const hist = await again.api.get('groups.history', { roomId: room._id });
    expect(hist.status).to.equal(200);
    expect(hist.body.messages.map((m: { _id: string; msg: string }) => [m._id, m.msg])).to.deep.include([sent._id, 'kept across restarts']);
    expect((await second.stop('SIGTERM', 15_000)).code).to.equal(0);
    await sleep(100);
    expect(groupAlive(second.child.pid!)).to.equal(false);
  });

  it('exits with a clear message when FerretDB is missing and Go is not installed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obmeet-nogo-'));
    dirs.push(dataDir);
    const path = (process.env.PATH ?? '')
      .split(':')
      .filter((d) => d && !/\bgo\b|golang/.test(d))
      .concat('/usr/bin', '/bin')
      .join(':');
    const { child, output } = spawnTracked([serverMain], {
      PATH: path,
      HOME: dataDir,
      FERRETDB_BIN: join(dataDir, 'no-such-dir', 'ferretdb'),
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    try {
      const { code } = await waitForExit(child, 20_000);
      expect(code, output()).to.not.equal(0);
      expect(code, output()).to.not.equal(null);
      expect(output()).to.match(/Install Go/);
      expect(output()).to.match(/MONGO_URL/);
      expect(output(), 'a readable line, not only a JSON log').to.match(/^The embedded database needs/m);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('disconnects a client that stops reading, and memory stays bounded', async () => {
    const mongoUrl = (await testDatabase()).uniqueUrl('slow');
    const srv = await startServerProcess({ MONGO_URL: mongoUrl, SOCKET_MAX_BUFFERED_BYTES: '65536' });
    procs.push(srv);
    const admin = await registerUser(srv.url);
    const slow = await registerUser(srv.url);
    const reader = await registerUser(srv.url);
    const room = await createChannel(admin, { type: 'p', members: [slow.username, reader.username] });

    // a raw websocket client: engine.io open, socket.io connect with auth, then it stops reading
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    let closed = false;
    ws.on('close', () => (closed = true));
    ws.on('error', () => undefined);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    const deadline = Date.now() + 5000;
    while (!frames.some((f) => f.startsWith('0{'))) {
      if (Date.now() > deadline) throw new Error('no engine.io open packet');
      await sleep(10);
    }
    ws.send(`40${JSON.stringify({ userId: slow._id, token: slow.token })}`);
    while (!frames.some((f) => f.startsWith('40{'))) {
      if (Date.now() > deadline) throw new Error(`no socket.io connect: ${frames.join(' | ')}`);
      await sleep(10);
    }
    const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();

    const sa = await connectSocket(srv.url, admin);
    const sr = await connectSocket(srv.url, reader);
    sockets.push(sa, sr);
    const readerGot = collectEvents(sr, 'message.created');
    const memBefore = await metric(srv.url, 'process_resident_memory_bytes');
    const heapBefore = await metric(srv.url, 'nodejs_heap_size_used_bytes');
    const droppedBefore = await metric(srv.url, 'obmeet_slow_clients_dropped_total');

    // large messages fill the kernel's socket buffers (several MB on loopback) in a few hundred sends
    expect((await admin.api.post('settings/messages.maxLength', { value: 60_000 })).status).to.equal(200);
    const text = 'x'.repeat(60_000);
    let sent = 0;
    let dropped = droppedBefore;
    const floodEnd = Date.now() + 15_000;
    let peakRss = memBefore;
    while (dropped === droppedBefore && sent < 1500 && Date.now() < floodEnd) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const r = await sa.timeout(10_000).emitWithAck('message.send', { message: { rid: room._id, msg: text } });
          if (!r.success) throw new Error(JSON.stringify(r));
        }),
      );
      sent += 10;
      if (sent % 50 === 0) {
        dropped = await metric(srv.url, 'obmeet_slow_clients_dropped_total');
        peakRss = Math.max(peakRss, await metric(srv.url, 'process_resident_memory_bytes'));
      }
    }
    expect(dropped, `the slow client was dropped (after ${sent} messages)`).to.be.greaterThan(droppedBefore);
    // once it reads again it finds its connection closed by the server
    raw.resume();
    const closeBy = Date.now() + 10_000;
    while (!closed && Date.now() < closeBy) await sleep(20);
    expect(closed, 'connection closed by the server').to.equal(true);

    // the flood goes on without it: memory stays flat
    for (let i = 0; i < 10; i++) {
      await Promise.all(Array.from({ length: 10 }, () => sa.timeout(10_000).emitWithAck('message.send', { message: { rid: room._id, msg: text } })));
      sent += 10;
    }
    peakRss = Math.max(peakRss, await metric(srv.url, 'process_resident_memory_bytes'));
    const heapAfter = await metric(srv.url, 'nodejs_heap_size_used_bytes');
    const mb = (n: number) => Math.round(n / 1e6);
    const floodBytes = sent * text.length;
    expect(peakRss - memBefore, `RSS grew ${mb(peakRss - memBefore)} MB while ${mb(floodBytes)} MB were sent`).to.be.below(150e6);
    expect(heapAfter - heapBefore, `heap grew ${mb(heapAfter - heapBefore)} MB`).to.be.below(64e6);
    // the client that reads kept everything and stayed connected
    await sleep(300);
    expect(sr.connected).to.equal(true);
    expect(readerGot.items.length).to.equal(sent);
  });
});
