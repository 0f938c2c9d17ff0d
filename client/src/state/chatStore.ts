/**
 * The client's chat state: rooms, subscriptions, loaded message lists, threads, pending
 * (optimistic) messages, typing and presence. Components read it with `useChat(selector)`;
 * every change replaces the changed objects so selectors stay cheap and stable.
 *
 * Consistency rules:
 *  - a message version is applied only when its `change` is newer than what we hold
 *    (see messageMerge.ts), so live events, history pages and sync results can arrive
 *    in any order and in any number without duplicating or resurrecting a message;
 *  - each loaded room keeps `syncCursor`, the change up to which it is known complete;
 *    after every (re)connect the store asks the server for changes since that cursor.
 */
import { useSyncExternalStore } from 'react';
import type { EphemeralMessageDto, MemberDto, MessageDto, RoomDto, SubscriptionDto, UserDto } from '@obmeet/contracts';
import { accountsApi, ApiError, errorMessage, messagesApi, roomsApi } from '../api';
import { realtime, type ConnectionState } from '../realtime';
import { randomId } from '../lib/ids';
import { meetingPath } from '../lib/router';
import { isInMainList, mergeMessages, removeMessage, type Tombstones } from './messageMerge';

export const SEND_TIMEOUT_MS = 10_000;
const TYPING_TTL_MS = 6_000;
const HISTORY_PAGE = 50;

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface Timeline {
  rid: string;
  /** ordered by seq; holds thread replies too (the list view filters them) */
  messages: MessageDto[];
  loaded: boolean;
  /** `before` cursor for the next older page; null when the room's first message is loaded */
  olderCursor: number | null;
  /** true when the loaded window stops short of the newest message (after a jump) */
  hasMoreAfter: boolean;
  /** every change up to this one is applied */
  syncCursor: number;
  loadingOlder: boolean;
  loadingNewer: boolean;
  error?: string;
}

export interface ThreadState {
  tmid: string;
  rid: string;
  parent?: MessageDto;
  replies: MessageDto[];
  total: number;
  loaded: boolean;
  error?: string;
}

export interface PendingMessage {
  _id: string;
  rid: string;
  msg: string;
  tmid?: string;
  tshow?: boolean;
  ts: string;
  status: 'sending' | 'failed';
  error?: string;
}

export interface TypingEntry {
  username: string;
  expires: number;
}

export interface UserSummary {
  _id: string;
  username: string;
  name: string;
  avatarUrl?: string;
}

export interface Toast {
  id: string;
  text: string;
  rid?: string;
  msgId?: string;
  /** a page to open instead of a room (a meeting) */
  href?: string;
  kind: 'info' | 'error';
  /** how long it stays (default 6 s) */
  ttlMs?: number;
}

export interface ChatState {
  me: UserDto | null;
  roomsLoaded: boolean;
  rooms: Record<string, RoomDto>;
  subs: Record<string, SubscriptionDto>;
  timelines: Record<string, Timeline>;
  threads: Record<string, ThreadState>;
  pending: Record<string, PendingMessage[]>;
  /** replies only this user sees (slash commands), per room; kept until dismissed or reload */
  ephemeral: Record<string, EphemeralMessageDto[]>;
  /** key: rid, or rid + ':' + tmid for typing inside a thread */
  typing: Record<string, TypingEntry[]>;
  presence: Record<string, PresenceStatus>;
  users: Record<string, UserSummary>;
  members: Record<string, MemberDto[]>;
  connection: ConnectionState;
  activeRid: string | null;
  toasts: Toast[];
}

const initialState = (): ChatState => ({
  me: null,
  roomsLoaded: false,
  rooms: {},
  subs: {},
  timelines: {},
  threads: {},
  pending: {},
  ephemeral: {},
  typing: {},
  presence: {},
  users: {},
  members: {},
  connection: 'connecting',
  activeRid: null,
  toasts: [],
});

interface UnreadModel {
  /** unread count in the last server snapshot */
  base: number;
  /** the snapshot counted messages up to this seq */
  coverSeq: number;
  /** later messages counted locally: id → seq */
  counted: Map<string, number>;
}

const unreadOf = (model: UnreadModel) => model.base + model.counted.size;

const emptyTimeline = (rid: string): Timeline => ({
  rid,
  messages: [],
  loaded: false,
  olderCursor: null,
  hasMoreAfter: false,
  syncCursor: 0,
  loadingOlder: false,
  loadingNewer: false,
});

function rangeOf(t: Timeline) {
  // an unloaded timeline collects everything: the first page is merged into it later
  if (!t.loaded) return {};
  return {
    minSeq: t.olderCursor === null ? undefined : t.messages[0]?.seq,
    maxSeq: t.hasMoreAfter ? t.messages[t.messages.length - 1]?.seq : undefined,
  };
}

