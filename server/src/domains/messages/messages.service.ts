import { ErrorCodes, type HistoryPage, type MessageAttachment, type MessageDto, type MessageLocation, type MessageMeetingDto, type SyncResult } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { newId } from '../../ids.js';
import { can, type Actor } from '../accounts/index.js';
import type { AccountsService } from '../accounts/index.js';
import { presentRoom, RoomPolicy, type RoomDoc, type RoomsService } from '../rooms/index.js';
import type { SettingsService } from '../settings/index.js';
import { fileAttachment, safeHttpUrl, sanitizeAttachments, type UploadedFileInput } from './messages.attachments.js';
import { RoomMessageCache } from './messages.cache.js';
import { segmentOf, type MessageDoc } from './messages.model.js';
import { isMainStream, presentMessage } from './messages.present.js';
import type { MessagesStore } from './messages.store.js';

const MENTION_RE = /(?:^|[^\w@])@([a-zA-Z0-9][a-zA-Z0-9._-]*)/g;

export interface SendInput {
  _id?: string;
  rid: string;
  msg: string;
  tmid?: string;
  tshow?: boolean;
  /** name and avatar shown instead of the poster's (integrations only: never from a client body) */
  alias?: string;
  avatar?: string;
  /** already sanitised attachments (integrations, commands) */
  attachments?: MessageAttachment[];
  /** an action message (`/me`) */
  action?: boolean;
  /** the integration that posted it: outgoing webhooks skip such messages */
  bot?: { i: string };
  /** an uploaded file (files domain only: never from a client body) */
  file?: UploadedFileInput;
  /** a shared location (location domain, validated there) */
  location?: MessageLocation;
  /** a meeting summary (meetings domain only: never from a client body) */
  meeting?: MessageMeetingDto;
}

/**
 * Called after a message write (outside the room's lock), so other domains keep derived data in
 * step: the search index, uploaded files. A returned promise is awaited before the write answers
 * (a hook that may lag, like the search index, queues its work and returns nothing). A failing
 * hook is logged by its owner, never undoes the write.
 */
export interface MessageHooks {
  created: ((message: MessageDto) => Promise<void> | void)[];
  edited: ((before: MessageDto, after: MessageDto) => Promise<void> | void)[];
  /** `before` is the message as it was (text, file) */
  deleted: ((before: MessageDto) => Promise<void> | void)[];
}

export class MessagesService {
  readonly cache: RoomMessageCache;
  /** Called after every write, so other server processes can drop their cached snapshot. */
  onRoomWritten: (rid: string) => void = () => {};
  readonly hooks: MessageHooks = { created: [], edited: [], deleted: [] };

  constructor(
    private readonly store: MessagesStore,
    private readonly rooms: RoomsService,
    private readonly accounts: AccountsService,
    private readonly settings: SettingsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    cacheOptions = { maxRooms: 1000, perRoom: 100 },
  ) {
    this.cache = new RoomMessageCache(cacheOptions.maxRooms, cacheOptions.perRoom);
    rooms.postSystemMessage = (rid, type, text, actor) => this.postSystem(rid, type, text, actor);
    rooms.onRoomDeletion(async (room) => {
      await this.store.dropRoom(room._id);
      this.written(room._id);
    });
  }

  private written(rid: string): void {
    this.cache.invalidate(rid);
    this.onRoomWritten(rid);
  }

  // ---- sending -----------------------------------------------------------------------------

