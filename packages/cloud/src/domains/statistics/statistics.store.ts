import type { Collection, Db } from 'mongodb';
import { INSTALLS, STATISTICS, type InstallDoc, type StatisticsDoc } from './statistics.model.js';

export class StatisticsStore {
  readonly statistics: Collection<StatisticsDoc>;
  readonly installs: Collection<InstallDoc>;

  constructor(db: Db) {
    this.statistics = db.collection<StatisticsDoc>(STATISTICS);
    this.installs = db.collection<InstallDoc>(INSTALLS);
  }

  installById(installId: string) {
    return this.installs.findOne({ _id: installId });
  }
  /** Records an install (bound to a workspace when registered, unbound when anonymous). */
  touchInstall(installId: string, now: Date, workspaceId: string | undefined) {
    return this.installs.updateOne(
      { _id: installId },
      workspaceId
        ? { $set: { lastSeenAt: now, workspaceId }, $setOnInsert: { firstSeenAt: now } }
        : { $set: { lastSeenAt: now }, $unset: { workspaceId: '' }, $setOnInsert: { firstSeenAt: now } },
      { upsert: true },
    );
  }
  unbindWorkspace(workspaceId: string) {
    return this.installs.updateMany({ workspaceId }, { $unset: { workspaceId: '' } });
  }
  putDocument(doc: StatisticsDoc) {
    return this.statistics.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
  documentsOf(installId: string) {
    return this.statistics.find({ installId }).sort({ day: 1 }).toArray();
  }
}
