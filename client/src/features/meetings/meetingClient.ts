/**
 * The meeting page's link to the server: REST for join/leave and moderator actions,
 * socket.io for live state and the signalling relay. It turns the wire contract
 * (packages/contracts/src/meetings.ts) into the view model in model.ts, and offers the
 * mesh engine a SignalTransport.
 */
import type { UserDto } from '@obmeet/contracts';
import { io, type Socket } from 'socket.io-client';
import { API_BASE, ApiError, get, post } from '../../api/http';
import type { WireMeeting } from './meetingsApi';
import type { JoinOutcome, MeetingView, RefusalReason } from './model';
import type { SfuSignalling } from './rtc/sfu';
import type { SignalPayload, SignalTransport } from './rtc/transport';

export type MeetingEvent =
  | { type: 'update' }
  | { type: 'admitted'; outcome: Extract<JoinOutcome, { kind: 'joined' }> }
  | { type: 'refused'; reason: RefusalReason; message?: string }
  | { type: 'removed' }
  | { type: 'ended' }
  | { type: 'muted' };

export interface MeetingClient {
  /** what the pre-join screen shows (title, recording, ended, guests allowed) */
  load(): Promise<MeetingView>;
  join(options: { audio: boolean; video: boolean; guest?: { name: string; email: string } }): Promise<JoinOutcome>;
  leave(): Promise<void>;
  /** stops listening; after leave() */
  close(): void;
  meeting(): MeetingView | null;
  subscribe(listener: (e: MeetingEvent) => void): () => void;
  readonly transport: SignalTransport;
  /** session descriptions for the SFU (meetings over the mesh limit) */
  readonly sfu: SfuSignalling;
  setMedia(state: { audio?: boolean; video?: boolean }): Promise<void>;
  mute(participantId: string): Promise<void>;
  remove(participantId: string): Promise<void>;
  lock(locked: boolean): Promise<void>;
  /** guests with the link may knock (they wait in the lobby) */
  setGuestsAllowed(allowed: boolean): Promise<void>;
  end(): Promise<void>;
  admit(guestId: string): Promise<void>;
  deny(guestId: string): Promise<void>;
  startRecording(): Promise<string>;
  uploadChunk(recordingId: string, index: number, chunk: Blob): Promise<void>;
  stopRecording(): Promise<void>;
}

interface WireParticipant {
  _id: string;
  userId?: string;
  username?: string;
  name: string;
  guest?: boolean;
  moderator?: boolean;
  audio: boolean;
  video: boolean;
}

interface WireLiveMeeting extends WireMeeting {
  locked?: boolean;
  recording?: boolean;
  recordingAllowed?: boolean;
  guestsAllowed?: boolean;
  media?: 'mesh' | 'sfu';
  live?: WireParticipant[];
  lobby?: Array<{ _id: string; name: string; email?: string }>;
  moderators?: string[];
}

interface WireJoin {
  status: 'joined' | 'lobby';
  participantId: string;
  /** guests: the token their meeting socket authenticates with */
  guestToken?: string;
  iceServers: RTCIceServer[];
  video: boolean;
  meeting: WireLiveMeeting;
}

const REFUSALS: Record<string, RefusalReason> = {
  'error-meeting-locked': 'locked',
  'error-meeting-full': 'full',
  'error-meeting-ended': 'ended',
  'error-meeting-removed': 'removed',
  'error-meeting-guests-not-allowed': 'guests-not-allowed',
  'error-not-allowed': 'forbidden',
  'error-forbidden': 'forbidden',
  'error-not-found': 'not-found',
  'error-meeting-not-found': 'not-found',
};

class SocketMeetingClient implements MeetingClient {
  private view: MeetingView | null = null;
  private wire: WireLiveMeeting | null = null;
  private socket: Socket | null = null;
  private participantId: string | null = null;
  private guestToken: string | undefined;
  private lastJoin: { audio: boolean; video: boolean } = { audio: true, video: true };
  private recordingId: string | null = null;
  private readonly listeners = new Set<(e: MeetingEvent) => void>();
  private readonly signalHandlers = new Set<(from: string, payload: SignalPayload) => void>();
  private readonly earlySignals: Array<[string, SignalPayload]> = [];

  constructor(
    private readonly key: string,
    private readonly me: UserDto | null,
  ) {}

