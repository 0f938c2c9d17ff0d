import { ErrorCodes, type RoomType } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { isDuplicateKey } from '../../db/connection.js';
import { Errors } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { newId } from '../../ids.js';
import type { UserDoc } from '../accounts/accounts.model.js';
import { can, requirePermission, type Actor } from '../accounts/accounts.policy.js';
import type { AccountsService } from '../accounts/index.js';
import { subscriptionId, type RoomDoc, type RoomRole, type SubscriptionDoc } from './rooms.model.js';
import { RoomLocks } from './room-locks.js';
import { RoomPolicy } from './rooms.policy.js';
import { presentRoom, presentSubscription } from './rooms.present.js';
import type { RoomsStore } from './rooms.store.js';

/** System messages the room posts about itself (joined, left, renamed...). Set by the composition root. */
export type SystemMessagePoster = (rid: string, type: string, text: string, actor: Actor) => Promise<void>;
/** Called before a room is deleted, so the messages domain drops its data. */
export type RoomDeletionHook = (room: RoomDoc) => Promise<void>;

export interface RoomAccess {
  room: RoomDoc;
  sub: SubscriptionDoc | null;
}

export class RoomsService {
  postSystemMessage: SystemMessagePoster = async () => {};
  /** serialises counter updates per room (also used by the messages domain) */
  readonly locks = new RoomLocks();
  private readonly deletionHooks: RoomDeletionHook[] = [];

