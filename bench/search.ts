/**
 * bench/search: chat.search latency as rooms grow (10k vs 100k messages) and as the number of
 * rooms searched grows (10 vs 50), on FerretDB v1 (SQLite) embedded.
 *
 * Messages are seeded directly into the segmented message store (same collections and document
 * shape as MessagesStore, like bench/history), with text drawn from a skewed vocabulary; each
 * room's search index is then built with `workspace.search.rebuildRoom` (the same postings the
 * send/edit/delete hooks write). Queries go through `workspace.search.search` (access check,
 * postings, verification against the messages), and a few through HTTP.
 *
 * Env: BENCH_SEARCH_BIG (largest room, default 100000), BENCH_SEARCH_ITER (iterations per query,
 * default 40), BENCH_SEARCH_ROOM_MSGS (messages per room in the many-rooms case, default 2000),
 * BENCH_SEARCH_SENDS (sends timed with and without the index hook, default 200).
 */
import type { Db } from 'mongodb';
import { actorOf, collectionNames, SEGMENT_SIZE, type Actor, type MessageDoc, type RoomDoc } from '@obmeet/server';
import { registerUser, testDatabase } from '@obmeet/test-kit';
import { envInt, fmt, msSince, sizeLabel, startBenchServer, summarize, table, type Summary } from './common.js';

const BIG = envInt('BENCH_SEARCH_BIG', 100_000);
const SMALL = Math.min(10_000, BIG);
const ITER = envInt('BENCH_SEARCH_ITER', 40);
const ROOM_MSGS = envInt('BENCH_SEARCH_ROOM_MSGS', 2_000);
const SENDS = envInt('BENCH_SEARCH_SENDS', 200);
const PAGE = 20;

// a deterministic vocabulary of 3000 pseudo-words and a skewed (Zipf-like) pick
const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'bi', 'da', 'fe', 'go', 'hu', 'ja', 'pe'];
const VOCAB: string[] = [];
for (let i = 0; VOCAB.length < 3000; i++) {
  let w = '';
  for (let n = i + 7; n > 0; n = Math.floor(n / SYL.length)) w += SYL[n % SYL.length];
  if (w.length >= 4) VOCAB.push(w);
}
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = () => VOCAB[Math.floor(VOCAB.length * rand() ** 3)]!;

const COMMON = VOCAB[0]!; // in roughly one message in four
const MEDIUM = VOCAB[400]!;
const RARE = 'raremarker'; // every 5000th message
const ABSENT = 'nosuchwordanywhere';

function text(seq: number): string {
  const n = 8 + Math.floor(rand() * 6);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(pick());
  if (seq % 5000 === 0) ws.push(RARE);
  return ws.join(' ');
}

async function seedRoom(db: Db, room: RoomDoc, n: number, authors: MessageDoc['u'][]): Promise<void> {
  const base = Date.now() - n * 1000;
  for (let k = 0; k * SEGMENT_SIZE < n; k++) {
    const docs: MessageDoc[] = [];
    for (let seq = k * SEGMENT_SIZE + 1; seq <= Math.min(n, (k + 1) * SEGMENT_SIZE); seq++) {
      const ts = new Date(base + seq * 1000);
      docs.push({ _id: `${room._id.slice(0, 6)}m${seq.toString(36)}`, rid: room._id, seq, change: seq, msg: text(seq), u: authors[seq % authors.length]!, ts, updatedAt: ts });
    }
    await db.collection<MessageDoc>(collectionNames.segment(room._id, k)).insertMany(docs, { ordered: false });
  }
  await db.collection<RoomDoc>('rooms').updateOne({ _id: room._id }, { $set: { lastSeq: n, lastChange: n, msgs: n } });
}

interface Case {
  label: string;
  query: string;
}

async function time(iter: number, run: () => Promise<number>): Promise<{ s: Summary; hits: number }> {
  let hits = 0;
  for (let i = 0; i < 3; i++) hits = await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iter; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    samples.push(msSince(t0));
  }
  return { s: summarize(samples), hits };
}

