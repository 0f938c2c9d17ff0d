import type { Db, UpdateFilter } from 'mongodb';
import { isDuplicateKey } from '../../db/connection.js';
import {
  changeSegmentOf,
  collectionNames,
  MESSAGE_EDITS,
  refShardOf,
  REF_SHARDS,
  segmentOf,
  type ChangeDoc,
  type EditHistoryDoc,
  type MessageDoc,
  type MessageRefDoc,
  type ThreadEntryDoc,
} from './messages.model.js';

/** Named queries over the segmented message collections (see messages.model.ts). */
export class MessagesStore {
  constructor(private readonly db: Db) {}

  private segment(rid: string, seq: number) {
    return this.db.collection<MessageDoc>(collectionNames.segment(rid, segmentOf(seq)));
  }
  private refs(id: string) {
    return this.db.collection<MessageRefDoc>(collectionNames.ref(refShardOf(id)));
  }

  // ---- id references -------------------------------------------------------------------------

  /** Claims a message id. Returns null when claimed now, or the existing reference (a retry). */
  async claimId(id: string, rid: string): Promise<MessageRefDoc | null> {
    try {
      await this.refs(id).insertOne({ _id: id, rid, seq: null });
      return null;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return this.refs(id).findOne({ _id: id });
    }
  }
  setRefSeq(id: string, seq: number) {
    return this.refs(id).updateOne({ _id: id }, { $set: { seq } });
  }
  ref(id: string) {
    return this.refs(id).findOne({ _id: id });
  }

  // ---- messages ------------------------------------------------------------------------------

  async insertMessage(doc: MessageDoc): Promise<void> {
    try {
      await this.segment(doc.rid, doc.seq).insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // stored by an earlier attempt of the same send
    }
  }
  message(rid: string, seq: number, id: string) {
    return this.segment(rid, seq).findOne({ _id: id });
  }
  updateMessage(rid: string, seq: number, id: string, update: UpdateFilter<MessageDoc>) {
    return this.segment(rid, seq).findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
  }
  /** All messages of one segment (at most SEGMENT_SIZE), in seq order. */
  async segmentMessages(rid: string, k: number): Promise<MessageDoc[]> {
    const docs = await this.db.collection<MessageDoc>(collectionNames.segment(rid, k)).find({}).toArray();
    return docs.sort((a, b) => a.seq - b.seq);
  }
  /** Messages at the given seqs (reads each segment involved once). */
  async messagesAt(rid: string, seqs: number[]): Promise<MessageDoc[]> {
    const wanted = new Set(seqs);
    const segments = [...new Set(seqs.map(segmentOf))];
    const out: MessageDoc[] = [];
    for (const k of segments) {
      for (const m of await this.segmentMessages(rid, k)) if (wanted.has(m.seq)) out.push(m);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  // ---- change log ------------------------------------------------------------------------------

  async insertChange(rid: string, change: number, msgId: string, seq: number): Promise<void> {
    try {
      await this.db.collection<ChangeDoc>(collectionNames.changes(rid, changeSegmentOf(change))).insertOne({ _id: change, msgId, seq });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  /** Change entries with number > since, oldest first, up to `limit` (reads only the segments needed). */
  async changesSince(rid: string, since: number, lastChange: number, limit: number): Promise<ChangeDoc[]> {
    const out: ChangeDoc[] = [];
    if (since >= lastChange) return out;
    for (let k = changeSegmentOf(since + 1); k <= changeSegmentOf(lastChange) && out.length < limit; k++) {
      const docs = await this.db.collection<ChangeDoc>(collectionNames.changes(rid, k)).find({}).toArray();
      docs.sort((a, b) => a._id - b._id);
      for (const d of docs) if (d._id > since && out.length < limit) out.push(d);
    }
    return out;
  }

  // ---- threads ------------------------------------------------------------------------------

  async addThreadEntry(rid: string, tmid: string, id: string, seq: number): Promise<void> {
    try {
      await this.db.collection<ThreadEntryDoc>(collectionNames.thread(rid, tmid)).insertOne({ _id: id, seq });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  removeThreadEntry(rid: string, tmid: string, id: string) {
    return this.db.collection<ThreadEntryDoc>(collectionNames.thread(rid, tmid)).deleteOne({ _id: id });
  }
  async threadEntries(rid: string, tmid: string): Promise<ThreadEntryDoc[]> {
    const docs = await this.db.collection<ThreadEntryDoc>(collectionNames.thread(rid, tmid)).find({}).toArray();
    return docs.sort((a, b) => a.seq - b.seq);
  }

  // ---- edits -------------------------------------------------------------------------------

  insertEdit(doc: EditHistoryDoc) {
    return this.db.collection<EditHistoryDoc>(MESSAGE_EDITS).insertOne(doc);
  }
  edits(msgId: string) {
    return this.db.collection<EditHistoryDoc>(MESSAGE_EDITS).find({ msgId }).sort({ editedAt: 1 }).toArray();
  }

  // ---- room deletion -------------------------------------------------------------------------

  async dropRoom(rid: string): Promise<void> {
    const names = (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const prefixes = [`msgs_${rid}_`, `chg_${rid}_`, `thr_${rid}_`];
    for (const name of names) {
      if (prefixes.some((p) => name.startsWith(p))) await this.db.collection(name).drop().catch(() => undefined);
    }
    for (let shard = 0; shard < REF_SHARDS; shard++) {
      await this.db.collection(collectionNames.ref(shard)).deleteMany({ rid });
    }
    await this.db.collection(MESSAGE_EDITS).deleteMany({ rid });
  }
}