  /**
   * Stores a message and returns it. The id may come from the client: a retry with the same id
   * returns the stored message and never creates a second one. Returns only after the write.
   */
  async send(actor: Actor, input: SendInput): Promise<MessageDto> {
    const text = input.msg;
    const attachments = [...(input.file ? [fileAttachment(input.file)] : []), ...sanitizeAttachments(input.attachments)];
    if (!text.trim() && !attachments.length) throw Errors.of(ErrorCodes.emptyMessage, 'The message is empty');
    const max = await this.settings.get('messages.maxLength');
    if (text.length > max) throw Errors.of(ErrorCodes.messageTooLong, `The message is longer than ${max} characters`);

    const { room } = await this.rooms.requirePostable(actor, input.rid);
    let parent: MessageDoc | null = null;
    if (input.tmid) {
      parent = await this.findInRoom(room._id, input.tmid);
      if (!parent || parent.deleted) throw Errors.notFound('Thread');
      if (parent.tmid) throw Errors.invalid('Reply to the thread, not to a reply');
    }
    // one write at a time per room: FerretDB's $inc is not atomic (see room-locks.ts)
    const dto = await this.rooms.locks.run(room._id, () => this.storeMessage(actor, input, room, parent, text, attachments));
    for (const hook of this.hooks.created) await hook(dto);
    return dto;
  }

