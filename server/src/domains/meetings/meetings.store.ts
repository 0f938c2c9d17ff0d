import type { Collection, Db } from 'mongodb';
import { MEETINGS, type MeetingDoc } from './meetings.model.js';

/**
 * Meetings are written whole (read, change in memory, replace) under a per-meeting lock in the
 * service: a meeting is small, and FerretDB's array updates are not atomic anyway.
 */
export class MeetingsStore {
  private readonly col: Collection<MeetingDoc>;
  constructor(db: Db) {
    this.col = db.collection<MeetingDoc>(MEETINGS);
  }

  async insert(doc: MeetingDoc): Promise<void> {
    await this.col.insertOne(doc);
  }

  byId(id: string): Promise<MeetingDoc | null> {
    return this.col.findOne({ _id: id });
  }

  byToken(token: string): Promise<MeetingDoc | null> {
    return this.col.findOne({ token });
  }

  async replace(doc: MeetingDoc): Promise<void> {
    await this.col.replaceOne({ _id: doc._id }, doc);
  }

  async delete(id: string): Promise<void> {
    await this.col.deleteOne({ _id: id });
  }

  async deleteOfRoom(rid: string): Promise<void> {
    await this.col.deleteMany({ rid });
  }

  ofRoom(rid: string, offset: number, count: number): Promise<MeetingDoc[]> {
    return this.col.find({ rid }).sort({ createdAt: -1 }).skip(offset).limit(count).toArray();
  }

  /** organised, invited (directly or through one of `roomIds`) or attended */
  ofUser(userId: string, roomIds: string[], offset: number, count: number): Promise<MeetingDoc[]> {
    const or: object[] = [{ userIds: userId }];
    if (roomIds.length) or.push({ inviteeRooms: { $in: roomIds } });
    return this.col.find({ $or: or }).sort({ createdAt: -1 }).skip(offset).limit(count).toArray();
  }

  /** live meetings that have had nobody in them since before `before` */
  emptySince(before: Date): Promise<MeetingDoc[]> {
    return this.col.find({ status: 'live', emptySince: { $lte: before } }).toArray();
  }

  /** live meetings with someone who joined but whose socket never attached (checked by the grace job) */
  liveMeetings(): Promise<MeetingDoc[]> {
    return this.col.find({ status: 'live' }).toArray();
  }
}