async function main(): Promise<void> {
  console.log(`bench/search: rooms of ${sizeLabel(SMALL)} vs ${sizeLabel(BIG)} messages; 10 vs 50 rooms of ${sizeLabel(ROOM_MSGS)}; page ${PAGE}; ${ITER} iterations per query`);
  const server = await startBenchServer();
  const ws = server.workspace;
  const db = ws.db;
  try {
    const admin = await registerUser(server.url, { username: 'benchadmin' });
    const few = await registerUser(server.url, { username: 'benchfew' });
    const many = await registerUser(server.url, { username: 'benchmany' });
    const actor: Actor = actorOf(await ws.accounts.requireUser(admin._id));
    const fewActor: Actor = actorOf(await ws.accounts.requireUser(few._id));
    const manyActor: Actor = actorOf(await ws.accounts.requireUser(many._id));
    const authors = [admin, few, many].map((u) => ({ _id: u._id, username: u.username }));

    // ---- seed -------------------------------------------------------------------------------
    const t0 = process.hrtime.bigint();
    const sized: { n: number; room: RoomDoc }[] = [];
    for (const n of [SMALL, BIG]) {
      const room = await ws.rooms.createRoom(actor, 'p', { name: `search-${sizeLabel(n)}`, members: [], readOnly: false });
      const s = process.hrtime.bigint();
      await seedRoom(db, room, n, authors);
      const seeded = msSince(s);
      const i = process.hrtime.bigint();
      const indexed = await ws.search.rebuildRoom(room._id);
      console.log(`room of ${sizeLabel(n)}: messages seeded in ${fmt(seeded / 1000, 1)} s, index built in ${fmt(msSince(i) / 1000, 1)} s (${indexed} messages)`);
      sized.push({ n, room });
    }
    const scoped: RoomDoc[] = [];
    for (let i = 0; i < 50; i++) {
      const room = await ws.rooms.createRoom(actor, 'p', { name: `scope-${i}`, members: i < 10 ? [few.username, many.username] : [many.username], readOnly: false });
      await seedRoom(db, room, ROOM_MSGS, authors);
      await ws.search.rebuildRoom(room._id);
      scoped.push(room);
    }
    console.log(`seeded and indexed 50 rooms of ${sizeLabel(ROOM_MSGS)} in ${fmt(msSince(t0) / 1000, 1)} s total`);

    const cases: Case[] = [
      { label: `common word (${COMMON})`, query: COMMON },
      { label: `medium word (${MEDIUM})`, query: MEDIUM },
      { label: 'two words', query: `${COMMON} ${MEDIUM}` },
      { label: 'prefix (last word)', query: MEDIUM.slice(0, 4) },
      { label: `rare word (every 5000th)`, query: RARE },
      { label: 'absent word', query: ABSENT },
      { label: 'from: + word', query: `from:@${few.username} ${COMMON}` },
      { label: 'on: (a day, no word)', query: `on:${new Date().toISOString().slice(0, 10)}` },
    ];

    // ---- (a) one room, 10k vs 100k ------------------------------------------------------------
    const rowsA: (string | number)[][] = [];
    const ratiosA: (string | number)[][] = [];
    for (const c of cases) {
      const r: { s: Summary; hits: number }[] = [];
      for (const { room } of sized) {
        r.push(await time(ITER, async () => (await ws.search.search(actor, { roomId: room._id, searchText: c.query, count: PAGE, offset: 0 })).messages.length));
      }
      rowsA.push([c.label, `${r[0]!.hits}/${r[1]!.hits}`, fmt(r[0]!.s.p50), fmt(r[0]!.s.p95), fmt(r[1]!.s.p50), fmt(r[1]!.s.p95)]);
      ratiosA.push([c.label, fmt(r[1]!.s.p50 / r[0]!.s.p50), fmt(r[1]!.s.p95 / r[0]!.s.p95)]);
    }
    console.log(`\n(a) search in one room, ms (hits = results on the first page, ${sizeLabel(SMALL)}/${sizeLabel(BIG)})`);
    console.log(table(['query', 'hits', `${sizeLabel(SMALL)} p50`, `${sizeLabel(SMALL)} p95`, `${sizeLabel(BIG)} p50`, `${sizeLabel(BIG)} p95`], rowsA));
    console.log(`\nratios t(${sizeLabel(BIG)})/t(${sizeLabel(SMALL)})`);
    console.log(table(['query', 'median', 'p95'], ratiosA));

    // ---- (b) all readable rooms: 10 vs 50 -----------------------------------------------------
    const rowsB: (string | number)[][] = [];
    const ratiosB: (string | number)[][] = [];
    for (const c of cases) {
      const r: { s: Summary; hits: number }[] = [];
      for (const who of [fewActor, manyActor]) {
        r.push(await time(ITER, async () => (await ws.search.search(who, { searchText: c.query, count: PAGE, offset: 0 })).messages.length));
      }
      rowsB.push([c.label, `${r[0]!.hits}/${r[1]!.hits}`, fmt(r[0]!.s.p50), fmt(r[0]!.s.p95), fmt(r[1]!.s.p50), fmt(r[1]!.s.p95)]);
      ratiosB.push([c.label, fmt(r[1]!.s.p50 / r[0]!.s.p50), fmt(r[1]!.s.p95 / r[0]!.s.p95)]);
    }
    console.log(`\n(b) search without roomId (all rooms of the user, ${sizeLabel(ROOM_MSGS)} messages each), ms`);
    console.log(table(['query', 'hits', '10 rooms p50', '10 rooms p95', '50 rooms p50', '50 rooms p95'], rowsB));
    console.log('\nratios t(50 rooms)/t(10 rooms)');
    console.log(table(['query', 'median', 'p95'], ratiosB));

    // ---- (c) over HTTP ------------------------------------------------------------------------
    const rowsC: (string | number)[][] = [];
    for (const { n, room } of sized) {
      const r = await time(ITER, async () => {
        const res = await admin.api.get('chat.search', { roomId: room._id, searchText: COMMON, count: PAGE });
        if (res.status !== 200) throw new Error(`HTTP search failed: ${res.status}`);
        return res.body.messages.length;
      });
      rowsC.push([`GET chat.search, room of ${sizeLabel(n)}, common word`, fmt(r.s.p50), fmt(r.s.p95)]);
    }
    console.log('\n(c) HTTP, ms');
    console.log(table(['request', 'p50', 'p95'], rowsC));

    // ---- (d) what the index costs a send --------------------------------------------------------
    const room = scoped[0]!;
    const hooks = [...ws.messages.hooks.created];
    // the index is written after the send answers (a queue per room): time both the send and the
    // moment its words are searchable
    const sendTimes = async (): Promise<{ send: Summary; searchable: Summary }> => {
      const send: number[] = [];
      const searchable: number[] = [];
      for (let i = 0; i < SENDS; i++) {
        const t = process.hrtime.bigint();
        await ws.messages.send(actor, { rid: room._id, msg: text(i + 1) });
        send.push(msSince(t));
        await ws.search.settled(room._id);
        searchable.push(msSince(t));
      }
      return { send: summarize(send), searchable: summarize(searchable) };
    };
    const withIndex = await sendTimes();
    ws.messages.hooks.created.length = 0;
    const without = await sendTimes();
    ws.messages.hooks.created.push(...hooks);
    console.log(`\n(d) messages.send, ${SENDS} sends of ~10 words each, one after the other, ms`);
    console.log(
      table(
        ['', 'p50', 'p95'],
        [
          ['send answered, with the search index hook', fmt(withIndex.send.p50), fmt(withIndex.send.p95)],
          ['send answered, without (hook removed)', fmt(without.send.p50), fmt(without.send.p95)],
          ['ratio', fmt(withIndex.send.p50 / without.send.p50), fmt(withIndex.send.p95 / without.send.p95)],
          ['send until searchable (index written)', fmt(withIndex.searchable.p50), fmt(withIndex.searchable.p95)],
          ['ratio to the send without the hook', fmt(withIndex.searchable.p50 / without.send.p50), fmt(withIndex.searchable.p95 / without.send.p95)],
        ],
      ),
    );
  } finally {
    await server.close();
    await (await testDatabase()).stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
