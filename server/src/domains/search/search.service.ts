import type { MessageDto, RoomAutocompleteItem, UserAutocompleteItem } from '@obmeet/contracts';
import { Errors } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AccountsService, Actor } from '../accounts/index.js';
import { SEGMENT_SIZE, type MessagesService } from '../messages/index.js';
import type { RoomDoc, RoomsService } from '../rooms/index.js';
import { BLOCK_SIZE, blockOf, parsePosting, postingOf } from './search.model.js';
import { SearchPolicy } from './search.policy.js';
import { presentRoomItem, presentUserItem } from './search.present.js';
import type { SearchStore } from './search.store.js';
import { isEmptyQuery, matches, messageTokens, parseQuery, queryTokens, type ParsedQuery } from './search.tokens.js';

/** Queries without any index token (only in:/before:/after:) look at this many newest messages per room at most. */
const MAX_UNINDEXED_SCAN = 5_000;
/** Rooms searched at the same time. */
const ROOM_CONCURRENCY = 4;

export interface SearchResult {
  messages: MessageDto[];
  hasMore: boolean;
}

/** One write at a time per room to the posting collections (FerretDB updates are read-modify-write). */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once everything queued so far for `key` has run. */
  idle(key: string): Promise<unknown> {
    return this.tails.get(key) ?? Promise.resolve();
  }
}