  readonly transport: SignalTransport = {
    send: (to, payload) => {
      if (this.socket?.connected && this.wire) this.socket.emit('meeting.signal', { meetingId: this.wire._id, to, data: payload });
    },
    onSignal: (handler) => {
      this.signalHandlers.add(handler);
      // an offer can arrive between our join and the engine's start: hand it over now
      for (const [from, data] of this.earlySignals.splice(0)) handler(from, data);
      return () => this.signalHandlers.delete(handler);
    },
  };

  readonly sfu: SfuSignalling = {
    request: (op, feed, jsep) =>
      new Promise((resolve, reject) => {
        const socket = this.socket;
        if (!socket?.connected || !this.wire) return reject(new Error('not connected'));
        socket
          .timeout(15_000)
          .emit('meeting.sfu', { meetingId: this.wire._id, op, ...(feed ? { feed } : {}), ...(jsep ? { jsep: { type: jsep.type, sdp: jsep.sdp } } : {}) }, (err: Error | null, r: { success: boolean; result?: { jsep?: RTCSessionDescriptionInit }; error?: string }) => {
            if (err) reject(err);
            else if (!r.success) reject(new Error(r.error ?? 'refused'));
            else resolve(r.result ?? {});
          });
      }),
  };

  private toView(m: WireLiveMeeting): MeetingView {
    const moderators = new Set(m.moderators ?? []);
    return {
      id: m._id,
      title: m.title,
      rid: m.rid,
      messageId: m.msgId,
      status: m.status,
      startedByName: m.organiser?.name ?? m.organiser?.username,
      locked: !!m.locked,
      recording: !!m.recording,
      recordingAllowed: !!m.recordingAllowed,
      guestsAllowed: !!m.guestsAllowed,
      media: m.media === 'sfu' ? 'sfu' : 'mesh',
      participants: (m.live ?? []).map((p) => ({
        id: p._id,
        userId: p.userId,
        username: p.username,
        name: p.name,
        guest: !!p.guest,
        moderator: !!p.moderator || (!!p.userId && moderators.has(p.userId)),
        audio: p.audio,
        video: p.video,
      })),
      lobby: (m.lobby ?? []).map((g) => ({ id: g._id, name: g.name, email: g.email })),
      iAmModerator: !!this.me && moderators.has(this.me._id),
    };
  }

  private setWire(m: WireLiveMeeting): MeetingView {
    this.wire = m;
    this.view = this.toView(m);
    return this.view;
  }

  private emit(e: MeetingEvent): void {
    this.listeners.forEach((l) => l(e));
  }

  async load(): Promise<MeetingView> {
    const r = await get<{ meeting: WireLiveMeeting }>('meetings.info', { key: this.key });
    return this.setWire(r.meeting);
  }

