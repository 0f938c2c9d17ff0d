import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Errors } from '../../errors.js';
import { CHUNK_SIZE, type StoredAt } from './files.model.js';
import type { FilesStore } from './files.store.js';

/**
 * Where the bytes of stored objects live. One interface, two places: the workspace database (one
 * collection per object) or a directory. Keys are ids (`[A-Za-z0-9_-]`), never client names.
 */
export interface BlobStorage {
  readonly at: StoredAt;
  /** Consumes `source` and stores it; returns the byte count. Partial data is left for `remove`. */
  write(key: string, source: AsyncIterable<Buffer>): Promise<number>;
  /** The object's bytes, streamed in order. `size` is what write() returned. */
  read(key: string, size: number): Readable;
  remove(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]{1,80}$/;
function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error('invalid storage key');
  return key;
}

export class DatabaseBlobStorage implements BlobStorage {
  readonly at = { kind: 'database' } as const;
  constructor(private readonly store: FilesStore) {}

  async write(key: string, source: AsyncIterable<Buffer>): Promise<number> {
    checkKey(key);
    let n = 0;
    let total = 0;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    for await (const chunk of source) {
      total += chunk.length;
      pending.push(chunk);
      pendingLen += chunk.length;
      while (pendingLen >= CHUNK_SIZE) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLen);
        await this.store.insertChunk(key, n++, all.subarray(0, CHUNK_SIZE));
        const rest = all.subarray(CHUNK_SIZE);
        pending = rest.length ? [rest] : [];
        pendingLen = rest.length;
      }
    }
    if (pendingLen) await this.store.insertChunk(key, n++, Buffer.concat(pending, pendingLen));
    return total;
  }

  read(key: string, size: number): Readable {
    checkKey(key);
    const expected = Math.ceil(size / CHUNK_SIZE);
    const store = this.store;
    return Readable.from(
      (async function* () {
        // FerretDB returns a collection in insertion order (it pushes no sort down, and a sort would
        // make it buffer the whole file); chunks arriving out of order wait in `early` until their turn.
        const early = new Map<number, Buffer>();
        let next = 0;
        for await (const doc of store.chunkCursor(key)) {
          const data = Buffer.from(doc.data.buffer.buffer, doc.data.buffer.byteOffset, doc.data.length());
          if (doc._id !== next) {
            early.set(doc._id, data);
            continue;
          }
          yield data;
          next++;
          while (early.has(next)) {
            yield early.get(next)!;
            early.delete(next++);
          }
        }
        if (next !== expected) throw new Error(`stored object ${key} is incomplete (${next}/${expected} chunks)`);
      })(),
      { objectMode: false },
    );
  }

  remove(key: string): Promise<void> {
    return this.store.dropChunks(checkKey(key));
  }
}

export class DiskBlobStorage implements BlobStorage {
  readonly at: StoredAt;
  constructor(private readonly dir: string) {
    if (!dir || !isAbsolute(dir)) throw Errors.invalid('files.diskPath must be an absolute directory when files.storage is "disk"');
    this.at = { kind: 'disk', dir };
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.dir, key.slice(0, 2), key);
  }

  async write(key: string, source: AsyncIterable<Buffer>): Promise<number> {
    const path = this.path(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    let total = 0;
    const counted = async function* () {
      for await (const chunk of source) {
        total += chunk.length;
        yield chunk;
      }
    };
    await pipeline(Readable.from(counted()), createWriteStream(`${path}.part`, { flags: 'wx' }));
    await rename(`${path}.part`, path);
    return total;
  }

  read(key: string): Readable {
    return createReadStream(this.path(key));
  }

  async remove(key: string): Promise<void> {
    const path = this.path(key);
    await rm(path, { force: true });
    await rm(`${path}.part`, { force: true });
  }
}
