import type { Db } from 'mongodb';
import { Readable } from 'node:stream';
import { ErrorCodes } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { Actor } from '../accounts/index.js';
import { contentDisposition, FilePolicy, type FilesService, type StoredAt } from '../files/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { SettingsService } from '../settings/index.js';
import type { MeetingsPort } from './meetings.port.js';

/**
 * Meeting recordings, made in the recorder's browser (MediaRecorder) and uploaded in numbered
 * chunks while the meeting runs, so a closed tab loses at most the chunk in flight.
 *
 * Each chunk is stored, streamed, as its own object `<recordingId>_<index>` in the workspace's
 * file storage (database or disk, per the files settings at the start of the recording); the
 * recording document lists the parts, and a download streams them one after the other. A chunk
 * must carry the next index: a retry of a stored index is accepted and ignored (idempotent), a
 * gap is refused. The sum of the parts may not exceed `files.maxSizeBytes`.
 * `finish` (or, for a recorder that vanished, the stale sweep) attaches the recording to the
 * meeting record.
 */

export interface RecordingDoc {
  _id: string;
  meetingId: string;
  /** the meeting's room: deleting the room deletes its recordings */
  rid: string;
  userId: string;
  username: string;
  status: 'recording' | 'finished';
  /** the container type from the first chunk */
  type: string;
  storage: StoredAt;
  /** sizes of the stored parts, in index order */
  parts: number[];
  /** the index the next chunk must carry (= parts.length) */
  nextIndex: number;
  size: number;
  startedAt: Date;
  lastChunkAt: Date;
  finishedAt?: Date;
}

export const RECORDINGS_COLLECTION = 'meeting_recordings';
/** a recording with no chunk for this long is finished by the sweep (the recorder's tab is gone) */
export const RECORDING_STALE_MS = 10 * 60_000;
const MEDIA_TYPES = new Set(['video/webm', 'audio/webm', 'video/mp4', 'audio/mp4', 'audio/ogg']);

export const partKey = (recordingId: string, index: number) => `${recordingId}_${index}`;
export const recordingUrl = (recordingId: string) => `/api/v1/meetings.recording.download?recordingId=${recordingId}`;

export class RecordingsStore {
  constructor(private readonly db: Db) {}
  private get col() {
    return this.db.collection<RecordingDoc>(RECORDINGS_COLLECTION);
  }
  insert(doc: RecordingDoc) {
    return this.col.insertOne(doc);
  }
  get(id: string) {
    return this.col.findOne({ _id: id });
  }
  /** Records a stored part, only if it is still the next one (the per-recording queue makes that so). */
  async addPart(id: string, index: number, size: number, type: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne(
      { _id: id, status: 'recording', nextIndex: index },
      { $push: { parts: size }, $inc: { size, nextIndex: 1 }, $set: { lastChunkAt: at, ...(index === 0 ? { type } : {}) } },
    );
    return r.modifiedCount === 1;
  }
  async finish(id: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne({ _id: id, status: 'recording' }, { $set: { status: 'finished', finishedAt: at } });
    return r.modifiedCount === 1;
  }
  activeOfMeeting(meetingId: string) {
    return this.col.find({ meetingId, status: 'recording' }).toArray();
  }
  ofRoom(rid: string) {
    return this.col.find({ rid }).toArray();
  }
  async delete(id: string): Promise<void> {
    await this.col.deleteOne({ _id: id });
  }
  staleSince(before: Date) {
    return this.col.find({ status: 'recording', lastChunkAt: { $lt: before } }).toArray();
  }
}

export interface RecordingDownload {
  stream: Readable;
  size: number;
  contentType: string;
  disposition: string;
}

export class MeetingsRecordingsService {
  /** one chunk at a time per recording, in this process (FerretDB updates are not atomic) */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RecordingsStore,
    private readonly meetings: MeetingsPort,
    private readonly files: FilesService,
    private readonly rooms: RoomsService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {
    rooms.onRoomDeletion((room) => this.dropRoom(room._id));
  }

  /** Deletes every recording of a room's meetings: the document first (no more downloads), then the parts. */
  private async dropRoom(rid: string): Promise<void> {
    for (const rec of await this.store.ofRoom(rid)) {
      await this.store.delete(rec._id);
      const storage = this.files.objectStorage(rec.storage);
      for (let i = 0; i < rec.nextIndex; i++) await storage.remove(partKey(rec._id, i)).catch(() => undefined);
    }
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return next;
  }

  /** A moderator starts recording a live meeting (when the admin allows recordings); everyone is told. */
  async start(actor: Actor, meetingId: string): Promise<RecordingDoc> {
    if (!(await this.settings.get('meetings.recording.allowed'))) {
      throw Errors.of(ErrorCodes.forbidden, 'Recording meetings is turned off by the administrator', 403);
    }
    const m = await this.meetings.find(meetingId);
    if (!m) throw Errors.notFound('Meeting');
    if (!(await this.meetings.isModerator(actor, m))) throw Errors.forbidden('Only a moderator may record the meeting');
    if (m.status !== 'live') throw Errors.conflict(ErrorCodes.conflict, 'Only a running meeting can be recorded');
    const now = this.clock.now();
    const doc: RecordingDoc = {
      _id: newId(),
      meetingId,
      rid: m.rid,
      userId: actor.userId,
      username: actor.username,
      status: 'recording',
      type: 'video/webm',
      storage: (await this.files.newObjectStorage()).at,
      parts: [],
      nextIndex: 0,
      size: 0,
      startedAt: now,
      lastChunkAt: now,
    };
    await this.store.insert(doc);
    // the flag first tells every participant (and later joiners, before they enter)
    await this.meetings.setRecording(meetingId, true);
    return doc;
  }