export class ChatStore {
  state: ChatState = initialState();
  private readonly listeners = new Set<() => void>();
  private readonly tombstones: Tombstones = new Map();
  /**
   * How each room's unread count is kept between server snapshots. The server counts
   * unread as main-stream messages after the member's read position; a snapshot covers
   * the room up to `coverSeq`, and newer messages seen live are added once each.
   */
  private readonly unreadModel = new Map<string, UnreadModel>();
  private readonly pendingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly userLookups = new Map<string, Promise<void>>();
  private readonly markReadTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSweep: ReturnType<typeof setInterval> | null = null;
  private realtimeOff: (() => void)[] = [];
  private catchingUp: Promise<void> | null = null;
  private roomsLoadGeneration = 0;
  /** the router's callback for "the room you are in is gone" */
  onActiveRoomRemoved: (() => void) | null = null;
  onSessionEnded: (() => void) | null = null;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(update: (s: ChatState) => Partial<ChatState>) {
    this.state = { ...this.state, ...update(this.state) };
    this.listeners.forEach((l) => l());
  }

  // ---- session lifecycle -------------------------------------------------------

  /** Called after login or when a session is found: loads rooms and opens the socket. */
  async start(me: UserDto): Promise<void> {
    if (this.state.me) return; // already running for this session
    this.set(() => ({ me, presence: { [me.username]: 'online' } }));
    this.rememberUser(me);
    realtime.start();
    this.wireRealtime();
    await this.loadRoomsAndSubscriptions();
  }

  stop(): void {
    this.realtimeOff.forEach((off) => off());
    this.realtimeOff = [];
    realtime.stop();
    this.pendingTimers.forEach((t) => clearTimeout(t));
    this.markReadTimers.forEach((t) => clearTimeout(t));
    if (this.typingSweep) clearInterval(this.typingSweep);
    this.typingSweep = null;
    this.pendingTimers.clear();
    this.markReadTimers.clear();
    this.tombstones.clear();
    this.unreadModel.clear();
    this.userLookups.clear();
    this.state = initialState();
    this.listeners.forEach((l) => l());
  }

  setMe(me: UserDto): void {
    this.set(() => ({ me }));
    this.rememberUser(me);
  }

  async loadRoomsAndSubscriptions(): Promise<void> {
    // several events can ask for a reload at once: only the latest request may apply, so
    // an older answer arriving last cannot take away a room that was just created
    const generation = ++this.roomsLoadGeneration;
    const [rooms, subs] = await Promise.all([roomsApi.mine(), roomsApi.subscriptions()]);
    if (generation !== this.roomsLoadGeneration) return;
    const lastSeqOf = new Map(rooms.update.map((r) => [r._id, r.lastSeq]));
    this.unreadModel.clear();
    for (const sub of subs.update) {
      this.unreadModel.set(sub.rid, { base: sub.unread, coverSeq: lastSeqOf.get(sub.rid) ?? sub.readSeq, counted: new Map() });
    }
    this.set((s) => {
      const roomsById: Record<string, RoomDto> = Object.fromEntries(rooms.update.map((r) => [r._id, r]));
      // a public channel being previewed (not joined) is not in my list: keep it while it is open
      const previewed = s.activeRid ? s.rooms[s.activeRid] : undefined;
      if (previewed && !roomsById[previewed._id] && !subs.update.some((x) => x.rid === previewed._id)) roomsById[previewed._id] = previewed;
      return { rooms: roomsById, subs: Object.fromEntries(subs.update.map((x) => [x.rid, x])), roomsLoaded: true };
    });
    // direct-message partners: know their name, avatar and presence for the sidebar
    const me = this.state.me?.username;
    for (const sub of subs.update) if (sub.t === 'd' && !sub.name.includes(',') && sub.name !== me) void this.ensureUser(sub.name);
  }

  // ---- realtime ----------------------------------------------------------------

