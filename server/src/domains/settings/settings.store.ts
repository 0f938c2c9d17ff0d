import type { Collection, Db } from 'mongodb';
import { SETTINGS_COLLECTION, type SettingDoc } from './settings.model.js';

export class SettingsStore {
  private readonly col: Collection<SettingDoc>;
  constructor(db: Db) {
    this.col = db.collection<SettingDoc>(SETTINGS_COLLECTION);
  }
  all(): Promise<SettingDoc[]> {
    return this.col.find({}).toArray();
  }
  async set(key: string, value: unknown, updatedBy: string | undefined, now: Date): Promise<void> {
    await this.col.updateOne({ _id: key }, { $set: { value, updatedAt: now, updatedBy } }, { upsert: true });
  }
  /** Back to the registry default: the stored value is removed. */
  async unset(key: string): Promise<void> {
    await this.col.deleteOne({ _id: key });
  }
}
