/**
 * Media through an SFU for meetings over the peer-to-peer mesh limit: the Janus gateway's
 * VideoRoom plugin, driven from the server with janode. Browsers never talk to Janus's API;
 * they send their session descriptions over the server's socket (meeting.sfu) and the
 * server passes them on, so Janus needs no public API port and no credentials in browsers.
 *
 * One VideoRoom room per meeting and one feed per participant; both numbers are derived
 * from our ids (a hash), so several server processes on one Janus agree without talking.
 * Each participant has one publisher handle and one subscriber handle per feed it watches.
 */
import { createHash } from 'node:crypto';
import { ErrorCodes } from '@obmeet/contracts';
import type { JanodeConnection, JanodeSession } from 'janode';
import type { VideoRoomHandle } from 'janode/plugins/videoroom';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** What the meetings service needs from an SFU. */
export interface SfuGateway {
  /** our offer (audio/video we send) → the SFU's answer */
  publish(meetingId: string, pid: string, offer: Jsep): Promise<Jsep>;
  /** `subscriber` wants `feed`'s media → the SFU's offer */
  subscribe(meetingId: string, subscriber: string, feed: string): Promise<Jsep>;
  /** `subscriber`'s answer to that offer */
  start(meetingId: string, subscriber: string, feed: string, answer: Jsep): Promise<void>;
  /** drops what belongs to participants no longer live; the whole room once the meeting ended */
  sync(meetingId: string, livePids: readonly string[], ended: boolean): Promise<void>;
  /** the feeds published in the meeting's room, by our participant ids (for tests and diagnostics) */
  publishers(meetingId: string): Promise<string[]>;
  close(): Promise<void>;
}

const unavailable = (why: string) => new AppError(ErrorCodes.meetingMediaUnavailable, why, 503);

/** A positive integer below 2^48 (a safe integer for Janus's numeric room and feed ids). */
export function janusNumber(id: string): number {
  return createHash('sha256').update(id).digest().readUIntBE(0, 6) + 1;
}

interface Connected {
  connection: JanodeConnection;
  session: JanodeSession;
  plugin: unknown;
  /** creates and destroys rooms */
  manager: VideoRoomHandle;
}

