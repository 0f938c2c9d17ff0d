import type { Db, Filter } from 'mongodb';
import { CLOUD_STATE, OUTBOUND_LOG, type CloudRegistrationDoc, type OutboundLogDoc } from './cloudlink.model.js';

export class CloudLinkStore {
  constructor(private readonly db: Db) {}

  private get state() {
    return this.db.collection<CloudRegistrationDoc>(CLOUD_STATE);
  }
  private get log() {
    return this.db.collection<OutboundLogDoc>(OUTBOUND_LOG);
  }

  getRegistration(): Promise<CloudRegistrationDoc | null> {
    return this.state.findOne({ _id: 'registration' });
  }
  async saveRegistration(doc: CloudRegistrationDoc): Promise<void> {
    await this.state.replaceOne({ _id: 'registration' }, doc, { upsert: true });
  }
  async updateRegistration(set: Partial<Omit<CloudRegistrationDoc, '_id'>>, unset: Array<keyof CloudRegistrationDoc> = []): Promise<void> {
    const update: Record<string, unknown> = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
    await this.state.updateOne({ _id: 'registration' }, update);
  }
  async deleteRegistration(): Promise<void> {
    await this.state.deleteOne({ _id: 'registration' });
  }

  async appendLog(doc: OutboundLogDoc): Promise<void> {
    await this.log.insertOne(doc);
  }
  async finishLog(id: string, set: Partial<OutboundLogDoc>): Promise<void> {
    await this.log.updateOne({ _id: id }, { $set: set });
  }
  async listLog(filter: Filter<OutboundLogDoc>, offset: number, count: number): Promise<{ entries: OutboundLogDoc[]; total: number }> {
    const [entries, total] = await Promise.all([
      this.log.find(filter).sort({ at: -1, _id: -1 }).skip(offset).limit(count).toArray(),
      this.log.countDocuments(filter),
    ]);
    return { entries, total };
  }
}
