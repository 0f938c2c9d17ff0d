/**
 * The message search index, shaped for FerretDB v1 (no text indexes; a read costs the size of
 * the collection it touches; see docs/architecture-notes.md).
 *
 *   srch_<rid>_<b>_<h>   postings of room <rid> for messages with seq in block b (BLOCK_SIZE
 *                        seqs each), tokens with hash h (INDEX_SHARDS per block):
 *                        `{_id: token, s: [seq, ...]}`
 *
 * A query reads, per room in scope (only rooms the caller may read), newest block first, only the
 * shards of its tokens, and stops once it has a page; then it reads the candidate messages and
 * checks them against the query (so a stale posting never shows a wrong result).
 *
 * Tokens: the words of the text (plus a file's name and attachment texts), lower-cased, accents
 * removed; the first three letters of every word of 3+ letters (`^abc`, for prefix search on the
 * last word); `~u:<userId>` (from:), `~has:file`, `~has:location`, `~d:YYYY-MM-DD` (UTC day, on:).
 */
export const BLOCK_SIZE = 10_000;
export const INDEX_SHARDS = 16;
export const MAX_TOKENS_PER_MESSAGE = 400;
export const MAX_WORD_LENGTH = 40;

/**
 * A posting: `<ts, 9 base-36 digits><seq, 8 base-36 digits>.<message id>`. Sorting the strings
 * sorts by time (so rooms merge without reading messages, and date operators filter before any
 * message is read); the id lets a result be read with an `_id` lookup in its segment.
 */
export interface PostingDoc {
  _id: string;
  s: string[];
}

export function postingOf(m: { ts: string; seq: number; _id: string }): string {
  return `${Date.parse(m.ts).toString(36).padStart(9, '0')}${m.seq.toString(36).padStart(8, '0')}.${m._id}`;
}

export function parsePosting(p: string): { ts: number; seq: number; id: string } {
  return { ts: parseInt(p.slice(0, 9), 36), seq: parseInt(p.slice(9, 17), 36), id: p.slice(18) };
}

export function blockOf(seq: number): number {
  return Math.floor((seq - 1) / BLOCK_SIZE);
}

export const searchCollection = (rid: string, block: number, shard: number) => `srch_${rid}_${block}_${shard}`;

/** Stable shard of a token (FNV-1a). */
export function tokenShard(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % INDEX_SHARDS;
}
