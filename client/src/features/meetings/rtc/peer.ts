/**
 * One connection to one remote participant.
 *
 * Who offers first is decided, not raced: the side with the greater participant id (the
 * "offerer") creates the audio and video transceivers and sends the first offer; the other
 * side sends its tracks on the transceivers that offer created. Letting both sides create
 * transceivers and offer at once ("glare") makes the polite side roll back and renegotiate
 * twice as many m-lines, which Chrome then refuses with "the order of m-lines in
 * subsequent offer doesn't match" as soon as a third participant joins.
 *
 * Later renegotiations (ICE restarts, from either side) follow MDN's "perfect negotiation":
 * the polite side (the non-offerer) rolls back on a collision, the offerer ignores it.
 *
 * Signals can be lost (a socket reconnecting, a page that was not listening yet). Every
 * signal carries the offerer's session id; an offerer whose session has not connected in
 * time starts a new session on a fresh RTCPeerConnection, and the other side replaces its
 * connection when an offer of a new session arrives. Signals of an old session are dropped.
 */
import type { SignalPayload } from './transport';

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface PeerLinkOptions {
  selfId: string;
  remoteId: string;
  iceServers: RTCIceServer[];
  send: (payload: SignalPayload) => void;
  /** the tracks to send now (null: nothing on that kind yet) */
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** false: the video transceiver only receives (an audio-only participant) */
  sendVideo: boolean;
  onChange: () => void;
  onLocalCandidate?: (c: RTCIceCandidate) => void;
}

/** How long a 'disconnected' connection may stay so before we restart ICE ourselves. */
const DISCONNECTED_GRACE_MS = 4000;
/** The offerer replaces a session that has not connected by then (a signal was lost). */
const FIRST_CONNECT_TIMEOUT_MS = 8000;
/** ... and one that lost its connection and did not get it back by ICE restarts. */
const RECONNECT_TIMEOUT_MS = 15000;
const WATCHDOG_TICK_MS = 1000;

const newSessionId = (): string => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

export class PeerLink {
  readonly remoteId: string;
  /** the offerer creates the transceivers and the sessions; the other side is polite */
  readonly offerer: boolean;
  readonly polite: boolean;
  /** the remote participant's audio and video, as one stream for a <video> element (kept across sessions) */
  readonly remoteStream = new MediaStream();
  private current!: RTCPeerConnection;
  private session: string | null = null;
  private audioTransceiver: RTCRtpTransceiver | null = null;
  private videoTransceiver: RTCRtpTransceiver | null = null;
  private audioTrack: MediaStreamTrack | null;
  private videoTrack: MediaStreamTrack | null;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  /** signals are applied one at a time, in arrival order */
  private queue: Promise<void> = Promise.resolve();
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly watchdog: ReturnType<typeof setInterval>;
  /** since when this session has been without a connection (null: connected) */
  private unconnectedSince = Date.now();
  private everConnected = false;
  private closed = false;
  iceRestarts = 0;
  /** sessions replaced because they did not connect in time */
  resets = 0;
  lastError: string | null = null;

  constructor(private readonly options: PeerLinkOptions) {
    this.remoteId = options.remoteId;
    this.offerer = options.selfId > options.remoteId;
    this.polite = !this.offerer;
    this.audioTrack = options.audioTrack;
    this.videoTrack = options.sendVideo ? options.videoTrack : null;
    if (this.offerer) this.startSession();
    else this.openConnection(null); // waits for the offerer's offer
    this.watchdog = setInterval(() => this.checkStalled(), WATCHDOG_TICK_MS);
  }

  get pc(): RTCPeerConnection {
    return this.current;
  }

  get state(): PeerState {
    return this.closed ? 'closed' : this.current.connectionState;
  }

