import type { Collection, Db } from 'mongodb';
import { ACCOUNTS, CONSOLE_SESSIONS, type AccountDoc, type ConsoleSessionDoc } from './accounts.model.js';

export class AccountsStore {
  readonly accounts: Collection<AccountDoc>;
  readonly sessions: Collection<ConsoleSessionDoc>;

  constructor(db: Db) {
    this.accounts = db.collection<AccountDoc>(ACCOUNTS);
    this.sessions = db.collection<ConsoleSessionDoc>(CONSOLE_SESSIONS);
  }

  insertAccount(doc: AccountDoc) {
    return this.accounts.insertOne(doc);
  }
  accountById(id: string) {
    return this.accounts.findOne({ _id: id });
  }
  accountByEmail(email: string) {
    return this.accounts.findOne({ emailKey: email.toLowerCase() });
  }
  setLastLogin(id: string, at: Date) {
    return this.accounts.updateOne({ _id: id }, { $set: { lastLoginAt: at } });
  }

  insertSession(doc: ConsoleSessionDoc) {
    return this.sessions.insertOne(doc);
  }
  sessionByHash(hash: string) {
    return this.sessions.findOne({ _id: hash });
  }
  deleteSession(hash: string) {
    return this.sessions.deleteOne({ _id: hash });
  }
  deleteExpiredSessions(now: Date) {
    return this.sessions.deleteMany({ expiresAt: { $lte: now } });
  }
}
