/**
 * bench/history: cost of the newest-50 page of a room as the room grows (1k → 1M messages).
 *
 * Seeds rooms directly into the segmented store (same collections and document shape as
 * MessagesStore), then reads the newest page cold (cache cleared before each read), warm (cache
 * hit) and through HTTP, and prints median/p95 and the ratio t(largest)/t(1k). As context it also
 * times a naive single-collection design on the same FerretDB.
 *
 * Env: BENCH_MAX (largest room, default 1000000), BENCH_ITER_COLD / BENCH_ITER_WARM /
 * BENCH_ITER_HTTP (iterations per size), BENCH_NAIVE (messages in the naive collection, default
 * 100000, 0 to skip), BENCH_FULL_SEED=1 (also write the change log and msgref_* references).
 */
import type { Collection, Db } from 'mongodb';
import {
  actorOf,
  changeSegmentOf,
  collectionNames,
  refShardOf,
  SEGMENT_SIZE,
  type Actor,
  type ChangeDoc,
  type MessageDoc,
  type MessageRefDoc,
  type RoomDoc,
} from '@obmeet/server';
import { registerUser, testDatabase } from '@obmeet/test-kit';
import { envInt, fmt, msSince, sizeLabel, startBenchServer, summarize, table, type Summary } from './common.js';

const MAX = envInt('BENCH_MAX', 1_000_000);
const SIZES = [1_000, 10_000, 100_000, 1_000_000].filter((n) => n < MAX).concat([MAX]);
const ITER_COLD = envInt('BENCH_ITER_COLD', 300);
const ITER_WARM = envInt('BENCH_ITER_WARM', 3000);
const ITER_HTTP = envInt('BENCH_ITER_HTTP', 500);
const NAIVE = process.env.BENCH_NAIVE === '0' ? 0 : envInt('BENCH_NAIVE', 100_000);
const FULL_SEED = process.env.BENCH_FULL_SEED === '1';
const SEED_CONCURRENCY = envInt('BENCH_SEED_CONCURRENCY', 2);
const PAGE = 50;

const TEXT = 'The quick brown fox jumps over the lazy dog while the team discusses the release plan';

function messageDoc(rid: string, seq: number, author: MessageDoc['u'], t0: number): MessageDoc {
  const ts = new Date(t0 + seq * 1000);
  return { _id: `${rid.slice(0, 6)}m${seq.toString(36)}`, rid, seq, change: seq, msg: `${TEXT} #${seq}`, u: author, ts, updatedAt: ts };
}