  constructor(
    private readonly store: RoomsStore,
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  onRoomDeletion(hook: RoomDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  // ---- lookups and access ----------------------------------------------------------------

  async requireRoom(rid: string): Promise<RoomDoc> {
    const room = await this.store.roomById(rid);
    if (!room) throw Errors.notFound('Room');
    return room;
  }

  async roomByName(name: string): Promise<RoomDoc> {
    const room = await this.store.roomByNameKey(name.toLowerCase());
    if (!room) throw Errors.notFound('Room');
    return room;
  }

  /** The room and the caller's subscription, if the caller may read the room. */
  async requireReadable(actor: Actor, rid: string): Promise<RoomAccess> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    // a room you may not read looks exactly like one that does not exist
    if (!RoomPolicy.canRead(actor, room, sub)) throw Errors.notFound('Room');
    return { room, sub };
  }

  async requirePostable(actor: Actor, rid: string): Promise<RoomAccess> {
    const access = await this.requireReadable(actor, rid);
    RoomPolicy.assertCanPost(actor, access.room, access.sub);
    return access;
  }

  subscription(rid: string, userId: string): Promise<SubscriptionDoc | null> {
    return this.store.sub(rid, userId);
  }

  async memberIds(rid: string): Promise<string[]> {
    return (await this.store.subsOfRoom(rid)).map((s) => s.u._id);
  }

  async roomIdsOfUser(userId: string): Promise<string[]> {
    return (await this.store.subsOfUser(userId)).map((s) => s.rid);
  }

  // ---- creation ------------------------------------------------------------------------

  async createRoom(
    actor: Actor,
    type: 'c' | 'p',
    input: { name: string; members: string[]; readOnly: boolean; topic?: string },
  ): Promise<RoomDoc> {
    requirePermission(actor, type === 'c' ? 'create-c' : 'create-p');
    const members = await this.resolveUsernames(input.members.filter((u) => u.toLowerCase() !== actor.username.toLowerCase()));
    const now = this.clock.now();
    const room: RoomDoc = {
      _id: newId(),
      t: type,
      name: input.name,
      fname: input.name,
      nameKey: input.name.toLowerCase(),
      ...(input.topic ? { topic: input.topic } : {}),
      ro: input.readOnly,
      archived: false,
      u: { _id: actor.userId, username: actor.username },
      usersCount: 1 + members.length,
      msgs: 0,
      lastSeq: 0,
      lastChange: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.insertRoom(room);
    } catch (err) {
      if (isDuplicateKey(err)) throw Errors.conflict(ErrorCodes.duplicateName, `A room named "${input.name}" already exists`);
      throw err;
    }
    await this.addSubscription(room, { _id: actor.userId, username: actor.username }, ['owner']);
    for (const m of members) await this.addSubscription(room, m, []);
    this.events.emit('room.changed', { room: presentRoom(room) });
    return room;
  }

  /** Opens (or returns the existing) direct message between the caller and the given users. */
  async createDirect(actor: Actor, usernames: string[]): Promise<RoomDoc> {
    requirePermission(actor, 'create-d');
    const others = await this.resolveUsernames(usernames.filter((u) => u.toLowerCase() !== actor.username.toLowerCase()));
    if (others.length === 0 && usernames.length > 0 && usernames.every((u) => u.toLowerCase() === actor.username.toLowerCase())) {
      // a DM with yourself, as Slack allows
    } else if (others.length === 0) {
      throw Errors.invalid('Name at least one other user');
    }
    if (others.length > 8) throw Errors.invalid('A group direct message has at most 9 people');
    const participants = [{ _id: actor.userId, username: actor.username }, ...others.map((u) => ({ _id: u._id, username: u.username }))];
    const uids = participants.map((p) => p._id).sort();
    const nameKey = `d:${uids.join(',')}`;
    const existing = await this.store.roomByNameKey(nameKey);
    if (existing) {
      const sub = await this.store.sub(existing._id, actor.userId);
      if (sub && !sub.open) await this.store.updateSub(existing._id, actor.userId, { open: true });
      return existing;
    }
    const now = this.clock.now();
    const room: RoomDoc = {
      _id: newId(),
      t: 'd',
      nameKey,
      ro: false,
      archived: false,
      u: { _id: actor.userId, username: actor.username },
      uids,
      usernames: participants.map((p) => p.username),
      usersCount: participants.length,
      msgs: 0,
      lastSeq: 0,
      lastChange: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.insertRoom(room);
    } catch (err) {
      if (isDuplicateKey(err)) return (await this.store.roomByNameKey(nameKey))!;
      throw err;
    }
    for (const p of participants) await this.addSubscription(room, p, [], participants);
    return room;
  }

  private async resolveUsernames(usernames: string[]): Promise<UserDoc[]> {
    const unique = [...new Set(usernames.map((u) => u.toLowerCase()))];
    const users = await this.accounts.usersByUsernames(unique);
    if (users.length !== unique.length) {
      const found = new Set(users.map((u) => u.usernameKey));
      throw Errors.invalid(`Unknown user(s): ${unique.filter((u) => !found.has(u)).join(', ')}`);
    }
    const inactive = users.filter((u) => !u.active);
    if (inactive.length) throw Errors.invalid(`Deactivated user(s): ${inactive.map((u) => u.username).join(', ')}`);
    return users;
  }

  private async addSubscription(
    room: RoomDoc,
    user: { _id: string; username: string },
    roles: RoomRole[],
    dmParticipants?: { _id: string; username: string }[],
  ): Promise<SubscriptionDoc | null> {
    const now = this.clock.now();
    // a DM is named after the other participants, as each member sees it
    const dmName = dmParticipants
      ? dmParticipants.filter((p) => p._id !== user._id).map((p) => p.username).join(', ') || user.username
      : undefined;
    const sub: SubscriptionDoc = {
      _id: subscriptionId(room._id, user._id),
      rid: room._id,
      t: room.t,
      name: dmName ?? room.name ?? '',
      ...(room.fname ? { fname: room.fname } : {}),
      u: user,
      roles,
      open: true,
      f: false,
      muted: false,
      readMsgCount: room.msgs,
      readSeq: room.lastSeq,
      userMentions: 0,
      groupMentions: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.insertSub(sub);
    } catch (err) {
      if (isDuplicateKey(err)) return null; // already a member
      throw err;
    }
    this.events.emit('membership.changed', { rid: room._id, userId: user._id, username: user.username, action: 'added' });
    this.events.emit('subscription.changed', { userId: user._id, subscription: presentSubscription(sub, room) });
    return sub;
  }

  // ---- membership ----------------------------------------------------------------------

  async join(actor: Actor, rid: string): Promise<RoomDoc> {
    const room = await this.requireRoom(rid);
    if (room.t !== 'c' || !can(actor, 'view-c-room')) throw Errors.notFound('Room');
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    const updated = await this.locks.run(rid, async () => {
      const added = await this.addSubscription(room, { _id: actor.userId, username: actor.username }, []);
      return added ? this.store.updateRoom(rid, { updatedAt: this.clock.now() }, { usersCount: 1 }) : null;
    });
    if (!updated) return room;
    await this.postSystemMessage(rid, 'uj', actor.username, actor);
    this.events.emit('room.changed', { room: presentRoom(updated!) });
    return updated!;
  }

  async leave(actor: Actor, rid: string): Promise<void> {
    const { room, sub } = await this.requireReadable(actor, rid);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 400);
    if (room.t === 'd') {
      // leaving a DM hides it, as in Rocket.Chat
      await this.setFlags(actor, rid, { open: false });
      return;
    }
    if (sub.roles.includes('owner')) await this.assertNotLastOwner(rid, actor.userId, true);
    await this.postSystemMessage(rid, 'ul', actor.username, actor);
    await this.removeMember(room, actor.userId, actor.username);
  }

