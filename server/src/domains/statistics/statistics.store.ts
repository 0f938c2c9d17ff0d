import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { SESSIONS, USERS, type SessionDoc, type UserDoc } from '../accounts/accounts.model.js';
import { ROOMS, type RoomDoc } from '../rooms/rooms.model.js';
import { INTEGRATIONS_COLLECTION } from '../integrations/integrations.model.js';
import type { MessageDoc } from '../messages/messages.model.js';
import type { FileDoc } from '../files/files.model.js';
import { STATS_DAILY, STATS_STATE, type DailyStatsDoc, type InstallDoc, type RollupDoc, type SharingStateDoc } from './statistics.model.js';

type StateDoc = InstallDoc | SharingStateDoc | RollupDoc;

/** Read-only counting over the other domains' collections, plus the statistics domain's own state. */
export class StatisticsStore {
  constructor(private readonly db: Db) {}

  private get state() {
    return this.db.collection<StateDoc>(STATS_STATE);
  }
  private get daily() {
    return this.db.collection<DailyStatsDoc>(STATS_DAILY);
  }

  async installId(now: Date): Promise<string> {
    const existing = (await this.state.findOne({ _id: 'install' })) as InstallDoc | null;
    if (existing) return existing.installId;
    // $setOnInsert: two processes racing keep the first id
    await this.state.updateOne({ _id: 'install' }, { $setOnInsert: { installId: randomUUID(), createdAt: now } }, { upsert: true });
    return ((await this.state.findOne({ _id: 'install' })) as InstallDoc).installId;
  }

  async sharingState(): Promise<SharingStateDoc | null> {
    return (await this.state.findOne({ _id: 'sharing' })) as SharingStateDoc | null;
  }
  async recordSend(set: Partial<Omit<SharingStateDoc, '_id'>>): Promise<void> {
    await this.state.updateOne({ _id: 'sharing' }, { $set: set }, { upsert: true });
  }

  async rollup(): Promise<RollupDoc | null> {
    return (await this.state.findOne({ _id: 'rollup' })) as RollupDoc | null;
  }
  async saveRollup(doc: RollupDoc, days: DailyStatsDoc[]): Promise<void> {
    for (const d of days) {
      const { _id, ...rest } = d;
      await this.daily.updateOne({ _id }, { $set: rest }, { upsert: true });
    }
    await this.state.replaceOne({ _id: 'rollup' }, doc, { upsert: true });
  }
  async dailySince(firstDay: string): Promise<DailyStatsDoc[]> {
    return this.daily.find({ _id: { $gte: firstDay } }).sort({ _id: 1 }).toArray();
  }

  users(): Promise<Pick<UserDoc, 'roles' | 'type' | 'active' | 'status'>[]> {
    return this.db.collection<UserDoc>(USERS).find({}, { projection: { _id: 0, roles: 1, type: 1, active: 1, status: 1 } }).toArray();
  }
  sessionsUsedSince(since: Date): Promise<Pick<SessionDoc, 'userId' | 'lastUsedAt'>[]> {
    return this.db
      .collection<SessionDoc>(SESSIONS)
      .find({ lastUsedAt: { $gte: since } }, { projection: { _id: 0, userId: 1, lastUsedAt: 1 } })
      .toArray();
  }
  rooms(): Promise<Pick<RoomDoc, 't' | 'archived' | 'ro'>[]> {
    return this.db.collection<RoomDoc>(ROOMS).find({}, { projection: { _id: 0, t: 1, archived: 1, ro: 1 } }).toArray();
  }
  async integrations(): Promise<{ incoming: number; outgoing: number }> {
    const c = this.db.collection(INTEGRATIONS_COLLECTION);
    const [incoming, outgoing] = await Promise.all([c.countDocuments({ type: 'webhook-incoming' }), c.countDocuments({ type: 'webhook-outgoing' })]);
    return { incoming, outgoing };
  }

  private async collectionsStartingWith(prefix: string): Promise<string[]> {
    const all = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return all.map((c) => c.name).filter((n) => n.startsWith(prefix));
  }

  /** Uploads: every room's file collection (`rfiles_<rid>`), sizes only. */
  async uploads(): Promise<{ count: number; totalBytes: number }> {
    let count = 0;
    let totalBytes = 0;
    for (const name of await this.collectionsStartingWith('rfiles_')) {
      for (const f of await this.db.collection<FileDoc>(name).find({}, { projection: { _id: 0, size: 1 } }).toArray()) {
        count++;
        totalBytes += f.size;
      }
    }
    return { count, totalBytes };
  }

  /** Visits every stored message (all rooms' segment collections) with only the fields counting needs. */
  async forEachMessage(fn: (m: Pick<MessageDoc, 'ts' | 'deleted' | 'reactions' | 'pinned' | 'tcount'>) => void): Promise<void> {
    for (const name of await this.collectionsStartingWith('msgs_')) {
      const cursor = this.db
        .collection<MessageDoc>(name)
        .find({}, { projection: { _id: 0, ts: 1, deleted: 1, reactions: 1, pinned: 1, tcount: 1 } });
      for await (const m of cursor) fn(m);
    }
  }

  async databaseBuildInfo(): Promise<{ version: string; ferretdb: boolean }> {
    const info = await this.db.admin().command({ buildInfo: 1 });
    // FerretDB v1 answers with a MongoDB-compatible `version` ("7.0.42") and its own as `ferretdbVersion` ("v1.24.2")
    const ferret = typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : (info.ferretdb as { version?: string } | undefined)?.version;
    const raw = String(ferret ?? info.version ?? '0');
    return { version: /\d{1,6}(\.\d{1,6}){0,3}/.exec(raw)?.[0] ?? '0', ferretdb: ferret !== undefined };
  }
}
