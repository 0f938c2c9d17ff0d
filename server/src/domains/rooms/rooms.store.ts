import type { Collection, Db, Filter } from 'mongodb';
import { ROOMS, SUBSCRIPTIONS, subscriptionId, type RoomDoc, type SubscriptionDoc } from './rooms.model.js';

export class RoomsStore {
  readonly rooms: Collection<RoomDoc>;
  readonly subs: Collection<SubscriptionDoc>;

  constructor(db: Db) {
    this.rooms = db.collection<RoomDoc>(ROOMS);
    this.subs = db.collection<SubscriptionDoc>(SUBSCRIPTIONS);
  }

  insertRoom(doc: RoomDoc) {
    return this.rooms.insertOne(doc);
  }
  roomById(id: string) {
    return this.rooms.findOne({ _id: id });
  }
  roomByNameKey(nameKey: string) {
    return this.rooms.findOne({ nameKey });
  }
  roomsByIds(ids: string[]) {
    return ids.length ? this.rooms.find({ _id: { $in: ids } }).toArray() : Promise.resolve([]);
  }
  updateRoom(id: string, set: Partial<RoomDoc>, inc?: Partial<Record<'usersCount', number>>) {
    return this.rooms.findOneAndUpdate(
      { _id: id },
      inc ? { $set: set, $inc: inc } : { $set: set },
      { returnDocument: 'after' },
    );
  }
  /** Replaces the room's lastMessage (null: removes it) only while it is still the message `msgId`. */
  replaceLastMessage(id: string, msgId: string, lastMessage: RoomDoc['lastMessage'] | null) {
    return this.rooms.findOneAndUpdate(
      { _id: id, 'lastMessage._id': msgId },
      lastMessage ? { $set: { lastMessage } } : { $unset: { lastMessage: '' } },
      { returnDocument: 'after' },
    );
  }
  deleteRoom(id: string) {
    return this.rooms.deleteOne({ _id: id });
  }
  /**
   * Hands out the next message sequence number(s) and change number(s) of a room atomically.
   * Returns the room after the increment: the new seq is `lastSeq`, the changes end at `lastChange`.
   */
  allocate(rid: string, inc: { seqs: number; changes: number; msgs: number }, set: Partial<RoomDoc>) {
    return this.rooms.findOneAndUpdate(
      { _id: rid },
      { $inc: { lastSeq: inc.seqs, lastChange: inc.changes, msgs: inc.msgs }, $set: set },
      { returnDocument: 'after' },
    );
  }
  listPublicRooms(query: string | undefined, offset: number, count: number) {
    const filter = query ? { t: 'c' as const, nameKey: { $regex: escapeRegex(query.toLowerCase()) } } : { t: 'c' as const };
    return Promise.all([
      this.rooms.find(filter).sort({ nameKey: 1 }).skip(offset).limit(count).toArray(),
      this.rooms.countDocuments(filter),
    ]);
  }

  /** Every room (admin list): by kind, name or participant substring; sorted by name key. */
  listAllRooms(types: RoomDoc['t'][] | undefined, text: string | undefined, offset: number, count: number) {
    const filter: Filter<RoomDoc> = {};
    if (types) filter.t = { $in: types };
    if (text) {
      const key = escapeRegex(text.toLowerCase());
      filter.$or = [{ nameKey: { $regex: key } }, { usernames: { $regex: key, $options: 'i' } }];
    }
    return Promise.all([
      this.rooms.find(filter).sort({ nameKey: 1, _id: 1 }).skip(offset).limit(count).toArray(),
      this.rooms.countDocuments(filter),
    ]);
  }

  insertSub(doc: SubscriptionDoc) {
    return this.subs.insertOne(doc);
  }
  sub(rid: string, userId: string) {
    return this.subs.findOne({ _id: subscriptionId(rid, userId) });
  }
  /** The subscriptions of the given users to one room (one query, by id). */
  subsOfUsersInRoom(rid: string, userIds: string[]) {
    return userIds.length ? this.subs.find({ _id: { $in: userIds.map((u) => subscriptionId(rid, u)) } }).toArray() : Promise.resolve([]);
  }
  updateSubWithUnset(rid: string, userId: string, set: Partial<SubscriptionDoc>, unset: (keyof SubscriptionDoc)[]) {
    const update: { $set: Partial<SubscriptionDoc>; $unset?: Record<string, ''> } = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, ''])) as Record<string, ''>;
    return this.subs.findOneAndUpdate({ _id: subscriptionId(rid, userId) }, update, { returnDocument: 'after' });
  }
  subsOfUser(userId: string) {
    return this.subs.find({ 'u._id': userId }).toArray();
  }
  subsOfRoom(rid: string) {
    return this.subs.find({ rid }).toArray();
  }
  updateSub(rid: string, userId: string, set: Partial<SubscriptionDoc>) {
    return this.subs.findOneAndUpdate({ _id: subscriptionId(rid, userId) }, { $set: set }, { returnDocument: 'after' });
  }
  incUserMentions(rid: string, userIds: string[], now: Date) {
    return this.subs.updateMany(
      { _id: { $in: userIds.map((u) => subscriptionId(rid, u)) } },
      { $inc: { userMentions: 1 }, $set: { updatedAt: now, open: true } },
    );
  }
  incGroupMentions(rid: string, exceptUserId: string, now: Date) {
    return this.subs.updateMany({ rid, 'u._id': { $ne: exceptUserId } }, { $inc: { groupMentions: 1 }, $set: { updatedAt: now } });
  }
  openSubs(rid: string) {
    return this.subs.updateMany({ rid, open: false }, { $set: { open: true } });
  }
  renameSubs(rid: string, name: string, fname: string) {
    return this.subs.updateMany({ rid }, { $set: { name, fname } });
  }
  deleteSub(rid: string, userId: string) {
    return this.subs.deleteOne({ _id: subscriptionId(rid, userId) });
  }
  deleteSubsOfRoom(rid: string) {
    return this.subs.deleteMany({ rid });
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
