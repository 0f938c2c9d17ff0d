import type { Collection, Db } from 'mongodb';
import type { PushPreference, StoredPushTokenType } from '@obmeet/contracts';
import { PUSH_PREFS, PUSH_TOKENS, type PushPrefsDoc, type PushTokenDoc } from './push.model.js';

export class PushStore {
  private readonly tokens: Collection<PushTokenDoc>;
  private readonly prefs: Collection<PushPrefsDoc>;

  constructor(db: Db) {
    this.tokens = db.collection<PushTokenDoc>(PUSH_TOKENS);
    this.prefs = db.collection<PushPrefsDoc>(PUSH_PREFS);
  }

  // ---- tokens ---------------------------------------------------------------------------

  /** Registers the token for the user; an existing token (any user) is taken over, keeping its id. */
  upsertToken(value: string, set: { type: StoredPushTokenType; appName: string; userId: string }, newId: string, now: Date) {
    return this.tokens.findOneAndUpdate(
      { value },
      { $set: { ...set, updatedAt: now }, $setOnInsert: { _id: newId, value, createdAt: now } },
      { upsert: true, returnDocument: 'after' },
    );
  }

  tokenByValue(value: string) {
    return this.tokens.findOne({ value });
  }

  tokensOfUser(userId: string) {
    return this.tokens.find({ userId }).sort({ updatedAt: -1, _id: 1 }).toArray();
  }

  tokensOfUsers(userIds: string[]) {
    return userIds.length ? this.tokens.find({ userId: { $in: userIds } }).toArray() : Promise.resolve([]);
  }

  /** Who has at least one device: the only users a message can be pushed to. */
  async userIdsWithTokens(): Promise<string[]> {
    return (await this.tokens.distinct('userId')) as string[];
  }

  async deleteTokenOfUser(value: string, userId: string): Promise<boolean> {
    return (await this.tokens.deleteOne({ value, userId })).deletedCount === 1;
  }

  /** Deletes tokens the gateway rejected, unless the token was registered again after `before`. */
  async deleteRejected(values: string[], before: Date): Promise<number> {
    if (!values.length) return 0;
    return (await this.tokens.deleteMany({ value: { $in: values }, updatedAt: { $lte: before } })).deletedCount;
  }

  async deleteTokensByIds(ids: string[]): Promise<void> {
    if (ids.length) await this.tokens.deleteMany({ _id: { $in: ids } });
  }

  // ---- preferences --------------------------------------------------------------------------

  prefsOf(userId: string) {
    return this.prefs.findOne({ _id: userId });
  }

  prefsOfUsers(userIds: string[]) {
    return userIds.length ? this.prefs.find({ _id: { $in: userIds } }).toArray() : Promise.resolve([]);
  }

  async setPrefs(userId: string, pushNotifications: PushPreference, now: Date): Promise<void> {
    await this.prefs.updateOne({ _id: userId }, { $set: { pushNotifications, updatedAt: now } }, { upsert: true });
  }
}