  private wireRealtime() {
    const off = this.realtimeOff;
    off.push(realtime.onStateChange((connection) => this.set(() => ({ connection }))));
    this.set(() => ({ connection: realtime.connectionState }));
    off.push(realtime.onConnect((isReconnect) => void this.catchUp(isReconnect)));
    off.push(realtime.onAuthFailure(() => this.onSessionEnded?.()));
    off.push(realtime.on('message.created', (m) => this.receiveMessage(m, true)));
    off.push(realtime.on('message.updated', (m) => this.receiveMessage(m, false)));
    off.push(realtime.on('reaction.changed', (m) => this.receiveMessage(m, false)));
    off.push(realtime.on('message.deleted', (e) => this.receiveDeletion(e.rid, e._id, e.change)));
    off.push(realtime.on('thread.updated', (e) => this.receiveThreadUpdate(e)));
    off.push(realtime.on('room.changed', (room) => this.receiveRoom(room)));
    off.push(realtime.on('room.removed', (e) => this.forgetRoom(e.rid)));
    off.push(realtime.on('subscription.changed', (sub) => this.receiveSubscription(sub)));
    off.push(realtime.on('membership.changed', (e) => this.receiveMembership(e)));
    off.push(realtime.on('typing', (e) => this.receiveTyping(e)));
    off.push(realtime.on('presence', (e) => this.set((s) => ({ presence: { ...s.presence, [e.username]: e.status } }))));
    off.push(realtime.on('notification', (e) => this.receiveNotification(e)));
    off.push(realtime.on('session.revoked', () => this.onSessionEnded?.()));
    off.push(realtime.on('message.ephemeral', (m) => this.receiveEphemeral(m)));
    off.push(realtime.on('meeting.invited', (e) => this.receiveInvitation(e)));
  }