  async invite(actor: Actor, rid: string, userId: string): Promise<RoomDoc> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    if (!RoomPolicy.canRead(actor, room, sub)) throw Errors.notFound('Room');
    RoomPolicy.assertCanInvite(actor, room, sub);
    const user = await this.accounts.requireUser(userId);
    if (!user.active) throw Errors.invalid('This user is deactivated');
    const updated = await this.locks.run(rid, async () => {
      const added = await this.addSubscription(room, { _id: user._id, username: user.username }, []);
      return added ? this.store.updateRoom(rid, { updatedAt: this.clock.now() }, { usersCount: 1 }) : null;
    });
    if (!updated) return room;
    await this.postSystemMessage(rid, 'au', user.username, actor);
    this.events.emit('room.changed', { room: presentRoom(updated!) });
    return updated!;
  }

  async kick(actor: Actor, rid: string, userId: string): Promise<void> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    if (!RoomPolicy.canRead(actor, room, sub)) throw Errors.notFound('Room');
    const target = await this.store.sub(rid, userId);
    if (!target) throw Errors.of(ErrorCodes.notMember, 'That user is not a member of this room', 400);
    RoomPolicy.assertCanKick(actor, room, sub, target);
    if (target.roles.includes('owner')) await this.assertNotLastOwner(rid, userId, true);
    await this.postSystemMessage(rid, 'ru', target.u.username, actor);
    await this.removeMember(room, userId, target.u.username);
  }

  /** A room keeps an owner while it has members: its last owner cannot leave, be removed or drop the role. */
  private async assertNotLastOwner(rid: string, ownerId: string, leaving: boolean): Promise<void> {
    const subs = await this.store.subsOfRoom(rid);
    const otherOwners = subs.filter((s) => s.u._id !== ownerId && s.roles.includes('owner'));
    if (otherOwners.length === 0 && (!leaving || subs.length > 1)) {
      throw Errors.of(ErrorCodes.forbidden, 'This is the last owner of the room: make another member owner first', 403);
    }
  }

  private async removeMember(room: RoomDoc, userId: string, username: string): Promise<void> {
    const updated = await this.locks.run(room._id, async () => {
      const removed = await this.store.deleteSub(room._id, userId);
      return this.store.updateRoom(room._id, { updatedAt: this.clock.now() }, removed.deletedCount ? { usersCount: -1 } : undefined);
    });
    // the realtime layer takes the user's sockets out of the room at once
    this.events.emit('membership.changed', { rid: room._id, userId, username, action: 'removed' });
    if (updated) this.events.emit('room.changed', { room: presentRoom(updated) });
  }

  /** Grants or takes back a room role (owner, moderator); owners and admins only. */
  async setRoomRole(actor: Actor, rid: string, userId: string, role: RoomRole, grant: boolean): Promise<void> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    if (!RoomPolicy.isOwner(sub) && !can(actor, 'edit-any-room')) throw Errors.forbidden('Only an owner can change roles');
    const target = await this.store.sub(rid, userId);
    if (!target) throw Errors.of(ErrorCodes.notMember, 'That user is not a member of this room', 400);
    if (role === 'owner' && !grant && target.roles.includes('owner')) await this.assertNotLastOwner(rid, userId, false);
    const roles = new Set(target.roles);
    if (grant) roles.add(role);
    else roles.delete(role);
    const updated = await this.store.updateSub(rid, userId, { roles: [...roles], updatedAt: this.clock.now() });
    if (updated) this.events.emit('subscription.changed', { userId, subscription: presentSubscription(updated, room) });
  }

  // ---- room settings ---------------------------------------------------------------------

  /** `anyRoom`: a permission that lets the actor change rooms they cannot read (admins archiving a private group). */
  private async changeRoom(actor: Actor, rid: string, check: (a: RoomAccess) => void, set: Partial<RoomDoc>, anyRoom?: 'archive-any-room'): Promise<RoomDoc> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    if (!RoomPolicy.canRead(actor, room, sub) && !(anyRoom && can(actor, anyRoom))) throw Errors.notFound('Room');
    check({ room, sub });
    const updated = await this.store.updateRoom(rid, { ...set, updatedAt: this.clock.now() });
    this.events.emit('room.changed', { room: presentRoom(updated!) });
    return updated!;
  }

  async rename(actor: Actor, rid: string, name: string): Promise<RoomDoc> {
    let updated: RoomDoc;
    try {
      updated = await this.changeRoom(actor, rid, (a) => RoomPolicy.assertCanEdit(actor, a.room, a.sub), {
        name,
        fname: name,
        nameKey: name.toLowerCase(),
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw Errors.conflict(ErrorCodes.duplicateName, `A room named "${name}" already exists`);
      throw err;
    }
    await this.store.renameSubs(rid, name, name);
    await this.postSystemMessage(rid, 'r', name, actor);
    return updated;
  }

  async setTopic(actor: Actor, rid: string, topic: string): Promise<RoomDoc> {
    const room = await this.changeRoom(actor, rid, (a) => RoomPolicy.assertCanEdit(actor, a.room, a.sub), { topic });
    await this.postSystemMessage(rid, 'room_changed_topic', topic, actor);
    return room;
  }

  setAnnouncement(actor: Actor, rid: string, announcement: string): Promise<RoomDoc> {
    return this.changeRoom(actor, rid, (a) => RoomPolicy.assertCanEdit(actor, a.room, a.sub), { announcement });
  }

  setReadOnly(actor: Actor, rid: string, ro: boolean): Promise<RoomDoc> {
    return this.changeRoom(actor, rid, (a) => RoomPolicy.assertCanEdit(actor, a.room, a.sub), { ro });
  }

  async setArchived(actor: Actor, rid: string, archived: boolean): Promise<RoomDoc> {
    const room = await this.changeRoom(
      actor,
      rid,
      (a) => {
        RoomPolicy.assertCanArchiveOrDelete(actor, a.room, a.sub, 'archive');
        if (a.room.archived === archived) throw Errors.invalid(archived ? 'The room is already archived' : 'The room is not archived');
      },
      { archived },
      'archive-any-room',
    );
    return room;
  }

  async deleteRoom(actor: Actor, rid: string): Promise<void> {
    const room = await this.requireRoom(rid);
    const sub = await this.store.sub(rid, actor.userId);
    if (!RoomPolicy.canRead(actor, room, sub) && !can(actor, 'delete-any-room')) throw Errors.notFound('Room');
    RoomPolicy.assertCanArchiveOrDelete(actor, room, sub, 'delete');
    const memberIds = await this.memberIds(rid);
    for (const hook of this.deletionHooks) await hook(room);
    await this.store.deleteSubsOfRoom(rid);
    await this.store.deleteRoom(rid);
    this.events.emit('room.removed', { rid, memberIds });
  }

  // ---- listing, read state, flags --------------------------------------------------------

  async listPublic(actor: Actor, query: string | undefined, offset: number, count: number) {
    requirePermission(actor, 'view-directory');
    const [rooms, total] = await this.store.listPublicRooms(query, offset, count);
    return { rooms, total };
  }

  /** The admin room list: every room, whatever the admin's memberships. */
  async listAllRooms(actor: Actor, types: RoomType[] | undefined, text: string | undefined, offset: number, count: number) {
    requirePermission(actor, 'view-room-administration');
    const [rooms, total] = await this.store.listAllRooms(types, text, offset, count);
    return { rooms, total };
  }

  async roomsOfUser(actor: Actor): Promise<RoomDoc[]> {
    const subs = await this.store.subsOfUser(actor.userId);
    return this.store.roomsByIds(subs.map((s) => s.rid));
  }

  async subscriptionsOf(actor: Actor): Promise<{ sub: SubscriptionDoc; room: RoomDoc | null }[]> {
    const subs = await this.store.subsOfUser(actor.userId);
    const rooms = new Map((await this.store.roomsByIds(subs.map((s) => s.rid))).map((r) => [r._id, r]));
    return subs.map((sub) => ({ sub, room: rooms.get(sub.rid) ?? null }));
  }

  async members(actor: Actor, rid: string, offset: number, count: number) {
    await this.requireReadable(actor, rid);
    const subs = await this.store.subsOfRoom(rid);
    subs.sort((a, b) => a.u.username.localeCompare(b.u.username));
    const page = subs.slice(offset, offset + count);
    const users = new Map((await this.accounts.usersByIds(page.map((s) => s.u._id))).map((u) => [u._id, u]));
    return {
      members: page.flatMap((s) => {
        const u = users.get(s.u._id);
        return u ? [{ user: u, sub: s }] : [];
      }),
      total: subs.length,
    };
  }

  async markRead(actor: Actor, rid: string): Promise<void> {
    const { room, sub } = await this.requireReadable(actor, rid);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 400);
    await this.markReadUpTo(actor.userId, room);
  }

  /** Marks the room read for a member up to the room's current state (also done when they post). */
  async markReadUpTo(userId: string, room: RoomDoc): Promise<void> {
    const updated = await this.store.updateSub(room._id, userId, {
      readMsgCount: room.msgs,
      readSeq: room.lastSeq,
      userMentions: 0,
      groupMentions: 0,
      ls: this.clock.now(),
      updatedAt: this.clock.now(),
    });
    if (updated) this.events.emit('subscription.changed', { userId, subscription: presentSubscription(updated, room) });
  }

  async setFlags(actor: Actor, rid: string, flags: { favorite?: boolean; muted?: boolean; open?: boolean }): Promise<void> {
    const { room, sub } = await this.requireReadable(actor, rid);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 400);
    const set: Partial<SubscriptionDoc> = { updatedAt: this.clock.now() };
    if (flags.favorite !== undefined) set.f = flags.favorite;
    if (flags.muted !== undefined) set.muted = flags.muted;
    if (flags.open !== undefined) set.open = flags.open;
    const updated = await this.store.updateSub(rid, actor.userId, set);
    if (updated) this.events.emit('subscription.changed', { userId: actor.userId, subscription: presentSubscription(updated, room) });
  }

  /**
   * The caller's notification settings for a room (push domain): the push preference (`default`
   * removes the room's own value) and the mute, which is the same flag as subscriptions.setFlags.
   */
  async setNotificationPrefs(
    actor: Actor,
    rid: string,
    prefs: { pushNotifications?: 'all' | 'mentions' | 'nothing' | 'default'; muted?: boolean },
  ): Promise<SubscriptionDoc> {
    const { room, sub } = await this.requireReadable(actor, rid);
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 400);
    const set: Partial<SubscriptionDoc> = { updatedAt: this.clock.now() };
    const unset: (keyof SubscriptionDoc)[] = [];
    if (prefs.muted !== undefined) set.muted = prefs.muted;
    if (prefs.pushNotifications === 'default') unset.push('pushNotifications');
    else if (prefs.pushNotifications) set.pushNotifications = prefs.pushNotifications;
    const updated = await this.store.updateSubWithUnset(rid, actor.userId, set, unset);
    if (!updated) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 400);
    this.events.emit('subscription.changed', { userId: actor.userId, subscription: presentSubscription(updated, room) });
    return updated;
  }

  /** The subscriptions of some users to one room; non-members are left out (push recipients). */
  subscriptionsOfUsers(rid: string, userIds: string[]): Promise<SubscriptionDoc[]> {
    return this.store.subsOfUsersInRoom(rid, userIds);
  }

  // ---- used by the messages domain -------------------------------------------------------

  allocateMessage(rid: string, inc: { seqs: number; changes: number; msgs: number }, set: Partial<RoomDoc>) {
    return this.store.allocate(rid, inc, { ...set, updatedAt: this.clock.now() });
  }

  /** After an edit or delete of the room's last message (null: no message is left to show). */
  replaceLastMessage(rid: string, msgId: string, lastMessage: RoomDoc['lastMessage'] | null) {
    return this.store.replaceLastMessage(rid, msgId, lastMessage);
  }

  async addMentions(rid: string, userIds: string[], all: boolean, authorId: string): Promise<void> {
    const now = this.clock.now();
    if (all) await this.store.incGroupMentions(rid, authorId, now);
    const direct = userIds.filter((u) => u !== authorId);
    if (direct.length) await this.store.incUserMentions(rid, direct, now);
    const room = await this.store.roomById(rid);
    const affected = all ? await this.store.subsOfRoom(rid) : await Promise.all(direct.map((u) => this.store.sub(rid, u)));
    for (const s of affected) {
      if (s && s.u._id !== authorId) this.events.emit('subscription.changed', { userId: s.u._id, subscription: presentSubscription(s, room) });
    }
  }

  /** DMs reopen for everyone when a message arrives. */
  async reopenDirect(room: RoomDoc): Promise<void> {
    if (room.t === 'd') await this.store.openSubs(room._id);
  }

  static typeLabel(t: RoomType): string {
    return t === 'c' ? 'channel' : t === 'p' ? 'group' : 'direct message';
  }
}