  /** The write part of send(), under the room's lock. */
  private async storeMessage(
    actor: Actor,
    input: SendInput,
    room: RoomDoc,
    parent: MessageDoc | null,
    text: string,
    attachments: MessageAttachment[],
  ): Promise<MessageDto> {
    const id = input._id ?? newId();
    const existing = await this.store.claimId(id, room._id);
    let seq: number | null = null;
    if (existing) {
      if (existing.rid !== room._id) throw Errors.conflict(ErrorCodes.conflict, 'This message id is already used');
      if (existing.seq !== null) {
        const stored = await this.store.message(room._id, existing.seq, id);
        if (stored) {
          if (stored.u._id !== actor.userId) throw Errors.conflict(ErrorCodes.conflict, 'This message id is already used');
          return presentMessage(stored); // a retry: the same message, once
        }
        seq = existing.seq; // a previous attempt allocated a slot and stopped: finish it
      }
    }

    const mentions = await this.resolveMentions(actor, room, text);
    const main = !input.tmid || Boolean(input.tshow);
    const now = this.clock.now();
    this.cache.invalidate(room._id);
    let change: number;
    let afterAlloc: RoomDoc;
    if (seq === null) {
      const changes = parent ? 2 : 1;
      const allocated = await this.rooms.allocateMessage(
        room._id,
        { seqs: 1, changes, msgs: main ? 1 : 0 },
        main ? { lastMessage: { _id: id, msg: text.slice(0, 300), u: { _id: actor.userId, username: actor.username }, ts: now } } : {},
      );
      if (!allocated) throw Errors.notFound('Room');
      afterAlloc = allocated;
      seq = allocated.lastSeq;
      change = allocated.lastChange - changes + 1;
      await this.store.setRefSeq(id, seq);
    } else {
      const allocated = await this.rooms.allocateMessage(room._id, { seqs: 0, changes: parent ? 2 : 1, msgs: 0 }, {});
      if (!allocated) throw Errors.notFound('Room');
      afterAlloc = allocated;
      change = allocated.lastChange - (parent ? 2 : 1) + 1;
    }

    const user = await this.accounts.requireUser(actor.userId);
    const doc: MessageDoc = {
      _id: id,
      rid: room._id,
      seq,
      change,
      msg: text,
      u: { _id: actor.userId, username: actor.username, name: user.name },
      ts: now,
      updatedAt: now,
      ...(input.tmid ? { tmid: input.tmid, tshow: Boolean(input.tshow) } : {}),
      ...(mentions.users.length ? { mentions: mentions.users } : {}),
      ...(input.alias ? { alias: input.alias } : {}),
      ...(safeHttpUrl(input.avatar) ? { avatar: safeHttpUrl(input.avatar) } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(input.action ? { action: true } : {}),
      ...(input.bot ? { bot: { i: input.bot.i } } : {}),
      ...(input.file ? { file: { _id: input.file._id, name: input.file.name, type: input.file.type, size: input.file.size } } : {}),
      ...(input.location ? { location: input.location } : {}),
      ...(input.meeting ? { meeting: input.meeting } : {}),
    };
    await this.store.insertMessage(doc);
    await this.store.insertChange(room._id, change, id, seq);

    let parentAfter: MessageDoc | null = null;
    if (parent) {
      await this.store.addThreadEntry(room._id, parent._id, id, seq);
      parentAfter = await this.store.updateMessage(room._id, parent.seq, parent._id, {
        $inc: { tcount: 1 },
        $set: { tlm: now, change: change + 1, updatedAt: now },
        $addToSet: { replies: actor.userId },
      });
      await this.store.insertChange(room._id, change + 1, parent._id, parent.seq);
    }
    this.written(room._id);

    const dto = presentMessage(doc);
    await this.rooms.markReadUpTo(actor.userId, afterAlloc);
    await this.rooms.reopenDirect(room);
    if (mentions.users.length || mentions.all) {
      await this.rooms.addMentions(room._id, mentions.users.map((u) => u._id), mentions.all, actor.userId);
    }
    const notifyUserIds =
      room.t === 'd' ? (room.uids ?? []).filter((u) => u !== actor.userId) : mentions.users.map((u) => u._id).filter((u) => u !== actor.userId);
    this.events.emit('message.created', {
      message: dto,
      mentionedUserIds: mentions.users.map((u) => u._id),
      notifyUserIds,
      ...(mentions.group ? { groupMention: mentions.group } : {}),
    });
    if (parentAfter) {
      this.events.emit('thread.updated', {
        rid: room._id,
        tmid: parentAfter._id,
        tcount: parentAfter.tcount ?? 0,
        tlm: (parentAfter.tlm ?? now).toISOString(),
        replies: parentAfter.replies ?? [],
      });
      this.events.emit('message.updated', { message: presentMessage(parentAfter) });
    }
    this.events.emit('room.changed', { room: presentRoom(afterAlloc) });
    return dto;
  }

  /** Join/leave/rename notices. They do not raise unread counts. */
  postSystem(rid: string, type: string, text: string, actor: Actor): Promise<void> {
    return this.rooms.locks.run(rid, () => this.storeSystem(rid, type, text, actor));
  }

  private async storeSystem(rid: string, type: string, text: string, actor: Actor): Promise<void> {
    const id = newId();
    await this.store.claimId(id, rid);
    this.cache.invalidate(rid);
    const allocated = await this.rooms.allocateMessage(rid, { seqs: 1, changes: 1, msgs: 0 }, {});
    if (!allocated) return;
    await this.store.setRefSeq(id, allocated.lastSeq);
    const now = this.clock.now();
    const doc: MessageDoc = {
      _id: id,
      rid,
      seq: allocated.lastSeq,
      change: allocated.lastChange,
      msg: text,
      t: type,
      u: { _id: actor.userId, username: actor.username },
      ts: now,
      updatedAt: now,
    };
    await this.store.insertMessage(doc);
    await this.store.insertChange(rid, doc.change, id, doc.seq);
    this.written(rid);
    this.events.emit('message.created', { message: presentMessage(doc), mentionedUserIds: [], notifyUserIds: [] });
  }

  private async resolveMentions(actor: Actor, room: RoomDoc, text: string) {
    const names = new Set<string>();
    let all = false;
    // @all reaches every member, @here only those online (Rocket.Chat); @all wins when both appear
    let group: 'all' | 'here' | undefined;
    for (const m of text.matchAll(MENTION_RE)) {
      const name = m[1]!.replace(/[.]+$/, '').toLowerCase();
      if (name === 'all' || name === 'here') {
        all = true;
        if (group !== 'all') group = name;
      } else names.add(name);
    }
    if (all && !can(actor, 'mention-all')) {
      all = false;
      group = undefined;
    }
    const users: { _id: string; username: string }[] = [];
    if (names.size) {
      for (const u of await this.accounts.usersByUsernames([...names].slice(0, 50))) {
        if (await this.rooms.subscription(room._id, u._id)) users.push({ _id: u._id, username: u.username });
      }
    }
    return { users, all, group };
  }

  // ---- reading -----------------------------------------------------------------------------

  /** Newest-first page of the room's stream, older than `before` (a seq), or the newest page. */
  async history(actor: Actor, rid: string, opts: { before?: number; around?: string; count: number }): Promise<HistoryPage> {
    const { room } = await this.rooms.requireReadable(actor, rid);
    if (opts.around) return this.around(room, opts.around, opts.count);
    if (opts.before === undefined) return this.newest(room, opts.count);
    const { messages, more } = await this.mainBefore(room, opts.before, opts.count);
    return this.page(room, messages, more, false);
  }

  private page(room: RoomDoc, newestFirst: MessageDoc[], more: boolean, hasMoreAfter: boolean): HistoryPage {
    const last = newestFirst[newestFirst.length - 1];
    return {
      messages: newestFirst.map(presentMessage),
      before: more && last ? last.seq : null,
      hasMoreAfter,
      lastChange: room.lastChange,
    };
  }

  private async newest(room: RoomDoc, count: number): Promise<HistoryPage> {
    const cached = this.cache.get(room._id, room.lastChange);
    if (cached && (cached.messages.length >= count || cached.complete)) {
      const newestFirst = cached.messages.slice(-count).reverse();
      const more = cached.messages.length > count || !cached.complete;
      return this.page(room, newestFirst, more, false);
    }
    const generation = this.cache.generation(room._id);
    const want = Math.max(count, this.cache.perRoom);
    const { messages, more } = await this.mainBefore(room, room.lastSeq + 1, want);
    this.cache.fill(room._id, generation, { lastChange: room.lastChange, messages: [...messages].reverse(), complete: !more });
    const page = messages.slice(0, count);
    return this.page(room, page, more || messages.length > count, false);
  }

  /** Main-stream messages with seq < before, newest first, reading segments backwards. */
  private async mainBefore(room: RoomDoc, before: number, count: number): Promise<{ messages: MessageDoc[]; more: boolean }> {
    const out: MessageDoc[] = [];
    const upper = Math.min(before, room.lastSeq + 1);
    for (let k = upper > 1 ? segmentOf(upper - 1) : -1; k >= 0; k--) {
      const seg = await this.store.segmentMessages(room._id, k);
      for (let i = seg.length - 1; i >= 0; i--) {
        const m = seg[i]!;
        if (m.seq < upper && isMainStream(m)) out.push(m);
      }
      if (out.length > count) return { messages: out.slice(0, count), more: true };
    }
    return { messages: out.slice(0, count), more: out.length > count };
  }

  /** Main-stream messages with seq > after, oldest first. */
  private async mainAfter(room: RoomDoc, after: number, count: number): Promise<{ messages: MessageDoc[]; more: boolean }> {
    const out: MessageDoc[] = [];
    if (after >= room.lastSeq) return { messages: out, more: false };
    for (let k = segmentOf(after + 1); k <= segmentOf(room.lastSeq); k++) {
      for (const m of await this.store.segmentMessages(room._id, k)) {
        if (m.seq > after && isMainStream(m)) out.push(m);
      }
      if (out.length > count) return { messages: out.slice(0, count), more: true };
    }
    return { messages: out, more: false };
  }

  private async around(room: RoomDoc, msgId: string, count: number): Promise<HistoryPage> {
    const target = await this.findInRoom(room._id, msgId);
    if (!target || target.deleted) throw Errors.notFound('Message');
    const half = Math.min(Math.floor(count / 2), count - 1);
    const older = await this.mainBefore(room, target.seq, half);
    const newer = await this.mainAfter(room, target.seq, count - half - 1);
    const newestFirst = [...newer.messages.reverse(), target, ...older.messages];
    return this.page(room, newestFirst, older.more, newer.more);
  }

  private async findInRoom(rid: string, id: string): Promise<MessageDoc | null> {
    const ref = await this.store.ref(id);
    if (!ref || ref.rid !== rid || ref.seq === null) return null;
    return this.store.message(rid, ref.seq, id);
  }

  /** Finds a message by id and checks the caller may read its room. */
  private async requireReadableMessage(actor: Actor, id: string) {
    const ref = await this.store.ref(id);
    if (!ref || ref.seq === null) throw Errors.notFound('Message');
    const access = await this.rooms.requireReadable(actor, ref.rid).catch(() => {
      throw Errors.notFound('Message');
    });
    const message = await this.store.message(ref.rid, ref.seq, id);
    if (!message || message.deleted) throw Errors.notFound('Message');
    return { ...access, message };
  }

  /**
   * Messages of a room at the given sequence numbers, deleted ones left out. No access check: for
   * domains that checked the room already (search).
   */
  async messagesAtSeqs(rid: string, seqs: number[]): Promise<MessageDto[]> {
    if (!seqs.length) return [];
    return (await this.store.messagesAt(rid, seqs)).filter((m) => !m.deleted).map(presentMessage);
  }

  /** One message by room, seq and id (an `_id` lookup in its segment), null when deleted. No access check (search). */
  async messageAt(rid: string, seq: number, id: string): Promise<MessageDto | null> {
    const m = await this.store.message(rid, seq, id);
    return m && !m.deleted ? presentMessage(m) : null;
  }

  async getMessage(actor: Actor, id: string): Promise<MessageDto> {
    return presentMessage((await this.requireReadableMessage(actor, id)).message);
  }

  async threadMessages(actor: Actor, tmid: string, offset: number, count: number) {
    const { room, message: parent } = await this.requireReadableMessage(actor, tmid);
    const entries = await this.store.threadEntries(room._id, parent._id);
    const page = entries.slice(offset, offset + count);
    const messages = (await this.store.messagesAt(room._id, page.map((e) => e.seq))).filter((m) => !m.deleted);
    return { messages: messages.map(presentMessage), total: entries.length };
  }

  /** Everything that changed in a room after change number `since`, each message once. */
  async sync(actor: Actor, rid: string, since: number, count: number): Promise<SyncResult> {
    const { room } = await this.rooms.requireReadable(actor, rid);
    const changes = await this.store.changesSince(rid, since, room.lastChange, count);
    const latestSeq = new Map<string, number>();
    for (const c of changes) latestSeq.set(c.msgId, c.seq);
    const docs = await this.store.messagesAt(rid, [...new Set(latestSeq.values())]);
    const updated: MessageDto[] = [];
    const deleted: { _id: string; change: number }[] = [];
    // with no entries left, jump to the room's cursor (change numbers lost to a crash leave gaps)
    const cursor = changes.length ? changes[changes.length - 1]!._id : Math.max(since, room.lastChange);
    // a message changed again after this page comes in the page of its latest change: each once across pages
    for (const d of docs.filter((m) => latestSeq.has(m._id) && m.change <= cursor).sort((a, b) => a.change - b.change)) {
      if (d.deleted) deleted.push({ _id: d._id, change: d.change });
      else updated.push(presentMessage(d));
    }
    return { updated, deleted, cursor, more: changes.length === count && cursor < room.lastChange };
  }

  // ---- changing ----------------------------------------------------------------------------

  /** Applies an update to a message under a new change number, logs the change, and returns it. */
  private change(message: MessageDoc, update: (change: number, now: Date) => Parameters<MessagesStore['updateMessage']>[3]) {
    return this.rooms.locks.run(message.rid, () => this.applyChange(message, update));
  }

  private async applyChange(message: MessageDoc, update: (change: number, now: Date) => Parameters<MessagesStore['updateMessage']>[3]) {
    this.cache.invalidate(message.rid);
    const allocated = await this.rooms.allocateMessage(message.rid, { seqs: 0, changes: 1, msgs: 0 }, {});
    if (!allocated) throw Errors.notFound('Room');
    const change = allocated.lastChange;
    const now = this.clock.now();
    const after = await this.store.updateMessage(message.rid, message.seq, message._id, update(change, now));
    await this.store.insertChange(message.rid, change, message._id, message.seq);
    this.written(message.rid);
    if (!after) throw Errors.notFound('Message');
    return { after, room: allocated };
  }

  /**
   * Replaces a meeting message's summary and attachments (meetings domain: the card updates live).
   * No permission check: the meetings service decides.
   */
  async setMeetingContent(rid: string, id: string, meeting: MessageMeetingDto, attachments: MessageAttachment[]): Promise<MessageDto | null> {
    const message = await this.findInRoom(rid, id);
    if (!message || message.deleted) return null;
    const { after } = await this.change(message, (change, now) => ({ $set: { meeting, attachments: sanitizeAttachments(attachments), change, updatedAt: now } }));
    const dto = presentMessage(after);
    this.events.emit('message.updated', { message: dto });
    return dto;
  }

  async update(actor: Actor, rid: string, id: string, text: string): Promise<MessageDto> {
    if (!text.trim()) throw Errors.of(ErrorCodes.emptyMessage, 'The message is empty');
    const max = await this.settings.get('messages.maxLength');
    if (text.length > max) throw Errors.of(ErrorCodes.messageTooLong, `The message is longer than ${max} characters`);
    const { room, sub, message } = await this.requireReadableMessage(actor, id);
    if (room._id !== rid) throw Errors.notFound('Message');
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    if (message.t) throw Errors.forbidden('System messages cannot be edited');
    const own = message.u._id === actor.userId;
    if (!own && !can(actor, 'edit-other-user-message') && !RoomPolicy.isRoomModerator(actor, sub)) {
      throw Errors.forbidden('You can edit only your own messages');
    }
    if (own && !sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    const windowMin = await this.settings.get('messages.editWindowMinutes');
    if (own && windowMin > 0 && this.clock.now().getTime() - message.ts.getTime() > windowMin * 60_000) {
      throw Errors.forbidden(`Messages can be edited for ${windowMin} minutes`);
    }
    if (text === message.msg) return presentMessage(message);
    const editedAt = this.clock.now();
    await this.store.insertEdit({
      _id: newId(),
      msgId: id,
      rid,
      msg: message.msg,
      editedAt,
      editedBy: { _id: actor.userId, username: actor.username },
    });
    const mentions = await this.resolveMentions(actor, room, text);
    const { after } = await this.change(message, (change, now) => ({
      $set: {
        msg: text,
        change,
        updatedAt: now,
        editedAt,
        editedBy: { _id: actor.userId, username: actor.username },
        mentions: mentions.users,
      },
    }));
    await this.refreshLastMessage(room, message, text);
    const dto = presentMessage(after);
    this.events.emit('message.updated', { message: dto });
    for (const hook of this.hooks.edited) await hook(presentMessage(message), dto);
    return dto;
  }

  /** Keeps the room's lastMessage (room lists) in step when that message is edited, or deleted (null). */
  private async refreshLastMessage(room: RoomDoc, message: MessageDoc, text: string | null): Promise<void> {
    if (!room.lastMessage || room.lastMessage._id !== message._id) return;
    let next: RoomDoc['lastMessage'] | null = null;
    if (text !== null) next = { ...room.lastMessage, msg: text.slice(0, 300) };
    else {
      const prev = (await this.mainBefore(room, message.seq, 20)).messages.find((m) => !m.t);
      if (prev) next = { _id: prev._id, msg: prev.msg.slice(0, 300), u: { _id: prev.u._id, username: prev.u.username }, ts: prev.ts };
    }
    const updated = await this.rooms.locks.run(room._id, () => this.rooms.replaceLastMessage(room._id, message._id, next));
    if (updated) this.events.emit('room.changed', { room: presentRoom(updated) });
  }

  async editHistory(actor: Actor, id: string) {
    await this.requireReadableMessage(actor, id);
    const edits = await this.store.edits(id);
    return edits.map((e) => ({ msg: e.msg, editedAt: e.editedAt.toISOString(), editedBy: e.editedBy }));
  }

  async delete(actor: Actor, rid: string, id: string): Promise<void> {
    const { room, sub, message } = await this.requireReadableMessage(actor, id);
    if (room._id !== rid) throw Errors.notFound('Message');
    const own = message.u._id === actor.userId;
    if (!(own && sub) && !can(actor, 'delete-other-user-message') && !RoomPolicy.isRoomModerator(actor, sub)) {
      throw Errors.forbidden('You can delete only your own messages');
    }
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    const { after } = await this.change(message, (change, now) => ({
      $set: { deleted: true, msg: '', change, updatedAt: now, reactions: {}, mentions: [] },
    }));
    this.events.emit('message.deleted', { rid, _id: id, change: after.change });
    await this.refreshLastMessage(room, message, null);
    for (const hook of this.hooks.deleted) await hook(presentMessage(message));
    if (message.tmid) {
      const parent = await this.findInRoom(rid, message.tmid);
      await this.store.removeThreadEntry(rid, message.tmid, id);
      if (parent && !parent.deleted) {
        const { after: p } = await this.change(parent, (change, now) => ({ $inc: { tcount: -1 }, $set: { change, updatedAt: now } }));
        this.events.emit('thread.updated', {
          rid,
          tmid: p._id,
          tcount: p.tcount ?? 0,
          tlm: (p.tlm ?? p.ts).toISOString(),
          replies: p.replies ?? [],
        });
        this.events.emit('message.updated', { message: presentMessage(p) });
      }
    }
  }

  async react(actor: Actor, id: string, emoji: string, shouldReact?: boolean): Promise<MessageDto> {
    const { room, sub, message } = await this.requireReadableMessage(actor, id);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    const reacted = message.reactions?.[emoji]?.usernames.includes(actor.username) ?? false;
    const add = shouldReact ?? !reacted;
    if (add === reacted) return presentMessage(message);
    const path = `reactions.${emoji}.usernames`;
    let { after } = await this.change(message, (change, now) =>
      add
        ? { $addToSet: { [path]: actor.username }, $set: { change, updatedAt: now } }
        : { $pull: { [path]: actor.username }, $set: { change, updatedAt: now } },
    );
    if (!add && after.reactions?.[emoji]?.usernames.length === 0) {
      after = (await this.store.updateMessage(after.rid, after.seq, after._id, { $unset: { [`reactions.${emoji}`]: '' } })) ?? after;
    }
    const dto = presentMessage(after);
    this.events.emit('reaction.changed', { message: dto });
    return dto;
  }

  async setPinned(actor: Actor, id: string, pinned: boolean): Promise<MessageDto> {
    const { room, sub, message } = await this.requireReadableMessage(actor, id);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    if (!can(actor, 'pin-message')) throw Errors.forbidden('You may not pin messages');
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    const { after } = await this.change(message, (change, now) => ({ $set: { pinned, change, updatedAt: now } }));
    const dto = presentMessage(after);
    this.events.emit('message.updated', { message: dto });
    return dto;
  }

  async setStarred(actor: Actor, id: string, starred: boolean): Promise<MessageDto> {
    const { sub, message } = await this.requireReadableMessage(actor, id);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    const { after } = await this.change(message, (change, now) =>
      starred
        ? { $addToSet: { starredBy: actor.userId }, $set: { change, updatedAt: now } }
        : { $pull: { starredBy: actor.userId }, $set: { change, updatedAt: now } },
    );
    const dto = presentMessage(after);
    this.events.emit('message.updated', { message: dto });
    return dto;
  }
}