  private connect(): void {
    if (this.socket) return;
    const socket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true, auth: this.guestToken ? { meetingGuestToken: this.guestToken } : undefined });
    this.socket = socket;
    socket.on('connect', () => {
      // after a reconnect the server needs to know this socket carries our participant again
      if (this.wire && this.participantId) this.attach(this.wire._id, this.participantId);
    });
    socket.on('meeting.signal', (e: { meetingId: string; from: string; data: SignalPayload }) => {
      if (e.meetingId !== this.wire?._id) return;
      if (this.signalHandlers.size === 0) this.earlySignals.push([e.from, e.data]);
      else this.signalHandlers.forEach((h) => h(e.from, e.data));
    });
    socket.on('meeting.updated', (e: { meeting: WireLiveMeeting }) => {
      if (e.meeting._id !== this.wire?._id) return;
      this.setWire(e.meeting);
      this.emit({ type: 'update' });
      if (e.meeting.status === 'ended') this.emit({ type: 'ended' });
    });
    socket.on('meeting.admitted', (e: WireJoin) => {
      this.participantId = e.participantId;
      const meeting = this.setWire(e.meeting);
      this.emit({ type: 'admitted', outcome: { kind: 'joined', selfId: e.participantId, iceServers: e.iceServers, video: e.video, meeting } });
    });
    socket.on('meeting.denied', () => this.emit({ type: 'refused', reason: 'denied' }));
    socket.on('meeting.removed', () => {
      this.participantId = null;
      this.emit({ type: 'removed' });
    });
    socket.on('meeting.muted', () => this.emit({ type: 'muted' }));
  }

  /**
   * Tells the server this socket carries our participant (after joining and after every
   * reconnect). Its answer is the meeting as it is now: updates sent while the socket was away
   * (or the one this attach itself caused) never reached it.
   */
  private attach(meetingId: string, participantId: string): void {
    this.socket?.emit('meeting.attach', { meetingId, participantId }, (r: { success: boolean; result?: { meeting?: WireLiveMeeting } }) => {
      const meeting = r.success ? r.result?.meeting : undefined;
      if (!meeting || meeting._id !== this.wire?._id) return;
      this.setWire(meeting);
      this.emit({ type: 'update' });
      if (meeting.status === 'ended') this.emit({ type: 'ended' });
    });
  }

  async join(options: { audio: boolean; video: boolean; guest?: { name: string; email: string } }): Promise<JoinOutcome> {
    this.lastJoin = { audio: options.audio, video: options.video };
    try {
      const r = await post<WireJoin>('meetings.join', { key: this.key, audio: options.audio, video: options.video, ...(options.guest ? { guest: options.guest } : {}) });
      this.participantId = r.participantId;
      this.guestToken = r.guestToken;
      const meeting = this.setWire(r.meeting);
      this.connect();
      if (this.socket?.connected) this.attach(meeting.id, r.participantId);
      if (r.status === 'lobby') return { kind: 'lobby', meeting };
      return { kind: 'joined', selfId: r.participantId, iceServers: r.iceServers, video: r.video, meeting };
    } catch (e) {
      if (e instanceof ApiError) {
        const reason = REFUSALS[e.errorType] ?? 'error';
        return { kind: 'refused', reason, message: e.message, audioOnlyPossible: reason === 'full' && options.video };
      }
      throw e;
    }
  }

  async leave(): Promise<void> {
    const id = this.participantId;
    this.participantId = null;
    // guests have no session: their join's guest token proves who is leaving
    const guest = this.guestToken ? { guestToken: this.guestToken } : {};
    if (id && this.wire) await post('meetings.leave', { meetingId: this.wire._id, participantId: id, ...guest }).catch(() => undefined);
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.listeners.clear();
    this.signalHandlers.clear();
  }

  meeting(): MeetingView | null {
    return this.view;
  }

  subscribe(listener: (e: MeetingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private moderate(action: string, extra: Record<string, unknown> = {}): Promise<void> {
    if (!this.wire) return Promise.reject(new Error('not in a meeting'));
    return post('meetings.moderate', { meetingId: this.wire._id, action, ...extra }).then(() => undefined);
  }

  async setMedia(state: { audio?: boolean; video?: boolean }): Promise<void> {
    if (!this.wire || !this.participantId) return;
    this.lastJoin = { ...this.lastJoin, ...state };
    await post('meetings.media', { meetingId: this.wire._id, participantId: this.participantId, ...this.lastJoin, ...(this.guestToken ? { guestToken: this.guestToken } : {}) });
  }

  mute = (participantId: string) => this.moderate('mute', { participantId });
  remove = (participantId: string) => this.moderate('remove', { participantId });
  lock = (locked: boolean) => this.moderate(locked ? 'lock' : 'unlock');
  end = () => this.moderate('end');
  setGuestsAllowed = async (allowed: boolean) => {
    if (!this.wire) throw new Error('not in a meeting');
    await post('meetings.update', { meetingId: this.wire._id, guestsAllowed: allowed });
  };
  admit = (guestId: string) => this.moderate('admit', { participantId: guestId });
  deny = (guestId: string) => this.moderate('deny', { participantId: guestId });

  async startRecording(): Promise<string> {
    if (!this.wire) throw new Error('not in a meeting');
    const r = await post<{ recording: { _id: string } }>('meetings.recording.start', { meetingId: this.wire._id });
    this.recordingId = r.recording._id;
    return r.recording._id;
  }

  async uploadChunk(recordingId: string, index: number, chunk: Blob): Promise<void> {
    const res = await fetch(`${API_BASE}/meetings.recording.chunk?recordingId=${encodeURIComponent(recordingId)}&index=${index}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': chunk.type || 'video/webm' },
      body: chunk,
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: string; errorType?: string } | null;
      throw new ApiError(res.status, body?.error ?? `Upload failed (${res.status})`, body?.errorType ?? 'error-unknown');
    }
  }

  async stopRecording(): Promise<void> {
    const id = this.recordingId;
    this.recordingId = null;
    if (id) await post('meetings.recording.finish', { recordingId: id });
  }
}

export function createMeetingClient(key: string, me: UserDto | null): MeetingClient {
  return new SocketMeetingClient(key, me);
}
