import { Readable } from 'node:stream';
import { UploadFields, type FileDto, type MessageDto } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { Actor } from '../accounts/index.js';
import type { MessagesService } from '../messages/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { SettingsService } from '../settings/index.js';
import { readImage } from './files.images.js';
import { THUMB_MAX_INPUT_BYTES, thumbKey, type FileDoc, type StoredAt } from './files.model.js';
import { FilePolicy } from './files.policy.js';
import { fileUrl, presentFile, thumbUrl } from './files.present.js';
import { DatabaseBlobStorage, DiskBlobStorage, type BlobStorage } from './files.storage.js';
import type { FilesStore } from './files.store.js';
import { ACTIVE_TYPES, cleanFileName, contentDisposition, detectType, INLINE_IMAGE_TYPES, SNIFF_BYTES, THUMBNAIL_TYPES } from './files.types.js';

/** The file part of an upload, while it arrives. */
export interface IncomingFile {
  stream: Readable;
  filename: string;
  mimeType: string;
}

/** An upload body (multipart in HTTP): hands the file part to `onFile` as it streams, returns the text fields. */
export interface UploadSource {
  read(
    onFile: (file: IncomingFile) => Promise<void>,
    limits: { maxFileBytes: number },
  ): Promise<{ fields: Record<string, string>; hadFile: boolean }>;
}

/** What a download sends. */
export interface FileDownload {
  stream: Readable;
  size: number;
  /** Content-Type to send (active types are sent as application/octet-stream) */
  contentType: string;
  disposition: string;
}

interface Received {
  id: string;
  name: string;
  type: string;
  size: number;
  storage: BlobStorage;
}

export class FilesService {
  private readonly database: DatabaseBlobStorage;

