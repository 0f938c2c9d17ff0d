import type { Collection, Db } from 'mongodb';
import { INTEGRATIONS_COLLECTION, type IntegrationDoc, type IntegrationType, type LastDelivery } from './integrations.model.js';

export class IntegrationsStore {
  private readonly col: Collection<IntegrationDoc>;
  constructor(db: Db) {
    this.col = db.collection<IntegrationDoc>(INTEGRATIONS_COLLECTION);
  }

  async insert(doc: IntegrationDoc): Promise<void> {
    await this.col.insertOne(doc);
  }

  byId(id: string): Promise<IntegrationDoc | null> {
    return this.col.findOne({ _id: id });
  }

  list(types: IntegrationType[]): Promise<IntegrationDoc[]> {
    return this.col.find({ type: { $in: types } }).sort({ createdAt: 1 }).toArray();
  }

  enabledOutgoing(): Promise<IntegrationDoc[]> {
    return this.col.find({ type: 'webhook-outgoing', enabled: true }).toArray();
  }

  update(id: string, set: Partial<IntegrationDoc>, unset: (keyof IntegrationDoc)[] = []): Promise<IntegrationDoc | null> {
    const update: { $set: Partial<IntegrationDoc>; $unset?: Record<string, ''> } = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((k) => [k, ''])) as Record<string, ''>;
    return this.col.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
  }

  async setLastDelivery(id: string, lastDelivery: LastDelivery): Promise<void> {
    await this.col.updateOne({ _id: id }, { $set: { lastDelivery } });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.col.deleteOne({ _id: id })).deletedCount === 1;
  }
}
