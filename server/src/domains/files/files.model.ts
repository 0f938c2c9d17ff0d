/**
 * Uploaded files, shaped for FerretDB v1 (a read costs the size of the collection it touches, see
 * docs/architecture-notes.md). Nothing here is one workspace-wide collection that grows with use:
 *
 *   file_<key>      the bytes of one stored object (a file, or `<fileId>_t` its thumbnail) in
 *                   chunks `{_id: n, data: Binary}` of CHUNK_SIZE bytes; reading a file reads only
 *                   its own collection, in order. (Not GridFS: on FerretDB every chunk lookup of
 *                   GridFSBucket scans the chunks of every file.)
 *   rfiles_<rid>    the metadata of a room's files (room file list, download lookups)
 *   fileref_<n>     file id → room, hashed over REF_SHARDS collections
 *   ufiles_<uid>    a copy of the metadata of the files one user uploaded (users.files)
 *
 * With `files.storage = disk` the bytes go to `<files.diskPath>/<key[0..2]>/<key>` instead of
 * `file_<key>`; the metadata stays in the database. Each file records where its bytes are, so
 * changing the setting affects new uploads only.
 */
export const CHUNK_SIZE = 255 * 1024;
export const FILE_REF_SHARDS = 32;
/** images larger than this get dimensions and a thumbnail only if sharp can read them within the limit */
export const THUMB_MAX_INPUT_BYTES = 50 * 1024 * 1024;
export const THUMB_MAX_SIDE = 360;

export type StoredAt = { kind: 'database' } | { kind: 'disk'; dir: string };

export interface FileDoc {
  _id: string;
  rid: string;
  /** the message that carries the file (its id is chosen before the message is sent) */
  msgId: string;
  name: string;
  /** detected from the bytes */
  type: string;
  size: number;
  userId: string;
  username: string;
  storage: StoredAt;
  image?: { width: number; height: number };
  thumb?: { type: string; size: number };
  uploadedAt: Date;
}

export interface FileRefDoc {
  _id: string;
  rid: string;
}

export interface ChunkDoc {
  _id: number;
  data: import('mongodb').Binary;
}

export const fileCollections = {
  chunks: (key: string) => `file_${key}`,
  room: (rid: string) => `rfiles_${rid}`,
  user: (uid: string) => `ufiles_${uid}`,
  ref: (shard: number) => `fileref_${shard}`,
};

export const thumbKey = (fileId: string) => `${fileId}_t`;

/** Stable shard of a file id (FNV-1a). */
export function fileRefShardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % FILE_REF_SHARDS;
}

/** No indexes: every collection here is small and found by name. */
export const fileIndexes = [] as const;