  /**
   * After a (re)connect: events sent while we were away are lost, so fetch the room list
   * again and ask for every change since each loaded room's cursor.
   */
  catchUp(isReconnect: boolean): Promise<void> {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = (async () => {
      try {
        if (isReconnect) {
          // presence changes were missed too: look people up again
          this.userLookups.clear();
          await this.loadRoomsAndSubscriptions();
          await Promise.all(Object.keys(this.state.members).map((rid) => this.loadMembers(rid).catch(() => undefined)));
        }
        const loaded = Object.values(this.state.timelines).filter((t) => t.loaded);
        await Promise.all(loaded.map((t) => this.syncRoom(t.rid)));
        // threads opened while offline may have missed replies
        await Promise.all(Object.values(this.state.threads).filter((t) => t.loaded).map((t) => this.loadThread(t.rid, t.tmid)));
        const active = this.state.activeRid;
        if (active) this.scheduleMarkRead(active, 0);
      } catch (e) {
        // the next reconnect tries again; keep the UI usable meanwhile
        console.warn('catch-up failed', e);
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private async syncRoom(rid: string): Promise<void> {
    for (;;) {
      const timeline = this.state.timelines[rid];
      if (!timeline?.loaded) return;
      let result;
      try {
        ({ result } = await messagesApi.sync(rid, timeline.syncCursor));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
          this.forgetRoom(rid);
          return;
        }
        throw e;
      }
      this.applyChanges(rid, result.updated, result.deleted);
      this.updateTimeline(rid, (t) => ({ syncCursor: Math.max(t.syncCursor, result.cursor) }));
      if (!result.more) return;
    }
  }

  private applyChanges(rid: string, updated: MessageDto[], deleted: { _id: string; change: number }[]) {
    for (const d of deleted) this.receiveDeletion(rid, d._id, d.change, false);
    if (updated.length) this.mergeIntoRoom(rid, updated);
  }

  /** Merges message versions into the room's timeline and any open thread. */
  private mergeIntoRoom(rid: string, messages: MessageDto[]) {
    this.set((s) => {
      const patch: Partial<ChatState> = {};
      const timeline = s.timelines[rid];
      if (timeline) {
        const merged = mergeMessages(timeline.messages, messages, this.tombstones, rangeOf(timeline));
        if (merged !== timeline.messages) patch.timelines = { ...s.timelines, [rid]: { ...timeline, messages: merged } };
      }
      let threads = s.threads;
      for (const m of messages) {
        const thread = threads[m.tmid ?? ''] ?? threads[m._id];
        if (!thread) continue;
        if (thread.tmid === m._id) {
          if (!m.deleted && (!thread.parent || thread.parent.change < m.change)) threads = { ...threads, [m._id]: { ...thread, parent: m } };
          continue;
        }
        const replies = mergeMessages(thread.replies, [m], this.tombstones);
        if (replies !== thread.replies) threads = { ...threads, [thread.tmid]: { ...thread, replies } };
      }
      if (threads !== s.threads) patch.threads = threads;
      const ids = new Set(messages.map((m) => m._id));
      const pending = s.pending[rid];
      if (pending?.some((p) => ids.has(p._id))) {
        patch.pending = { ...s.pending, [rid]: pending.filter((p) => !ids.has(p._id)) };
        for (const id of ids) this.clearPendingTimer(id);
      }
      return patch;
    });
  }

  private receiveMessage(m: MessageDto, isNew: boolean) {
    const timeline = this.state.timelines[m.rid];
    // a contiguous change means nothing was missed: move the cursor along with it
    if (timeline?.loaded && m.change === timeline.syncCursor + 1) this.updateTimeline(m.rid, () => ({ syncCursor: m.change }));
    this.mergeIntoRoom(m.rid, [m]);
    if (isNew) this.countUnread(m);
  }

  private receiveDeletion(rid: string, id: string, change: number, advanceCursor = true) {
    const timeline = this.state.timelines[rid];
    if (advanceCursor && timeline?.loaded && change === timeline.syncCursor + 1) this.updateTimeline(rid, () => ({ syncCursor: change }));
    this.set((s) => {
      const patch: Partial<ChatState> = {};
      const t = s.timelines[rid];
      if (t) {
        const messages = removeMessage(t.messages, id, change, this.tombstones);
        if (messages !== t.messages) patch.timelines = { ...s.timelines, [rid]: { ...t, messages } };
      } else {
        removeMessage([], id, change, this.tombstones);
      }
      let threads = s.threads;
      for (const thread of Object.values(s.threads)) {
        if (thread.rid !== rid) continue;
        const replies = removeMessage(thread.replies, id, change, this.tombstones);
        if (replies !== thread.replies) threads = { ...threads, [thread.tmid]: { ...thread, replies } };
      }
      if (threads !== s.threads) patch.threads = threads;
      return patch;
    });
  }

  private receiveThreadUpdate(e: { rid: string; tmid: string; tcount: number; tlm: string; replies: string[] }) {
    const patchParent = (m: MessageDto): MessageDto => ({ ...m, tcount: e.tcount, tlm: e.tlm, replies: e.replies });
    this.set((s) => {
      const patch: Partial<ChatState> = {};
      const t = s.timelines[e.rid];
      if (t && t.messages.some((m) => m._id === e.tmid)) {
        patch.timelines = { ...s.timelines, [e.rid]: { ...t, messages: t.messages.map((m) => (m._id === e.tmid ? patchParent(m) : m)) } };
      }
      const thread = s.threads[e.tmid];
      if (thread?.parent) patch.threads = { ...s.threads, [e.tmid]: { ...thread, parent: patchParent(thread.parent), total: Math.max(thread.total, e.tcount) } };
      return patch;
    });
  }

  private receiveRoom(room: RoomDto) {
    this.set((s) => ({ rooms: { ...s.rooms, [room._id]: room } }));
    if (!this.state.subs[room._id]) void this.loadRoomsAndSubscriptions().catch(() => undefined);
  }

  private receiveSubscription(incoming: SubscriptionDto) {
    const previous = this.state.subs[incoming.rid];
    let model = this.unreadModel.get(incoming.rid);
    if (!previous || !model || previous.readSeq !== incoming.readSeq) {
      // the read position moved (or the room is new): the snapshot's count is the new base
      const counted = new Map([...(model?.counted ?? [])].filter(([, seq]) => seq > incoming.readSeq));
      model = { base: incoming.unread, coverSeq: incoming.readSeq, counted };
      this.unreadModel.set(incoming.rid, model);
    }
    // otherwise (a mention, a flag) the snapshot may or may not include messages we
    // already counted, so its unread figure is not used; mentions come from the server
    const sub = { ...incoming, unread: unreadOf(model) };
    this.set((s) => ({ subs: { ...s.subs, [sub.rid]: sub } }));
    if (!this.state.rooms[sub.rid]) void this.loadRoomsAndSubscriptions().catch(() => undefined);
    if (sub.rid === this.state.activeRid && document.visibilityState === 'visible' && (sub.unread > 0 || sub.userMentions > 0)) {
      this.scheduleMarkRead(sub.rid);
    }
  }

  private receiveMembership(e: { rid: string; userId: string; username: string; action: 'added' | 'removed' }) {
    if (e.userId === this.state.me?._id) {
      if (e.action === 'removed') this.forgetRoom(e.rid);
      else void this.loadRoomsAndSubscriptions().catch(() => undefined);
      return;
    }
    if (this.state.members[e.rid]) void this.loadMembers(e.rid);
  }

  private receiveTyping(e: { rid: string; username: string; typing: boolean; tmid?: string }) {
    if (e.username === this.state.me?.username) return;
    const key = e.tmid ? `${e.rid}:${e.tmid}` : e.rid;
    this.set((s) => {
      const others = (s.typing[key] ?? []).filter((t) => t.username !== e.username);
      const entries = e.typing ? [...others, { username: e.username, expires: Date.now() + TYPING_TTL_MS }] : others;
      return { typing: { ...s.typing, [key]: entries } };
    });
    // typing:false can be lost with a dropped socket; entries also expire on their own
    if (!this.typingSweep) {
      this.typingSweep = setInterval(() => {
        const now = Date.now();
        const typing = this.state.typing;
        const anyExpired = Object.values(typing).some((list) => list.some((t) => t.expires <= now));
        if (anyExpired) {
          this.set(() => ({
            typing: Object.fromEntries(Object.entries(typing).map(([k, list]) => [k, list.filter((t) => t.expires > now)])),
          }));
        }
      }, 1000);
    }
  }

  private receiveNotification(e: { rid: string; messageId: string; kind: 'mention' | 'dm'; from: string }) {
    if (e.rid === this.state.activeRid && document.visibilityState === 'visible') return;
    const sub = this.state.subs[e.rid];
    const where = sub ? (sub.t === 'd' ? 'a direct message' : `#${sub.fname ?? sub.name}`) : 'a room';
    const text = e.kind === 'dm' ? `New direct message from @${e.from}` : `@${e.from} mentioned you in ${where}`;
    this.toast({ text, rid: e.rid, msgId: e.messageId, kind: 'info' });
  }

  /** Someone invited us to a meeting: a notice that opens it (it is in our calendar feed too). */
  private receiveInvitation(e: { meetingId: string; title: string; status: string; scheduledStart?: string; from: string }) {
    const when =
      e.status === 'cancelled'
        ? ' (cancelled)'
        : e.scheduledStart && e.status === 'scheduled'
          ? `, ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(e.scheduledStart))}`
          : ' — happening now';
    this.toast({ text: `@${e.from} invited you to “${e.title}”${when}`, href: meetingPath(e.meetingId), kind: 'info', ttlMs: 30_000 });
  }

  /** A new message in a room you are not looking at raises its unread count (mention counts come from the server). */
  private countUnread(m: MessageDto) {
    const me = this.state.me;
    if (!me || m.u._id === me._id || m.t || !isInMainList(m)) return;
    if (m.rid === this.state.activeRid && document.visibilityState === 'visible') {
      this.scheduleMarkRead(m.rid);
      return;
    }
    const sub = this.state.subs[m.rid];
    const model = this.unreadModel.get(m.rid);
    if (!sub || !model || m.seq <= model.coverSeq || model.counted.has(m._id)) return;
    model.counted.set(m._id, m.seq);
    this.set((s) => ({ subs: { ...s.subs, [m.rid]: { ...sub, unread: unreadOf(model), open: true } } }));
  }

  // ---- rooms -------------------------------------------------------------------

  setActiveRoom(rid: string | null): void {
    if (this.state.activeRid === rid) return;
    // leaving a room: send its pending "read" now, while it can only cover what was seen
    const leaving = this.state.activeRid;
    if (leaving) this.flushMarkRead(leaving);
    this.set(() => ({ activeRid: rid }));
    if (rid) this.scheduleMarkRead(rid, 0);
  }

  /** Tells the server the room is read (debounced) and clears the badge at once. */
  scheduleMarkRead(rid: string, delayMs = 400): void {
    const sub = this.state.subs[rid];
    if (!sub) return;
    const newestSeq = Math.max(this.state.rooms[rid]?.lastSeq ?? 0, this.state.timelines[rid]?.messages.at(-1)?.seq ?? 0, sub.readSeq);
    this.unreadModel.set(rid, { base: 0, coverSeq: newestSeq, counted: new Map() });
    if (sub.unread > 0 || sub.userMentions > 0 || sub.groupMentions > 0) {
      this.set((s) => ({ subs: { ...s.subs, [rid]: { ...sub, unread: 0, userMentions: 0, groupMentions: 0 } } }));
    }
    const serverBehind = sub.unread > 0 || sub.userMentions > 0 || sub.groupMentions > 0 || newestSeq > sub.readSeq;
    if (!serverBehind) return;
    clearTimeout(this.markReadTimers.get(rid));
    this.markReadTimers.set(
      rid,
      setTimeout(() => {
        this.markReadTimers.delete(rid);
        void roomsApi.markRead(rid).catch(() => undefined);
      }, delayMs),
    );
  }

  private flushMarkRead(rid: string): void {
    if (!this.markReadTimers.has(rid)) return;
    clearTimeout(this.markReadTimers.get(rid));
    this.markReadTimers.delete(rid);
    void roomsApi.markRead(rid).catch(() => undefined);
  }

  forgetRoom(rid: string): void {
    const wasActive = this.state.activeRid === rid;
    this.unreadModel.delete(rid);
    this.set((s) => {
      const omit = <T,>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== rid));
      return {
        rooms: omit(s.rooms),
        subs: omit(s.subs),
        timelines: omit(s.timelines),
        members: omit(s.members),
        pending: omit(s.pending),
        ephemeral: omit(s.ephemeral),
      };
    });
    if (wasActive) this.onActiveRoomRemoved?.();
  }

  /** A public channel the user does not belong to (opened from a link or the directory). */
  async fetchRoom(rid: string): Promise<RoomDto | null> {
    if (this.state.rooms[rid]) return this.state.rooms[rid];
    try {
      const room = await roomsApi.info('c', rid);
      this.set((s) => ({ rooms: { ...s.rooms, [rid]: room } }));
      return room;
    } catch {
      return null;
    }
  }

  /** Applies a subscription change we made ourselves before the server's event confirms it. */
  patchSubscription(rid: string, patch: Partial<SubscriptionDto>): void {
    const sub = this.state.subs[rid];
    if (sub) this.set((s) => ({ subs: { ...s.subs, [rid]: { ...sub, ...patch } } }));
  }

  addRoom(room: RoomDto): void {
    this.set((s) => ({ rooms: { ...s.rooms, [room._id]: room } }));
  }

  async loadMembers(rid: string): Promise<void> {
    const room = this.state.rooms[rid];
    if (!room) return;
    if (room.t === 'd') {
      // direct rooms list their usernames on the room itself
      const usernames = room.usernames ?? [];
      await Promise.all(usernames.map((u) => this.ensureUser(u)));
      const members: MemberDto[] = usernames.map((username) => {
        const u = this.state.users[username];
        return { _id: u?._id ?? username, username, name: u?.name ?? username, status: this.state.presence[username] ?? 'offline', roles: [] };
      });
      this.set((s) => ({ members: { ...s.members, [rid]: members } }));
      return;
    }
    const { members } = await roomsApi.members(room.t, rid);
    this.set((s) => {
      const presence = { ...s.presence };
      for (const m of members) presence[m.username] = m.status;
      return { members: { ...s.members, [rid]: members }, presence };
    });
  }

  // ---- users -------------------------------------------------------------------

  rememberUser(u: { _id: string; username: string; name?: string; avatarUrl?: string; status?: PresenceStatus }): void {
    this.set((s) => ({
      users: { ...s.users, [u.username]: { _id: u._id, username: u.username, name: u.name ?? u.username, avatarUrl: u.avatarUrl } },
      presence: u.status ? { ...s.presence, [u.username]: u.status } : s.presence,
    }));
  }

  /** Fetches a user's public profile once per session (name, avatar, presence). */
  ensureUser(username: string): Promise<void> {
    let lookup = this.userLookups.get(username);
    if (!lookup) {
      lookup = accountsApi
        .userInfo({ username })
        .then(({ user }) => this.rememberUser(user))
        .catch(() => undefined);
      this.userLookups.set(username, lookup);
    }
    return lookup;
  }

  // ---- history -----------------------------------------------------------------

  private updateTimeline(rid: string, update: (t: Timeline) => Partial<Timeline>) {
    this.set((s) => {
      const t = s.timelines[rid] ?? emptyTimeline(rid);
      return { timelines: { ...s.timelines, [rid]: { ...t, ...update(t) } } };
    });
  }

  /** Loads the newest page of a room (once); later changes arrive by events and sync. */
  async openTimeline(rid: string): Promise<void> {
    const existing = this.state.timelines[rid];
    if (existing?.loaded && !existing.error) return;
    // created before the request so live events arriving meanwhile are kept, then merged
    if (!existing) this.updateTimeline(rid, () => ({}));
    await this.loadLatest(rid);
  }

  /** Replaces the window with the newest page (used after a jump, "Jump to latest"). */
  async loadLatest(rid: string): Promise<void> {
    try {
      const page = await messagesApi.history(rid, undefined, HISTORY_PAGE);
      this.set((s) => {
        const t = s.timelines[rid] ?? emptyTimeline(rid);
        // A contiguous loaded list just gains the page. Otherwise (first load, or a jumped
        // window) start from the page plus whatever live events arrived while it loaded,
        // minus events about older messages, which would leave a gap above the page.
        const contiguous = t.loaded && !t.hasMoreAfter;
        const oldestOnPage = page.messages[page.messages.length - 1]?.seq;
        const base = contiguous
          ? t.messages
          : t.loaded
            ? []
            : t.messages.filter((m) => page.before === null || oldestOnPage === undefined || m.seq >= oldestOnPage);
        return {
          timelines: {
            ...s.timelines,
            [rid]: {
              ...t,
              messages: mergeMessages(base, page.messages, this.tombstones),
              loaded: true,
              error: undefined,
              olderCursor: contiguous ? t.olderCursor : page.before,
              hasMoreAfter: false,
              syncCursor: contiguous ? Math.max(t.syncCursor, page.lastChange) : page.lastChange,
            },
          },
        };
      });
    } catch (e) {
      this.updateTimeline(rid, () => ({ error: errorMessage(e) }));
      throw e;
    }
  }

  async loadOlder(rid: string): Promise<void> {
    const t = this.state.timelines[rid];
    if (!t?.loaded || t.loadingOlder || t.olderCursor === null) return;
    this.updateTimeline(rid, () => ({ loadingOlder: true }));
    try {
      const page = await messagesApi.history(rid, t.olderCursor, HISTORY_PAGE);
      this.set((s) => {
        const cur = s.timelines[rid];
        if (!cur) return {};
        const messages = mergeMessages(cur.messages, page.messages, this.tombstones);
        return { timelines: { ...s.timelines, [rid]: { ...cur, messages, olderCursor: page.before, loadingOlder: false } } };
      });
    } catch (e) {
      this.updateTimeline(rid, () => ({ loadingOlder: false }));
      throw e;
    }
  }

  /** After a jump the window may stop before the newest message: page forward around its end. */
  async loadNewer(rid: string): Promise<void> {
    const t = this.state.timelines[rid];
    const newest = t?.messages[t.messages.length - 1];
    if (!t?.loaded || t.loadingNewer || !t.hasMoreAfter || !newest) return;
    this.updateTimeline(rid, () => ({ loadingNewer: true }));
    try {
      const page = await messagesApi.around(rid, newest._id, HISTORY_PAGE);
      this.set((s) => {
        const cur = s.timelines[rid];
        if (!cur) return {};
        const messages = mergeMessages(cur.messages, page.messages, this.tombstones);
        const hasMoreAfter = page.hasMoreAfter;
        return {
          timelines: {
            ...s.timelines,
            [rid]: { ...cur, messages, hasMoreAfter, loadingNewer: false, syncCursor: hasMoreAfter ? cur.syncCursor : Math.max(cur.syncCursor, page.lastChange) },
          },
        };
      });
    } catch (e) {
      this.updateTimeline(rid, () => ({ loadingNewer: false }));
      throw e;
    }
  }

  /** Makes sure a message is in the loaded window; loads a page around it when it is not. */
  async jumpTo(rid: string, msgId: string): Promise<boolean> {
    const t = this.state.timelines[rid];
    if (t?.loaded && t.messages.some((m) => m._id === msgId)) return true;
    const page = await messagesApi.around(rid, msgId, HISTORY_PAGE);
    if (!page.messages.some((m) => m._id === msgId)) return false;
    this.set((s) => {
      const cur = s.timelines[rid] ?? emptyTimeline(rid);
      const messages = mergeMessages([], page.messages, this.tombstones);
      return {
        timelines: {
          ...s.timelines,
          [rid]: {
            ...cur,
            messages,
            loaded: true,
            error: undefined,
            olderCursor: page.before,
            hasMoreAfter: page.hasMoreAfter,
            syncCursor: Math.max(cur.syncCursor, page.lastChange),
          },
        },
      };
    });
    return true;
  }

  // ---- threads -----------------------------------------------------------------

  async loadThread(rid: string, tmid: string): Promise<void> {
    if (!this.state.threads[tmid]) this.set((s) => ({ threads: { ...s.threads, [tmid]: { tmid, rid, replies: [], total: 0, loaded: false } } }));
    try {
      const parentFromTimeline = this.state.timelines[rid]?.messages.find((m) => m._id === tmid);
      const [parent, first] = await Promise.all([
        parentFromTimeline ? Promise.resolve(parentFromTimeline) : messagesApi.getMessage(tmid).then((r) => r.message),
        messagesApi.threadMessages(tmid, 200, 0),
      ]);
      let replies = first.messages;
      // long threads: fetch the rest so the panel shows the whole conversation
      while (replies.length < first.total && replies.length < 2000) {
        const next = await messagesApi.threadMessages(tmid, 200, replies.length);
        if (!next.messages.length) break;
        replies = replies.concat(next.messages);
      }
      this.set((s) => {
        const cur = s.threads[tmid];
        if (!cur) return {}; // closed while loading
        return {
          threads: {
            ...s.threads,
            [tmid]: { ...cur, parent, replies: mergeMessages(cur.replies, replies, this.tombstones), total: first.total, loaded: true, error: undefined },
          },
        };
      });
    } catch (e) {
      this.set((s) => (s.threads[tmid] ? { threads: { ...s.threads, [tmid]: { ...s.threads[tmid], loaded: false, error: errorMessage(e) } } } : {}));
    }
  }

  /** The thread panel closed: stop keeping (and re-syncing) its replies. */
  closeThread(tmid: string): void {
    this.set((s) => ({ threads: Object.fromEntries(Object.entries(s.threads).filter(([k]) => k !== tmid)) }));
  }

  // ---- sending -----------------------------------------------------------------

  /** Shows the message at once, sends it, and marks it failed when no ack comes in time. */
  sendMessage(rid: string, msg: string, options: { tmid?: string; tshow?: boolean } = {}): void {
    const pending: PendingMessage = {
      _id: randomId(),
      rid,
      msg,
      tmid: options.tmid,
      tshow: options.tshow,
      ts: new Date().toISOString(),
      status: 'sending',
    };
    this.set((s) => ({ pending: { ...s.pending, [rid]: [...(s.pending[rid] ?? []), pending] } }));
    void this.transmit(pending);
  }

  retryMessage(rid: string, id: string): void {
    const pending = this.state.pending[rid]?.find((p) => p._id === id);
    if (!pending) return;
    const retry = { ...pending, status: 'sending' as const, error: undefined };
    this.replacePending(retry);
    void this.transmit(retry);
  }

  discardMessage(rid: string, id: string): void {
    this.clearPendingTimer(id);
    this.set((s) => ({ pending: { ...s.pending, [rid]: (s.pending[rid] ?? []).filter((p) => p._id !== id) } }));
  }

  private replacePending(p: PendingMessage) {
    this.set((s) => ({ pending: { ...s.pending, [p.rid]: (s.pending[p.rid] ?? []).map((x) => (x._id === p._id ? p : x)) } }));
  }

  private clearPendingTimer(id: string) {
    clearTimeout(this.pendingTimers.get(id));
    this.pendingTimers.delete(id);
  }

  private async transmit(p: PendingMessage) {
    const markFailed = (error: string) => {
      const still = this.state.pending[p.rid]?.find((x) => x._id === p._id);
      if (still && still.status === 'sending') this.replacePending({ ...still, status: 'failed', error });
    };
    this.clearPendingTimer(p._id);
    this.pendingTimers.set(p._id, setTimeout(() => markFailed('Not delivered: the server did not confirm in time.'), SEND_TIMEOUT_MS));
    try {
      const body = { _id: p._id, rid: p.rid, msg: p.msg, ...(p.tmid ? { tmid: p.tmid } : {}), ...(p.tshow ? { tshow: true } : {}) };
      const { message } = await messagesApi.send(body, SEND_TIMEOUT_MS);
      this.clearPendingTimer(p._id);
      this.mergeIntoRoom(p.rid, [message]);
      // the server has it even if the event has not arrived yet
      this.discardMessage(p.rid, p._id);
    } catch (e) {
      this.clearPendingTimer(p._id);
      markFailed(e instanceof ApiError ? e.message : 'Not delivered: could not reach the server.');
    }
  }

  // ---- message actions -----------------------------------------------------------

  async editMessage(m: MessageDto, text: string): Promise<void> {
    const r = await messagesApi.update(m.rid, m._id, text);
    if (r.message) this.mergeIntoRoom(m.rid, [r.message]);
  }

  async deleteMessage(m: MessageDto): Promise<void> {
    await messagesApi.remove(m.rid, m._id);
  }

  // ---- ephemeral replies (slash commands) ------------------------------------------

  /** Adds a private reply, or replaces the earlier one with the same id (a command's follow-up). */
  receiveEphemeral(m: EphemeralMessageDto): void {
    this.set((s) => {
      const list = s.ephemeral[m.rid] ?? [];
      const next = list.some((e) => e._id === m._id) ? list.map((e) => (e._id === m._id ? m : e)) : [...list, m];
      return { ephemeral: { ...s.ephemeral, [m.rid]: next } };
    });
  }

  dismissEphemeral(rid: string, id: string): void {
    this.set((s) => ({ ephemeral: { ...s.ephemeral, [rid]: (s.ephemeral[rid] ?? []).filter((e) => e._id !== id) } }));
  }

  /** Runs a slash command; its answer is either a private reply or a normal message. */
  async runCommand(rid: string, command: string, params: string, tmid?: string): Promise<void> {
    const result = await messagesApi.runCommand(command, params, rid, tmid);
    if (result.response_type === 'ephemeral') this.receiveEphemeral(result.message);
    else if (result.message) this.mergeIntoRoom(result.message.rid, [result.message]);
  }

  // ---- toasts --------------------------------------------------------------------

  toast(t: Omit<Toast, 'id'>): void {
    const toast = { ...t, id: randomId(8) };
    this.set((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
    setTimeout(() => this.dismissToast(toast.id), t.ttlMs ?? 6000);
  }

  dismissToast(id: string): void {
    this.set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  }
}

export const chatStore = new ChatStore();

/** Reads a slice of the chat state; the component re-renders only when the slice changes. */
export function useChat<T>(selector: (s: ChatState) => T): T {
  return useSyncExternalStore(chatStore.subscribe, () => selector(chatStore.state));
}