  /** A fresh RTCPeerConnection for `session`, replacing the previous one. */
  private openConnection(session: string | null): void {
    if (this.current) this.detach(this.current);
    this.session = session;
    this.audioTransceiver = this.videoTransceiver = null;
    this.makingOffer = this.ignoreOffer = this.settingRemoteAnswer = false;
    this.unconnectedSince = Date.now();
    this.everConnected = false;
    clearTimeout(this.disconnectedTimer);
    const pc = new RTCPeerConnection({ iceServers: this.options.iceServers });
    this.current = pc;
    pc.ontrack = ({ track }) => {
      for (const old of this.remoteStream.getTracks()) if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      track.onmute = track.onunmute = () => this.options.onChange();
      this.options.onChange();
    };
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (pc === this.current && pc.localDescription) this.send({ description: pc.localDescription.toJSON() });
      } catch (e) {
        this.lastError = String(e);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (pc !== this.current) return;
      if (candidate) this.options.onLocalCandidate?.(candidate);
      this.send({ candidate: candidate ? candidate.toJSON() : null });
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.current) return;
      const s = pc.connectionState;
      clearTimeout(this.disconnectedTimer);
      if (s === 'connected') {
        this.everConnected = true;
        this.unconnectedSince = 0;
      } else if (!this.unconnectedSince) {
        this.unconnectedSince = Date.now();
      }
      if (s === 'failed') this.restartIce();
      else if (s === 'disconnected') this.disconnectedTimer = setTimeout(() => this.restartIce(), DISCONNECTED_GRACE_MS);
      this.options.onChange();
    };
    this.options.onChange();
  }

  /** Offerer: a new session with our transceivers; negotiationneeded sends its offer. */
  private startSession(): void {
    this.openConnection(newSessionId());
    this.audioTransceiver = this.current.addTransceiver('audio', { direction: 'sendrecv' });
    this.videoTransceiver = this.current.addTransceiver('video', { direction: this.options.sendVideo ? 'sendrecv' : 'recvonly' });
    void this.audioTransceiver.sender.replaceTrack(this.audioTrack);
    if (this.options.sendVideo) void this.videoTransceiver.sender.replaceTrack(this.videoTrack);
  }

  /** Non-offerer, on the first offer of a session: send our tracks on the transceivers it created. */
  private async bindRemoteTransceivers(): Promise<void> {
    for (const t of this.current.getTransceivers()) {
      const kind = t.receiver.track.kind;
      if (kind === 'audio' && !this.audioTransceiver) {
        this.audioTransceiver = t;
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(this.audioTrack);
      } else if (kind === 'video' && !this.videoTransceiver) {
        this.videoTransceiver = t;
        t.direction = this.options.sendVideo ? 'sendrecv' : 'recvonly';
        if (this.options.sendVideo) await t.sender.replaceTrack(this.videoTrack);
      }
    }
  }

  private send(payload: Omit<SignalPayload, 'session'>): void {
    if (this.session === null || this.closed) return;
    this.options.send({ ...payload, session: this.session });
  }

  /** Applies a signal from the remote side (queued so two never interleave). */
  receive(payload: SignalPayload): Promise<void> {
    this.queue = this.queue.then(() => this.apply(payload)).catch((e) => {
      this.lastError = String(e);
    });
    return this.queue;
  }

  private async apply({ session, description, candidate }: SignalPayload): Promise<void> {
    if (this.closed || !session) return;
    if (session !== this.session) {
      // a new session of the offerer replaces ours; anything else belongs to a session that is gone
      if (!this.polite || description?.type !== 'offer') return;
      if (this.session !== null) this.openConnection(session);
      else this.session = session;
    }
    const pc = this.current;
    if (description) {
      // an answer we are about to apply is not a collision (MDN's "settingRemoteAnswerPending")
      const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      try {
        // on a collision the polite side's setRemoteDescription rolls its own offer back implicitly
        await pc.setRemoteDescription(description);
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
        if (!this.audioTransceiver) await this.bindRemoteTransceivers();
        await pc.setLocalDescription();
        if (pc.localDescription) this.send({ description: pc.localDescription.toJSON() });
      }
    } else if (candidate !== undefined) {
      try {
        await pc.addIceCandidate(candidate ?? undefined);
      } catch (e) {
        // candidates of an offer we ignored are expected to fail
        if (!this.ignoreOffer) throw e;
      }
    }
  }

  /** Offerer: a session that has been without a connection for too long is replaced. */
  private checkStalled(): void {
    if (this.closed || !this.offerer || !this.unconnectedSince) return;
    // each replacement waits longer, so a slow machine is not kept from connecting by our own resets
    const limit = (this.everConnected ? RECONNECT_TIMEOUT_MS : FIRST_CONNECT_TIMEOUT_MS) * (1 + this.resets);
    if (Date.now() - this.unconnectedSince < limit) return;
    this.queue = this.queue.then(() => {
      if (this.closed || !this.unconnectedSince) return;
      this.resets++;
      this.startSession();
    });
  }

  /** ICE restart: new credentials, new candidates, same tracks. */
  restartIce(): void {
    if (this.closed) return;
    this.iceRestarts++;
    this.current.restartIce();
  }

  async setAudioTrack(track: MediaStreamTrack | null): Promise<void> {
    this.audioTrack = track;
    await this.audioTransceiver?.sender.replaceTrack(track);
  }

  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    if (!this.options.sendVideo) return;
    this.videoTrack = track;
    await this.videoTransceiver?.sender.replaceTrack(track);
  }

  get hasRemoteVideo(): boolean {
    const v = this.remoteStream.getVideoTracks()[0];
    return !!v && v.readyState === 'live' && !v.muted;
  }

  private detach(pc: RTCPeerConnection): void {
    pc.ontrack = pc.onicecandidate = pc.onnegotiationneeded = pc.onconnectionstatechange = null;
    pc.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectedTimer);
    clearInterval(this.watchdog);
    this.detach(this.current);
  }
}
