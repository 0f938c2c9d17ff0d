import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { blockOf, INDEX_SHARDS, searchCollection, tokenShard, type PostingDoc } from './search.model.js';

function byShard(tokens: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const t of tokens) {
    const h = tokenShard(t);
    let list = out.get(h);
    if (!list) out.set(h, (list = []));
    list.push(t);
  }
  return out;
}

/** Named queries over the posting collections (see search.model.ts). */
export class SearchStore {
  constructor(private readonly db: Db) {}

  private shard(rid: string, block: number, h: number) {
    return this.db.collection<PostingDoc>(searchCollection(rid, block, h));
  }

  async addPostings(rid: string, seq: number, posting: string, tokens: string[]): Promise<void> {
    await this.write(rid, seq, tokens, (t) => ({ updateOne: { filter: { _id: t }, update: { $addToSet: { s: posting } }, upsert: true } }));
  }

  async removePostings(rid: string, seq: number, posting: string, tokens: string[]): Promise<void> {
    await this.write(rid, seq, tokens, (t) => ({ updateOne: { filter: { _id: t }, update: { $pull: { s: posting } } } }));
  }

  private async write(rid: string, seq: number, tokens: string[], op: (t: string) => AnyBulkWriteOperation<PostingDoc>) {
    const block = blockOf(seq);
    for (const [h, list] of byShard(tokens)) {
      await this.shard(rid, block, h).bulkWrite(list.map(op), { ordered: false });
    }
  }

  /** token → seqs in one block, for the given tokens (reads one collection per shard involved). */
  async postings(rid: string, block: number, tokens: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const [h, list] of byShard(tokens)) {
      const docs = await this.shard(rid, block, h).find(list.length === 1 ? { _id: list[0]! } : { _id: { $in: list } }).toArray();
      for (const d of docs) out.set(d._id, d.s);
    }
    return out;
  }

  /** Replaces a whole block (rebuilds): drops its shards, writes the given postings. */
  async replaceBlock(rid: string, block: number, postings: Map<string, string[]>): Promise<void> {
    await this.dropBlock(rid, block);
    const groups = new Map<number, PostingDoc[]>();
    for (const [t, s] of postings) {
      const h = tokenShard(t);
      let list = groups.get(h);
      if (!list) groups.set(h, (list = []));
      list.push({ _id: t, s });
    }
    for (const [h, docs] of groups) {
      for (let i = 0; i < docs.length; i += 2000) await this.shard(rid, block, h).insertMany(docs.slice(i, i + 2000), { ordered: false });
    }
  }

  async dropBlock(rid: string, block: number): Promise<void> {
    for (let h = 0; h < INDEX_SHARDS; h++) await this.shard(rid, block, h).drop().catch(() => undefined);
  }

  async dropRoom(rid: string, lastSeq: number): Promise<void> {
    for (let b = 0; b <= (lastSeq > 0 ? blockOf(lastSeq) : 0); b++) await this.dropBlock(rid, b);
  }
}
