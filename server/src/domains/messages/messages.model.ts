/**
 * Message storage, shaped for FerretDB v1 as well as MongoDB.
 *
 * FerretDB v1 (SQLite backend) answers every query by reading the whole collection: it pushes
 * no sort, limit, range or index lookup down (an `_id` match is filtered in SQLite but still
 * scans). So the cost of a read is the size of the collection it touches, and message data is
 * kept in many small collections whose size is bounded:
 *
 *   msgs_<rid>_<k>   the messages of room <rid> with seq in segment k (SEGMENT_SIZE each)
 *   chg_<rid>_<k>    the room's change log: change number → message (CHANGE_SEGMENT_SIZE each)
 *   thr_<rid>_<tmid> the replies of one thread: message id → seq
 *   msgref_<n>       message id → (room, seq), hashed over REF_SHARDS collections
 *   message_edits    the text of every edited message before each edit
 *
 * The newest page of a room reads at most a few segments, whatever the room's size.
 */
import type { MessageAttachment, MessageFile, MessageLocation } from '@obmeet/contracts';

export const SEGMENT_SIZE = 250;
export const CHANGE_SEGMENT_SIZE = 1000;
export const REF_SHARDS = 32;

export interface MessageDoc {
  _id: string;
  rid: string;
  seq: number;
  /** change number of the last write to this message */
  change: number;
  msg: string;
  /** system message type */
  t?: string;
  u: { _id: string; username: string; name?: string };
  ts: Date;
  updatedAt: Date;
  editedAt?: Date;
  editedBy?: { _id: string; username: string };
  tmid?: string;
  tshow?: boolean;
  tcount?: number;
  tlm?: Date;
  replies?: string[];
  reactions?: Record<string, { usernames: string[] }>;
  mentions?: { _id: string; username: string }[];
  pinned?: boolean;
  starredBy?: string[];
  deleted?: boolean;
  /** shown instead of the poster's name / avatar (webhooks, bots) */
  alias?: string;
  avatar?: string;
  attachments?: MessageAttachment[];
  /** an action message (`/me`) */
  action?: boolean;
  /** posted by an integration (its id) */
  bot?: { i: string };
  /** an uploaded file (files domain) */
  file?: MessageFile;
  /** a shared location */
  location?: MessageLocation;
  /** a meeting message: the meetings domain keeps this summary up to date */
  meeting?: import('@obmeet/contracts').MessageMeetingDto;
}

export interface MessageRefDoc {
  _id: string;
  rid: string;
  /** null between claiming the id and allocating a sequence number */
  seq: number | null;
}

export interface ChangeDoc {
  _id: number;
  msgId: string;
  seq: number;
}

export interface ThreadEntryDoc {
  _id: string;
  seq: number;
}

export interface EditHistoryDoc {
  _id: string;
  msgId: string;
  rid: string;
  msg: string;
  editedAt: Date;
  editedBy: { _id: string; username: string };
}

export const MESSAGE_EDITS = 'message_edits';

export function segmentOf(seq: number): number {
  return Math.floor((seq - 1) / SEGMENT_SIZE);
}
export function changeSegmentOf(change: number): number {
  return Math.floor((change - 1) / CHANGE_SEGMENT_SIZE);
}
export const collectionNames = {
  segment: (rid: string, k: number) => `msgs_${rid}_${k}`,
  changes: (rid: string, k: number) => `chg_${rid}_${k}`,
  thread: (rid: string, tmid: string) => `thr_${rid}_${tmid}`,
  ref: (shard: number) => `msgref_${shard}`,
};

/** Stable shard of a message id (FNV-1a). */
export function refShardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % REF_SHARDS;
}

export const messageIndexes = [{ collection: MESSAGE_EDITS, key: { msgId: 1 }, unique: false, name: 'msgId' }] as const;