/** Runs tasks with at most `n` in flight. */
async function pool<T>(items: T[], n: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** Writes a room of `n` messages the way MessagesStore lays them out, and updates its room document. */
async function seedRoom(db: Db, room: RoomDoc, n: number, author: MessageDoc['u']): Promise<number> {
  const t0 = process.hrtime.bigint();
  const base = Date.now() - n * 1000;
  const segments = Array.from({ length: Math.ceil(n / SEGMENT_SIZE) }, (_, k) => k);
  await pool(segments, SEED_CONCURRENCY, async (k) => {
    const docs: MessageDoc[] = [];
    for (let seq = k * SEGMENT_SIZE + 1; seq <= Math.min(n, (k + 1) * SEGMENT_SIZE); seq++) docs.push(messageDoc(room._id, seq, author, base));
    await db.collection<MessageDoc>(collectionNames.segment(room._id, k)).insertMany(docs, { ordered: false });
  });
  if (FULL_SEED) {
    // change log: one entry per message (change number = seq), CHANGE_SEGMENT_SIZE per collection
    const chSegments = Array.from({ length: changeSegmentOf(n) + 1 }, (_, k) => k);
    await pool(chSegments, SEED_CONCURRENCY, async (k) => {
      const docs: ChangeDoc[] = [];
      for (let c = k * 1000 + 1; c <= Math.min(n, (k + 1) * 1000); c++) docs.push({ _id: c, msgId: messageDoc(room._id, c, author, base)._id, seq: c });
      await db.collection<ChangeDoc>(collectionNames.changes(room._id, k)).insertMany(docs, { ordered: false });
    });
    // id references, grouped by shard
    const byShard = new Map<number, MessageRefDoc[]>();
    for (let seq = 1; seq <= n; seq++) {
      const id = messageDoc(room._id, seq, author, base)._id;
      const shard = refShardOf(id);
      let list = byShard.get(shard);
      if (!list) byShard.set(shard, (list = []));
      list.push({ _id: id, rid: room._id, seq });
    }
    const batches: [number, MessageRefDoc[]][] = [];
    for (const [shard, refs] of byShard) for (let i = 0; i < refs.length; i += 5000) batches.push([shard, refs.slice(i, i + 5000)]);
    await pool(batches, SEED_CONCURRENCY, async ([shard, refs]) => {
      await db.collection<MessageRefDoc>(collectionNames.ref(shard)).insertMany(refs, { ordered: false });
    });
  }
  const last = messageDoc(room._id, n, author, base);
  await db.collection<RoomDoc>('rooms').updateOne(
    { _id: room._id },
    { $set: { lastSeq: n, lastChange: n, msgs: n, lastMessage: { _id: last._id, msg: last.msg, u: { _id: author._id, username: author.username }, ts: last.ts } } },
  );
  return msSince(t0);
}

interface Row {
  n: number;
  rid: string;
  seedMs: number;
  cold: number[];
  warm: number[];
  httpCold: number[];
  httpWarm: number[];
}

function shuffled<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

async function main(): Promise<void> {
  console.log(`bench/history: newest-${PAGE} page, rooms of ${SIZES.map(sizeLabel).join(', ')} messages, FerretDB v1 (SQLite) embedded`);
  console.log(`iterations per size: cold ${ITER_COLD}, warm ${ITER_WARM}, http ${ITER_HTTP}; seed ${FULL_SEED ? 'messages + change log + refs' : 'messages only (history reads no refs or change log)'}`);
  const server = await startBenchServer();
  const ws = server.workspace;
  const db = ws.db;
  try {
    const admin = await registerUser(server.url, { username: 'benchadmin' });
    const actor: Actor = actorOf(await ws.accounts.requireUser(admin._id));
    const author = { _id: admin._id, username: admin.username, name: 'Bench Admin' };

    const rows: Row[] = [];
    const seedStart = process.hrtime.bigint();
    for (const n of SIZES) {
      const room = await ws.rooms.createRoom(actor, 'c', { name: `history-${sizeLabel(n)}`, members: [], readOnly: false });
      const seedMs = await seedRoom(db, room, n, author);
      const rate = n / (seedMs / 1000);
      console.log(`seeded ${sizeLabel(n).padStart(4)} messages (${Math.ceil(n / SEGMENT_SIZE)} segments) in ${fmt(seedMs / 1000, 1)} s (${Math.round(rate)} msg/s)`);
      rows.push({ n, rid: room._id, seedMs, cold: [], warm: [], httpCold: [], httpWarm: [] });
    }
    console.log(`total seed time: ${fmt(msSince(seedStart) / 1000, 1)} s`);

    // sanity: every size returns the newest 50, newest first
    for (const r of rows) {
      const page = await ws.messages.history(actor, r.rid, { count: PAGE });
      if (page.messages.length !== PAGE || page.messages[0]!.seq !== r.n || page.messages[PAGE - 1]!.seq !== r.n - PAGE + 1) {
        throw new Error(`wrong page for ${r.n}: ${page.messages.length} messages, first seq ${page.messages[0]?.seq}`);
      }
    }

    // warm-up (JIT, connection pool)
    for (let i = 0; i < 30; i++) for (const r of rows) {
      ws.messages.cache.invalidate(r.rid);
      await ws.messages.history(actor, r.rid, { count: PAGE });
    }

    // (a) cold: cache cleared before each read: requireReadable + newest segments from FerretDB
    for (let i = 0; i < ITER_COLD; i++) for (const r of shuffled(rows)) {
      ws.messages.cache.invalidate(r.rid);
      const t0 = process.hrtime.bigint();
      await ws.messages.history(actor, r.rid, { count: PAGE });
      r.cold.push(msSince(t0));
    }
    // (b) warm: cache hit (still reads the room and the subscription to check access)
    for (const r of rows) await ws.messages.history(actor, r.rid, { count: PAGE });
    for (let i = 0; i < ITER_WARM; i++) for (const r of shuffled(rows)) {
      const t0 = process.hrtime.bigint();
      await ws.messages.history(actor, r.rid, { count: PAGE });
      r.warm.push(msSince(t0));
    }
    // (c) HTTP: GET /api/v1/channels.history, cold and warm
    for (let i = 0; i < 20; i++) for (const r of rows) await admin.api.get('channels.history', { roomId: r.rid, count: PAGE });
    for (let i = 0; i < ITER_HTTP; i++) for (const r of shuffled(rows)) {
      ws.messages.cache.invalidate(r.rid);
      const t0 = process.hrtime.bigint();
      const res = await admin.api.get('channels.history', { roomId: r.rid, count: PAGE });
      r.httpCold.push(msSince(t0));
      if (res.status !== 200 || res.body.messages.length !== PAGE) throw new Error(`HTTP history failed: ${res.status}`);
    }
    for (let i = 0; i < ITER_HTTP; i++) for (const r of shuffled(rows)) {
      const t0 = process.hrtime.bigint();
      const res = await admin.api.get('channels.history', { roomId: r.rid, count: PAGE });
      r.httpWarm.push(msSince(t0));
      if (res.status !== 200) throw new Error(`HTTP history failed: ${res.status}`);
    }

    const s = rows.map((r) => ({ r, cold: summarize(r.cold), warm: summarize(r.warm), hc: summarize(r.httpCold), hw: summarize(r.httpWarm) }));
    console.log('\nnewest-50 page, milliseconds (median / p95)');
    console.log(
      table(
        ['room', 'seed s', 'cold p50', 'cold p95', 'warm p50', 'warm p95', 'http cold p50', 'http cold p95', 'http warm p50', 'http warm p95'],
        s.map(({ r, cold, warm, hc, hw }) => [
          sizeLabel(r.n),
          fmt(r.seedMs / 1000, 1),
          fmt(cold.p50, 3),
          fmt(cold.p95, 3),
          fmt(warm.p50, 3),
          fmt(warm.p95, 3),
          fmt(hc.p50, 3),
          fmt(hc.p95, 3),
          fmt(hw.p50, 3),
          fmt(hw.p95, 3),
        ]),
      ),
    );
    const first = s[0]!;
    const last = s[s.length - 1]!;
    const ratio = (pick: (x: (typeof s)[number]) => Summary, q: 'p50' | 'p95') => pick(last)[q] / pick(first)[q];
    const label = `t(${sizeLabel(last.r.n)})/t(${sizeLabel(first.r.n)})`;
    console.log(`\nratios ${label} (target ≤ 2)`);
    console.log(
      table(
        ['path', 'median', 'p95'],
        [
          ['service cold', fmt(ratio((x) => x.cold, 'p50')), fmt(ratio((x) => x.cold, 'p95'))],
          ['service warm', fmt(ratio((x) => x.warm, 'p50')), fmt(ratio((x) => x.warm, 'p95'))],
          ['HTTP cold', fmt(ratio((x) => x.hc, 'p50')), fmt(ratio((x) => x.hc, 'p95'))],
          ['HTTP warm', fmt(ratio((x) => x.hw, 'p50')), fmt(ratio((x) => x.hw, 'p95'))],
        ],
      ),
    );

    if (NAIVE > 0) await naiveBaseline(db, NAIVE, author, last.cold.p50);
  } finally {
    await server.close();
    await (await testDatabase()).stop();
  }
}

/** Context: one `messages` collection queried with find({rid}).sort({seq:-1}).limit(50). */
async function naiveBaseline(db: Db, n: number, author: MessageDoc['u'], segmentedColdP50: number): Promise<void> {
  const coll: Collection<MessageDoc> = db.collection<MessageDoc>('naive_messages');
  await coll.createIndex({ rid: 1, seq: -1 }, { name: 'rid_seq' });
  const rid = 'naiveRoom00000001';
  const t0 = process.hrtime.bigint();
  const base = Date.now() - n * 1000;
  for (let i = 0; i < n; i += 5000) {
    const docs: MessageDoc[] = [];
    for (let seq = i + 1; seq <= Math.min(n, i + 5000); seq++) docs.push(messageDoc(rid, seq, author, base));
    await coll.insertMany(docs, { ordered: false });
  }
  const seedMs = msSince(t0);
  const times: number[] = [];
  const iterations = envInt('BENCH_NAIVE_ITER', 5);
  for (let i = 0; i < iterations + 1; i++) {
    const t = process.hrtime.bigint();
    const page = await coll.find({ rid }).sort({ seq: -1 }).limit(PAGE).toArray();
    const ms = msSince(t);
    if (page.length !== PAGE || page[0]!.seq !== n) throw new Error('naive query returned the wrong page');
    if (i > 0) times.push(ms); // first read warms the SQLite page cache
  }
  const sum = summarize(times);
  console.log(`\nbaseline (context): naive single collection of ${sizeLabel(n)} messages, index {rid:1, seq:-1}, seeded in ${fmt(seedMs / 1000, 1)} s`);
  console.log(`  find({rid}).sort({seq:-1}).limit(50): median ${fmt(sum.p50, 1)} ms, p95 ${fmt(sum.p95, 1)} ms over ${sum.n} reads`);
  console.log(`  = ${fmt(sum.p50 / segmentedColdP50, 0)}× the segmented cold read of the largest room`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