  /**
   * Stores chunk `index` of a recording from `body`, streamed. Only the recorder may send chunks.
   * `index` below the next one: a retry, drained and ignored; above it: refused (409).
   */
  async chunk(actor: Actor, recordingId: string, index: number, body: Readable, contentType: string | undefined): Promise<{ index: number; size: number; duplicate: boolean }> {
    return this.serial(recordingId, async () => {
      const rec = await this.store.get(recordingId);
      if (!rec || rec.userId !== actor.userId) throw Errors.notFound('Recording');
      if (index < rec.nextIndex) {
        body.resume(); // already stored: a retry after a lost response
        return { index, size: rec.size, duplicate: true };
      }
      if (rec.status !== 'recording') throw Errors.conflict(ErrorCodes.conflict, 'The recording is finished');
      if (index > rec.nextIndex) {
        throw Errors.conflict(ErrorCodes.conflict, `Chunk ${index} is out of order: the next chunk is ${rec.nextIndex}`);
      }
      const max = await this.settings.get('files.maxSizeBytes');
      const storage = this.files.objectStorage(rec.storage);
      const key = partKey(rec._id, index);
      const already = rec.size;
      // counts while it streams: the whole recording may not pass the upload limit
      const limited = async function* (): AsyncGenerator<Buffer> {
        let n = 0;
        for await (const chunk of body as AsyncIterable<Buffer>) {
          n += chunk.length;
          if (already + n > max) throw FilePolicy.tooLarge(max);
          yield chunk;
        }
      };
      let size: number;
      try {
        await storage.remove(key); // leftovers of an interrupted earlier attempt at this index
        size = await storage.write(key, limited());
      } catch (err) {
        body.resume();
        await storage.remove(key).catch(() => undefined);
        throw err;
      }
      if (size === 0) {
        await storage.remove(key).catch(() => undefined);
        throw Errors.invalid('The chunk is empty');
      }
      const type = contentType && MEDIA_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase()) ? contentType.split(';')[0]!.trim().toLowerCase() : rec.type;
      if (!(await this.store.addPart(rec._id, index, size, type, this.clock.now()))) {
        await storage.remove(key).catch(() => undefined);
        throw Errors.conflict(ErrorCodes.conflict, 'The recording changed meanwhile; send the chunk again');
      }
      return { index, size: already + size, duplicate: false };
    });
  }

  /** The recorder (or a moderator) ends the recording; it is attached to the meeting record. */
  async finish(actor: Actor, recordingId: string): Promise<RecordingDoc> {
    return this.serial(recordingId, async () => {
      const rec = await this.store.get(recordingId);
      if (!rec) throw Errors.notFound('Recording');
      if (rec.userId !== actor.userId) {
        const m = await this.meetings.find(rec.meetingId);
        if (!m || !(await this.meetings.isModerator(actor, m))) throw Errors.notFound('Recording');
      }
      if (rec.status === 'recording') await this.close(rec);
      return (await this.store.get(recordingId))!;
    });
  }

  private async close(rec: RecordingDoc): Promise<void> {
    if (!(await this.store.finish(rec._id, this.clock.now()))) return;
    if (rec.parts.length) await this.meetings.attachRecording(rec.meetingId, { _id: rec._id, url: recordingUrl(rec._id), size: rec.size });
    // the flag stays on while someone else still records this meeting
    if (!(await this.store.activeOfMeeting(rec.meetingId)).length) await this.meetings.setRecording(rec.meetingId, false);
  }

  /** Finishes recordings whose recorder stopped sending chunks (closed tab): they keep what arrived. */
  async finishStale(): Promise<number> {
    const stale = await this.store.staleSince(new Date(this.clock.now().getTime() - RECORDING_STALE_MS));
    for (const rec of stale) {
      await this.serial(rec._id, async () => {
        const fresh = await this.store.get(rec._id);
        if (fresh?.status === 'recording') await this.close(fresh);
      }).catch((err: unknown) => this.logger?.error({ err, recordingId: rec._id }, 'could not finish a stale recording'));
    }
    return stale.length;
  }

  /** The recording's bytes (all parts in order) for those who may see the meeting's record; others get a 404. */
  async download(actor: Actor, recordingId: string): Promise<RecordingDownload> {
    const rec = await this.store.get(recordingId);
    if (!rec || !rec.parts.length) throw Errors.notFound('Recording');
    const m = await this.meetings.find(rec.meetingId);
    if (!m || !(await this.meetings.canSeeRecord(actor, m))) throw Errors.notFound('Recording');
    const storage = this.files.objectStorage(rec.storage);
    const parts = [...rec.parts];
    // one part open at a time, pulled as the client reads: never the whole recording in memory
    const out = Readable.from(
      (async function* () {
        for (let i = 0; i < parts.length; i++) yield* storage.read(partKey(rec._id, i), parts[i]!) as AsyncIterable<Buffer>;
      })(),
      { objectMode: false },
    );
    const ext = rec.type.includes('mp4') ? 'mp4' : rec.type.includes('ogg') ? 'ogg' : 'webm';
    const name = `${m.title.replace(/[^\p{L}\p{N} _-]/gu, '_').slice(0, 60) || 'meeting'} ${rec.startedAt.toISOString().slice(0, 16).replace(':', '-')}.${ext}`;
    return { stream: out, size: rec.size, contentType: rec.type, disposition: contentDisposition('attachment', name) };
  }
}