export class SearchService {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly store: SearchStore,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly accounts: AccountsService,
    private readonly logger?: Logger,
  ) {
    messages.hooks.created.push((m) => this.guard(m.rid, () => this.store.addPostings(m.rid, m.seq, postingOf(m), messageTokens(m))));
    messages.hooks.edited.push((before, after) =>
      this.guard(after.rid, async () => {
        const old = new Set(messageTokens(before));
        const now = new Set(messageTokens(after));
        const gone = [...old].filter((t) => !now.has(t));
        const added = [...now].filter((t) => !old.has(t));
        if (gone.length) await this.store.removePostings(after.rid, after.seq, postingOf(after), gone);
        if (added.length) await this.store.addPostings(after.rid, after.seq, postingOf(after), added);
      }),
    );
    messages.hooks.deleted.push((m) => this.guard(m.rid, () => this.store.removePostings(m.rid, m.seq, postingOf(m), messageTokens(m))));
    rooms.onRoomDeletion((room) => this.queue.run(room._id, () => this.store.dropRoom(room._id, room.lastSeq)));
  }

  /**
   * Index writes run after the message write, off the send path (they cost several times the
   * send itself on FerretDB, see bench/README.md), one room at a time; a search first waits for
   * its rooms' queued writes, so a user finds what was just sent. They never fail the message
   * write: a missed posting only hides a result (rooms.rebuild fixes it), a stale one is filtered.
   */
  private guard(rid: string, fn: () => Promise<void>): void {
    this.queue.run(rid, fn).catch((err: unknown) => this.logger?.error({ err, rid }, 'search index update failed'));
  }

  /** Resolves once the index writes queued so far for a room are done (benchmarks, tests). */
  async settled(rid: string): Promise<void> {
    await this.queue.idle(rid);
  }

  // ---- message search ------------------------------------------------------------------------

  async search(actor: Actor, input: { roomId?: string; searchText: string; count: number; offset: number }): Promise<SearchResult> {
    const parsed = parseQuery(input.searchText);
    if ('error' in parsed) throw Errors.invalid(parsed.error);
    const q = parsed;
    const none: SearchResult = { messages: [], hasMore: false };
    if (isEmptyQuery(q)) return none;

    // the rooms in scope are decided (and access-checked) before any posting is read
    let rooms: RoomDoc[] = input.roomId ? [(await this.rooms.requireReadable(actor, input.roomId)).room] : [];
    if (q.in) {
      const named = await this.readableRoomNamed(actor, q.in);
      if (!named || (input.roomId && named._id !== input.roomId)) return none;
      rooms = [named];
    } else if (!input.roomId) {
      rooms = await this.readableRooms(actor);
    }
    let fromUserId: string | undefined;
    if (q.from) {
      const user = await this.accounts.findByUsername(q.from);
      if (!user) return none;
      fromUserId = user._id;
    }

    const want = input.offset + input.count + 1;
    const tokens = queryTokens(q, fromUserId);
    await Promise.all(rooms.map((r) => this.queue.idle(r._id)));
    let found: MessageDto[];
    if (tokens.length) found = await this.searchIndexed(rooms, q, tokens, fromUserId, want);
    else {
      found = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(ROOM_CONCURRENCY, rooms.length) }, async () => {
          while (next < rooms.length) found.push(...(await this.scanRoom(rooms[next++]!, q, fromUserId, want)));
        }),
      );
      found.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : b.seq - a.seq));
    }
    return { messages: found.slice(input.offset, input.offset + input.count), hasMore: found.length > input.offset + input.count };
  }

  /**
   * The newest `want` matches across rooms: per room, the postings of its newest block (then older
   * ones as needed), merged by time; only the candidates that make the page are read and checked.
   */
  private async searchIndexed(rooms: RoomDoc[], q: ParsedQuery, tokens: string[], fromUserId: string | undefined, want: number): Promise<MessageDto[]> {
    const lo = q.after?.getTime() ?? (q.on ? Date.parse(`${q.on}T00:00:00.000Z`) : -Infinity);
    const hi = Math.min(q.before?.getTime() ?? Infinity, q.on ? Date.parse(`${q.on}T00:00:00.000Z`) + 86_400_000 : Infinity);
    const cursors = rooms.filter((r) => r.lastSeq > 0).map((room) => ({ room, block: blockOf(room.lastSeq), buf: [] as string[] }));
    const fill = async (c: (typeof cursors)[number]) => {
      while (!c.buf.length && c.block >= 0) {
        const postings = await this.store.postings(c.room._id, c.block--, tokens);
        const lists = tokens.map((t) => postings.get(t) ?? []);
        if (lists.some((l) => l.length === 0)) continue;
        lists.sort((x, y) => x.length - y.length);
        let candidates = lists[0]!;
        for (const other of lists.slice(1)) {
          const set = new Set(other);
          candidates = candidates.filter((p) => set.has(p));
        }
        const inRange = [...new Set(candidates)].filter((p) => {
          const ts = parsePosting(p).ts;
          return ts >= lo && ts < hi;
        });
        // seqs only grow with time in a room: once a block reaches past `after:`, older blocks cannot match
        if (lo > -Infinity && candidates.some((p) => parsePosting(p).ts < lo)) c.block = -1;
        c.buf = inRange.sort().reverse();
      }
    };
    const out: MessageDto[] = [];
    while (out.length < want) {
      const empty = cursors.filter((c) => !c.buf.length && c.block >= 0);
      for (let i = 0; i < empty.length; i += ROOM_CONCURRENCY) await Promise.all(empty.slice(i, i + ROOM_CONCURRENCY).map(fill));
      // take the newest candidates across rooms, as long as every room's next candidate is known
      const picks: { rid: string; p: string }[] = [];
      while (picks.length < want - out.length) {
        let best: (typeof cursors)[number] | undefined;
        for (const c of cursors) if (c.buf.length && (!best || c.buf[0]! > best.buf[0]!)) best = c;
        if (!best) break;
        picks.push({ rid: best.room._id, p: best.buf.shift()! });
        if (!best.buf.length && best.block >= 0) break;
      }
      if (!picks.length) break;
      const read = await Promise.all(
        picks.map(({ rid, p }) => {
          const { seq, id } = parsePosting(p);
          return this.messages.messageAt(rid, seq, id);
        }),
      );
      for (const m of read) if (m && out.length < want && matches(m, q, fromUserId)) out.push(m);
    }
    return out;
  }

  private async readableRoomNamed(actor: Actor, name: string): Promise<RoomDoc | null> {
    try {
      const room = await this.rooms.roomByName(name);
      return (await this.rooms.requireReadable(actor, room._id)).room;
    } catch {
      return null; // unknown and unreadable rooms look the same: no results
    }
  }

  /** The caller's rooms, and public channels they may read without joining. */
  private async readableRooms(actor: Actor): Promise<RoomDoc[]> {
    const mine = await this.rooms.roomsOfUser(actor);
    const byId = new Map(mine.map((r) => [r._id, r]));
    if (SearchPolicy.maySearchDirectory(actor)) {
      const { rooms } = await this.rooms.listPublic(actor, undefined, 0, 1000);
      for (const r of rooms) if (!byId.has(r._id) && SearchPolicy.mayReadUnjoined(actor, r)) byId.set(r._id, r);
    }
    return [...byId.values()];
  }

  /** Queries with no index token (only in:/before:/after:): the newest messages of the room, a segment at a time. */
  private async scanRoom(room: RoomDoc, q: ParsedQuery, fromUserId: string | undefined, want: number): Promise<MessageDto[]> {
    const out: MessageDto[] = [];
    if (room.lastSeq <= 0) return out;
    const oldestWanted = q.after?.getTime();
    const floor = Math.max(1, room.lastSeq - MAX_UNINDEXED_SCAN + 1);
    for (let hi = room.lastSeq; hi >= floor && out.length < want; hi -= SEGMENT_SIZE) {
      const lo = Math.max(floor, hi - SEGMENT_SIZE + 1);
      const batch = (await this.messages.messagesAtSeqs(room._id, range(lo, hi))).reverse();
      for (const m of batch) if (out.length < want && matches(m, q, fromUserId)) out.push(m);
      const oldest = batch[batch.length - 1];
      if (oldestWanted !== undefined && oldest && Date.parse(oldest.ts) < oldestWanted) break;
    }
    return out;
  }

  // ---- maintenance ---------------------------------------------------------------------------

  /**
   * Rebuilds a room's index from its messages, one block at a time (for rooms with messages from
   * before the index existed, or after a restore). Returns the number of messages indexed.
   */
  async rebuildRoom(rid: string): Promise<number> {
    const room = await this.rooms.requireRoom(rid);
    let indexed = 0;
    for (let b = 0; b <= (room.lastSeq > 0 ? blockOf(room.lastSeq) : -1); b++) {
      const postings = new Map<string, string[]>();
      const end = Math.min(room.lastSeq, (b + 1) * BLOCK_SIZE);
      for (let lo = b * BLOCK_SIZE + 1; lo <= end; lo += SEGMENT_SIZE) {
        for (const m of await this.messages.messagesAtSeqs(rid, range(lo, Math.min(end, lo + SEGMENT_SIZE - 1)))) {
          const tokens = messageTokens(m);
          if (tokens.length) indexed++;
          const posting = postingOf(m);
          for (const t of tokens) {
            let list = postings.get(t);
            if (!list) postings.set(t, (list = []));
            list.push(posting);
          }
        }
      }
      await this.queue.run(rid, () => this.store.replaceBlock(rid, b, postings));
    }
    return indexed;
  }

  // ---- rooms and users (sidebar, directory) --------------------------------------------------

  async autocompleteRooms(actor: Actor, name: string): Promise<RoomAutocompleteItem[]> {
    const term = name.trim().toLowerCase();
    const candidates = new Map<string, RoomDoc>();
    for (const r of await this.rooms.roomsOfUser(actor)) if (r.t === 'c' || r.t === 'p') candidates.set(r._id, r);
    if (SearchPolicy.maySearchDirectory(actor)) {
      const { rooms } = await this.rooms.listPublic(actor, term || undefined, 0, 50);
      for (const r of rooms) candidates.set(r._id, r);
    }
    return [...candidates.values()]
      .filter((r) => (r.name ?? '').toLowerCase().includes(term))
      .sort((a, b) => rank(a.name ?? '', term) - rank(b.name ?? '', term) || (a.name ?? '').localeCompare(b.name ?? ''))
      .slice(0, 10)
      .map(presentRoomItem);
  }

  async autocompleteUsers(actor: Actor, term: string): Promise<UserAutocompleteItem[]> {
    const t = term.trim();
    const { users } = await this.accounts.listUsers(actor, t || undefined, 0, 50);
    const key = t.toLowerCase();
    return users
      .filter((u) => u.active)
      .sort((a, b) => rank(a.username, key) - rank(b.username, key) || a.username.localeCompare(b.username))
      .slice(0, 10)
      .map(presentUserItem);
  }
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let s = lo; s <= hi; s++) out.push(s);
  return out;
}

/** Names starting with the term first. */
function rank(name: string, term: string): number {
  return name.toLowerCase().startsWith(term) ? 0 : 1;
}
