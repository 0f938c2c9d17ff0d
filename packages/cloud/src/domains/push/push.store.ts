import type { Collection, Db } from 'mongodb';
import type { UsageCounters } from '@obmeet/contracts';
import { PUSH_USAGE, type PushUsageDoc } from './push.model.js';

export class PushStore {
  readonly usage: Collection<PushUsageDoc>;

  constructor(db: Db) {
    this.usage = db.collection<PushUsageDoc>(PUSH_USAGE);
  }

  addUsage(workspaceId: string, day: string, inc: UsageCounters) {
    return this.usage.updateOne(
      { _id: `${workspaceId}:${day}` },
      { $inc: { ...inc }, $setOnInsert: { workspaceId, day } },
      { upsert: true },
    );
  }
  usageSince(workspaceId: string, fromDay: string) {
    return this.usage.find({ workspaceId, day: { $gte: fromDay } }).sort({ day: 1 }).toArray();
  }
  deleteUsageOf(workspaceId: string) {
    return this.usage.deleteMany({ workspaceId });
  }
}
