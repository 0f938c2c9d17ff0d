import { Binary, type Db } from 'mongodb';
import { isDuplicateKey } from '../../db/connection.js';
import { fileCollections, fileRefShardOf, type ChunkDoc, type FileDoc, type FileRefDoc } from './files.model.js';

/** Named queries over the file collections (see files.model.ts). */
export class FilesStore {
  constructor(private readonly db: Db) {}

  // ---- chunks of one stored object ---------------------------------------------------------

  async insertChunk(key: string, n: number, data: Buffer): Promise<void> {
    try {
      await this.db.collection<ChunkDoc>(fileCollections.chunks(key)).insertOne({ _id: n, data: new Binary(data) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  /** Every chunk of one object in storage order (insertion order); the reader re-orders if needed. */
  chunkCursor(key: string) {
    return this.db.collection<ChunkDoc>(fileCollections.chunks(key)).find({}, { batchSize: 4 });
  }
  async dropChunks(key: string): Promise<void> {
    await this.db.collection(fileCollections.chunks(key)).drop().catch(() => undefined);
  }

  // ---- metadata ------------------------------------------------------------------------------

  async insertFile(doc: FileDoc): Promise<void> {
    await this.db.collection<FileDoc>(fileCollections.room(doc.rid)).insertOne(doc);
    await this.db.collection<FileRefDoc>(fileCollections.ref(fileRefShardOf(doc._id))).insertOne({ _id: doc._id, rid: doc.rid });
    await this.db.collection<FileDoc>(fileCollections.user(doc.userId)).insertOne(doc);
  }
  ref(fileId: string) {
    return this.db.collection<FileRefDoc>(fileCollections.ref(fileRefShardOf(fileId))).findOne({ _id: fileId });
  }
  fileInRoom(rid: string, fileId: string) {
    return this.db.collection<FileDoc>(fileCollections.room(rid)).findOne({ _id: fileId });
  }
  /** All files of a room (the collection holds that room's files only). */
  filesOfRoom(rid: string) {
    return this.db.collection<FileDoc>(fileCollections.room(rid)).find({}).toArray();
  }
  filesOfUser(uid: string) {
    return this.db.collection<FileDoc>(fileCollections.user(uid)).find({}).toArray();
  }
  async deleteFile(doc: Pick<FileDoc, '_id' | 'rid' | 'userId'>): Promise<void> {
    await this.db.collection<FileDoc>(fileCollections.room(doc.rid)).deleteOne({ _id: doc._id });
    await this.db.collection<FileRefDoc>(fileCollections.ref(fileRefShardOf(doc._id))).deleteOne({ _id: doc._id });
    await this.db.collection<FileDoc>(fileCollections.user(doc.userId)).deleteOne({ _id: doc._id });
  }
  async dropRoomFiles(rid: string): Promise<void> {
    await this.db.collection(fileCollections.room(rid)).drop().catch(() => undefined);
  }
}