  constructor(
    private readonly store: FilesStore,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {
    this.database = new DatabaseBlobStorage(store);
    // deleting the message deletes its file; deleting the room deletes all its files
    messages.hooks.deleted.push(async (m) => {
      if (!m.file) return;
      await this.removeFile(m.file._id).catch((err: unknown) => this.logger?.error({ err, fileId: m.file?._id }, 'could not delete a file'));
    });
    rooms.onRoomDeletion((room) => this.dropRoom(room._id));
  }

  private storageAt(at: StoredAt): BlobStorage {
    return at.kind === 'disk' ? new DiskBlobStorage(at.dir) : this.database;
  }

  private async currentStorage(): Promise<BlobStorage> {
    if ((await this.settings.get('files.storage')) === 'disk') return new DiskBlobStorage(await this.settings.get('files.diskPath'));
    return this.database;
  }

  /** Where a new stored object goes (the files settings); other domains keep their objects there too (meeting recordings). */
  newObjectStorage(): Promise<BlobStorage> {
    return this.currentStorage();
  }

  /** The storage an object was written to (recorded with the object). */
  objectStorage(at: StoredAt): BlobStorage {
    return this.storageAt(at);
  }

  // ---- upload --------------------------------------------------------------------------------

  /**
   * Streams the file into storage (checking size and type while it arrives; nothing is kept when
   * a check fails), then posts a message with the file attached in the room or thread.
   */
  async upload(actor: Actor, rid: string, source: UploadSource): Promise<{ message: MessageDto; file: FileDto }> {
    const { room } = await this.rooms.requirePostable(actor, rid);
    const limits = {
      max: await this.settings.get('files.maxSizeBytes'),
      allowedTypes: await this.settings.get('files.allowedTypes'),
      blockedTypes: await this.settings.get('files.blockedTypes'),
    };
    const storage = await this.currentStorage();

    let received: Received | null = null;
    let fields: Record<string, string>;
    let hadFile: boolean;
    try {
      ({ fields, hadFile } = await source.read(async (file) => {
        received = await this.receive(file, storage, limits);
      }, { maxFileBytes: limits.max }));
    } catch (err) {
      if (received) await this.discard(received);
      throw err;
    }
    const got = received as Received | null;
    if (!hadFile || !got) throw Errors.invalid('Send the file in a multipart field named "file"');

    let doc: FileDoc | null = null;
    try {
      const parsed = UploadFields.safeParse(fields);
      if (!parsed.success) throw Errors.invalid(`Invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const body = parsed.data;
      const msgId = newId();
      doc = {
        _id: got.id,
        rid: room._id,
        msgId,
        name: got.name,
        type: got.type,
        size: got.size,
        userId: actor.userId,
        username: actor.username,
        storage: got.storage.at,
        uploadedAt: this.clock.now(),
      };
      if (THUMBNAIL_TYPES.has(got.type) && got.size <= THUMB_MAX_INPUT_BYTES) {
        const info = await readImage(got.storage.read(got.id, got.size), got.type);
        if (info) {
          doc.image = { width: info.width, height: info.height };
          if (info.thumb) {
            await got.storage.write(thumbKey(got.id), Readable.from([info.thumb.data]));
            doc.thumb = { type: info.thumb.type, size: info.thumb.data.length };
          }
        }
      }
      await this.store.insertFile(doc);
      const message = await this.messages.send(actor, {
        _id: msgId,
        rid: room._id,
        msg: body.msg ?? '',
        ...(body.tmid ? { tmid: body.tmid, tshow: body.tshow === 'true' } : {}),
        file: {
          _id: doc._id,
          name: doc.name,
          type: doc.type,
          size: doc.size,
          url: fileUrl(doc),
          ...(body.description ? { description: body.description } : {}),
          ...(doc.image ? { image: { ...doc.image, ...(doc.thumb ? { thumbUrl: thumbUrl(doc) } : {}) } } : {}),
        },
      });
      return { message, file: presentFile(doc) };
    } catch (err) {
      if (doc) await this.store.deleteFile(doc).catch(() => undefined);
      await this.discard(got);
      throw err;
    }
  }

  /** Stores one incoming file; on any failure removes what was written and rethrows. */
  private async receive(
    file: IncomingFile,
    storage: BlobStorage,
    limits: { max: number; allowedTypes: string; blockedTypes: string },
  ): Promise<Received> {
    const id = newId();
    const name = cleanFileName(file.filename);
    let type = 'application/octet-stream';
    const checked = async function* (): AsyncGenerator<Buffer> {
      const head: Buffer[] = [];
      let headLen = 0;
      let total = 0;
      let decided = false;
      const decide = async () => {
        const detected = await detectType(Buffer.concat(head, headLen).subarray(0, SNIFF_BYTES), name, file.mimeType);
        FilePolicy.assertTypeAllowed(detected, limits);
        type = detected.type;
        decided = true;
      };
      for await (const chunk of file.stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limits.max) throw FilePolicy.tooLarge(limits.max);
        if (decided) {
          yield chunk;
          continue;
        }
        head.push(chunk);
        headLen += chunk.length;
        if (headLen >= SNIFF_BYTES) {
          await decide(); // nothing is written before the type is accepted
          yield Buffer.concat(head, headLen);
        }
      }
      if (!decided) {
        await decide();
        if (headLen) yield Buffer.concat(head, headLen);
      }
    };
    try {
      const size = await storage.write(id, checked());
      return { id, name, type, size, storage };
    } catch (err) {
      await storage.remove(id).catch(() => undefined);
      throw err;
    }
  }

  private async discard(r: Received): Promise<void> {
    await r.storage.remove(r.id).catch(() => undefined);
    await r.storage.remove(thumbKey(r.id)).catch(() => undefined);
  }

  // ---- download ------------------------------------------------------------------------------

  /** The file (or its thumbnail) for someone who may read its room; anyone else gets a 404. */
  async download(actor: Actor, fileId: string, thumb: boolean): Promise<FileDownload> {
    const ref = await this.store.ref(fileId);
    if (!ref) throw Errors.notFound('File');
    await this.rooms.requireReadable(actor, ref.rid).catch(() => {
      throw Errors.notFound('File');
    });
    const doc = await this.store.fileInRoom(ref.rid, fileId);
    if (!doc) throw Errors.notFound('File');
    const storage = this.storageAt(doc.storage);
    if (thumb && doc.thumb) {
      return {
        stream: storage.read(thumbKey(doc._id), doc.thumb.size),
        size: doc.thumb.size,
        contentType: doc.thumb.type,
        disposition: contentDisposition('inline', `thumb-${doc.name.replace(/\.[^.]*$/, '')}.${doc.thumb.type === 'image/jpeg' ? 'jpg' : 'png'}`),
      };
    }
    const inline = INLINE_IMAGE_TYPES.has(doc.type);
    return {
      stream: storage.read(doc._id, doc.size),
      size: doc.size,
      contentType: ACTIVE_TYPES.has(doc.type) ? 'application/octet-stream' : doc.type,
      disposition: contentDisposition(inline ? 'inline' : 'attachment', doc.name),
    };
  }

  // ---- lists ---------------------------------------------------------------------------------

  async roomFiles(actor: Actor, rid: string, offset: number, count: number) {
    const { room } = await this.rooms.requireReadable(actor, rid);
    const files = (await this.store.filesOfRoom(room._id)).sort((a, b) => b.uploadedAt.getTime() - a.uploadedAt.getTime());
    return { room, files: files.slice(offset, offset + count).map(presentFile), total: files.length };
  }

  async userFiles(actor: Actor, offset: number, count: number) {
    const files = (await this.store.filesOfUser(actor.userId)).sort((a, b) => b.uploadedAt.getTime() - a.uploadedAt.getTime());
    return { files: files.slice(offset, offset + count).map(presentFile), total: files.length };
  }

  // ---- deletion ------------------------------------------------------------------------------

  /** Removes a file's metadata (no more downloads), then its bytes and thumbnail. */
  async removeFile(fileId: string): Promise<void> {
    const ref = await this.store.ref(fileId);
    if (!ref) return;
    const doc = await this.store.fileInRoom(ref.rid, fileId);
    if (!doc) return;
    await this.store.deleteFile(doc);
    const storage = this.storageAt(doc.storage);
    await storage.remove(doc._id);
    if (doc.thumb) await storage.remove(thumbKey(doc._id));
  }

  private async dropRoom(rid: string): Promise<void> {
    for (const doc of await this.store.filesOfRoom(rid)) {
      await this.store.deleteFile(doc);
      const storage = this.storageAt(doc.storage);
      await storage.remove(doc._id).catch(() => undefined);
      await storage.remove(thumbKey(doc._id)).catch(() => undefined);
    }
    await this.store.dropRoomFiles(rid);
  }
}
