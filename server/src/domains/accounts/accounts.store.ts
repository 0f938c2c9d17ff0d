import type { Collection, Db } from 'mongodb';
import { INVITES, SESSIONS, USERS, type InviteDoc, type SessionDoc, type UserDoc } from './accounts.model.js';

export class AccountsStore {
  readonly users: Collection<UserDoc>;
  readonly sessions: Collection<SessionDoc>;
  readonly invites: Collection<InviteDoc>;

  constructor(db: Db) {
    this.users = db.collection<UserDoc>(USERS);
    this.sessions = db.collection<SessionDoc>(SESSIONS);
    this.invites = db.collection<InviteDoc>(INVITES);
  }

  insertUser(doc: UserDoc) {
    return this.users.insertOne(doc);
  }
  userById(id: string) {
    return this.users.findOne({ _id: id });
  }
  usersByIds(ids: string[]) {
    return ids.length ? this.users.find({ _id: { $in: ids } }).toArray() : Promise.resolve([]);
  }
  userByUsername(username: string) {
    return this.users.findOne({ usernameKey: username.toLowerCase() });
  }
  usersByUsernames(usernames: string[]) {
    return this.users.find({ usernameKey: { $in: usernames.map((u) => u.toLowerCase()) } }).toArray();
  }
  userByUsernameOrEmail(login: string) {
    const key = login.toLowerCase();
    return this.users.findOne(key.includes('@') ? { emailKey: key } : { usernameKey: key });
  }
  countUsers() {
    return this.users.countDocuments({});
  }
  updateUser(id: string, set: Partial<UserDoc>) {
    return this.users.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
  }
  /** Substring search on username/name, paged; regex built from escaped text only. */
  listUsers(query: string | undefined, offset: number, count: number) {
    const filter = query
      ? { $or: [{ usernameKey: { $regex: escapeRegex(query.toLowerCase()) } }, { name: { $regex: escapeRegex(query), $options: 'i' } }] }
      : {};
    return Promise.all([
      this.users.find(filter).sort({ usernameKey: 1 }).skip(offset).limit(count).toArray(),
      this.users.countDocuments(filter),
    ]);
  }

  insertSession(doc: SessionDoc) {
    return this.sessions.insertOne(doc);
  }
  sessionByHash(hash: string) {
    return this.sessions.findOne({ _id: hash });
  }
  touchSession(hash: string, now: Date) {
    return this.sessions.updateOne({ _id: hash }, { $set: { lastUsedAt: now } });
  }
  deleteSession(hash: string) {
    return this.sessions.deleteOne({ _id: hash });
  }
  sessionsOfUser(userId: string) {
    return this.sessions.find({ userId }).toArray();
  }
  patsOfUser(userId: string) {
    return this.sessions.find({ userId, kind: 'pat' }).toArray();
  }
  patByName(userId: string, name: string) {
    return this.sessions.findOne({ userId, kind: 'pat', name });
  }
  deleteSessionsOfUser(userId: string, kind?: SessionDoc['kind']) {
    return this.sessions.deleteMany(kind ? { userId, kind } : { userId });
  }

  insertInvite(doc: InviteDoc) {
    return this.invites.insertOne(doc);
  }
  /** Atomically uses one slot of an invite; null when unknown or used up. */
  consumeInvite(hash: string) {
    return this.invites.findOneAndUpdate({ _id: hash, remaining: { $gt: 0 } }, { $inc: { remaining: -1 } });
  }
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