export class JanusSfu implements SfuGateway {
  private connecting: Promise<Connected> | null = null;
  private readonly rooms = new Map<string, Promise<number>>();
  /** `${meetingId} ${pid} pub` and `${meetingId} ${pid} sub ${feed}` → handle */
  private readonly handles = new Map<string, VideoRoomHandle>();
  /** feed number → our participant id, for publishers() */
  private readonly feeds = new Map<number, string>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly apiSecret: string | undefined,
    private readonly logger?: Logger,
  ) {}

  private connect(): Promise<Connected> {
    if (this.closed) return Promise.reject(unavailable('The media server connection is closed'));
    this.connecting ??= (async () => {
      // imported when first needed: a workspace without Janus never loads janode
      const [{ default: Janode }, { default: VideoRoom }] = await Promise.all([import('janode'), import('janode/plugins/videoroom')]);
      Janode.Logger.setLevel('warning');
      const connection = await Janode.connect({ is_admin: false, address: { url: this.url, ...(this.apiSecret ? { apisecret: this.apiSecret } : {}) }, max_retries: 1, retry_time_secs: 1 });
      connection.once(Janode.EVENT.CONNECTION_CLOSED ?? 'connection_closed', () => this.forget('connection closed'));
      connection.once(Janode.EVENT.CONNECTION_ERROR ?? 'connection_error', () => this.forget('connection error'));
      const session = await connection.create();
      const manager = await session.attach<VideoRoomHandle>(VideoRoom);
      this.logger?.info({ url: this.url }, 'connected to the Janus media server');
      return { connection, session, plugin: VideoRoom, manager };
    })().catch((err: unknown) => {
      this.connecting = null;
      this.logger?.warn({ err, url: this.url }, 'cannot reach the Janus media server');
      throw unavailable('The media server for large meetings is not reachable');
    });
    return this.connecting;
  }

  /** The connection went away: handles and rooms on it are gone too; the next call reconnects. */
  private forget(why: string): void {
    this.logger?.warn({ why }, 'lost the Janus media server connection');
    this.connecting = null;
    this.handles.clear();
    this.rooms.clear();
  }

  private room(meetingId: string): Promise<number> {
    let p = this.rooms.get(meetingId);
    if (!p) {
      p = (async () => {
        const { manager } = await this.connect();
        const room = janusNumber(meetingId);
        const { exists } = await manager.exists({ room });
        if (!exists) {
          await manager.create({ room, description: `obmeet ${meetingId}`, max_publishers: 100, audiocodec: 'opus', videocodec: 'vp8' }).catch(async (err: unknown) => {
            // another server process created it first
            if (!(await manager.exists({ room })).exists) throw err;
          });
        }
        return room;
      })();
      p.catch(() => this.rooms.delete(meetingId));
      this.rooms.set(meetingId, p);
    }
    return p;
  }

  private async attach(key: string): Promise<VideoRoomHandle> {
    await this.drop(key);
    const { session, plugin } = await this.connect();
    const handle = await session.attach<VideoRoomHandle>(plugin);
    this.handles.set(key, handle);
    return handle;
  }

  private async drop(key: string): Promise<void> {
    const h = this.handles.get(key);
    if (!h) return;
    this.handles.delete(key);
    await h.detach().catch(() => undefined);
  }

  private answerOf(r: { jsep?: Jsep }, what: string): Jsep {
    if (!r.jsep) throw unavailable(`The media server sent no session description for ${what}`);
    return { type: r.jsep.type, sdp: r.jsep.sdp };
  }

  async publish(meetingId: string, pid: string, offer: Jsep): Promise<Jsep> {
    const room = await this.room(meetingId);
    const feed = janusNumber(pid);
    this.feeds.set(feed, pid);
    try {
      const handle = await this.attach(`${meetingId} ${pid} pub`);
      return this.answerOf(await handle.joinConfigurePublisher({ room, feed, display: pid, jsep: offer }), 'publishing');
    } catch (err) {
      throw err instanceof AppError ? err : unavailable(`The media server refused to publish: ${(err as Error).message}`);
    }
  }

  async subscribe(meetingId: string, subscriber: string, feed: string): Promise<Jsep> {
    const room = await this.room(meetingId);
    try {
      const handle = await this.attach(`${meetingId} ${subscriber} sub ${feed}`);
      return this.answerOf(await handle.joinSubscriber({ room, feed: janusNumber(feed) }), 'subscribing');
    } catch (err) {
      // most often: that participant has not published yet (the client asks again)
      await this.drop(`${meetingId} ${subscriber} sub ${feed}`);
      throw err instanceof AppError ? err : unavailable(`That participant's media is not available yet: ${(err as Error).message}`);
    }
  }

  async start(meetingId: string, subscriber: string, feed: string, answer: Jsep): Promise<void> {
    const handle = this.handles.get(`${meetingId} ${subscriber} sub ${feed}`);
    if (!handle) throw unavailable('Subscribe to that participant first');
    await handle.start({ jsep: answer }).catch((err: unknown) => {
      throw unavailable(`The media server refused the answer: ${(err as Error).message}`);
    });
  }

  async sync(meetingId: string, livePids: readonly string[], ended: boolean): Promise<void> {
    const live = new Set(livePids);
    for (const key of [...this.handles.keys()]) {
      const [mid, pid, kind, feed] = key.split(' ');
      if (mid !== meetingId) continue;
      if (ended || !live.has(pid!) || (kind === 'sub' && !live.has(feed!))) await this.drop(key);
    }
    if (ended && this.rooms.has(meetingId)) {
      const room = await this.rooms.get(meetingId)!.catch(() => null);
      this.rooms.delete(meetingId);
      if (room !== null && this.connecting) await (await this.connecting).manager.destroy({ room }).catch(() => undefined);
    }
  }

  async publishers(meetingId: string): Promise<string[]> {
    const { manager } = await this.connect();
    const { participants } = await manager.listParticipants({ room: janusNumber(meetingId) });
    return participants.filter((p) => p.publisher).map((p) => this.feeds.get(p.feed) ?? p.display ?? String(p.feed));
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = await this.connecting?.catch(() => null);
    this.connecting = null;
    if (!c) return;
    for (const key of [...this.handles.keys()]) await this.drop(key);
    await c.session.destroy().catch(() => undefined);
    await c.connection.close().catch(() => undefined);
  }
}
