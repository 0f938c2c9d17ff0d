/**
 * One RTCPeerConnection to one remote participant, negotiated with the "perfect
 * negotiation" pattern (MDN): both sides may offer at any time; on a collision the polite
 * side rolls back and takes the other's offer, the impolite side ignores it. Which side is
 * polite is decided by comparing participant ids, so both ends agree without talking.
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
/** A negotiation that has not connected by then lost a signal on the way: offer again. */
const NEGOTIATION_WATCHDOG_MS = 8000;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly remoteId: string;
  readonly polite: boolean;
  /** the remote participant's audio and video, as one stream for a <video> element */
  readonly remoteStream = new MediaStream();
  private readonly audioSender: RTCRtpSender;
  private readonly videoSender: RTCRtpSender;
  private readonly videoTransceiver: RTCRtpTransceiver;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  /** signals are applied one at a time, in arrival order */
  private queue: Promise<void> = Promise.resolve();
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  iceRestarts = 0;
  /** offers made again by the watchdog after a lost signal */
  renegotiations = 0;
  lastError: string | null = null;

  constructor(private readonly options: PeerLinkOptions) {
    this.remoteId = options.remoteId;
    this.polite = options.selfId < options.remoteId;
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    // Fixed transceivers, created once: turning the camera off/on or sharing the screen is a
    // replaceTrack on these senders, which needs no renegotiation.
    const audio = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.videoTransceiver = this.pc.addTransceiver('video', { direction: options.sendVideo ? 'sendrecv' : 'recvonly' });
    this.audioSender = audio.sender;
    this.videoSender = this.videoTransceiver.sender;
    void this.audioSender.replaceTrack(options.audioTrack);
    if (options.sendVideo) void this.videoSender.replaceTrack(options.videoTrack);

    this.pc.ontrack = ({ track }) => {
      for (const old of this.remoteStream.getTracks()) if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      track.onmute = track.onunmute = () => options.onChange();
      options.onChange();
    };
    this.pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.options.send({ description: this.pc.localDescription.toJSON() });
      } catch (e) {
        this.lastError = String(e);
      } finally {
        this.makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) options.onLocalCandidate?.(candidate);
      this.options.send({ candidate: candidate ? candidate.toJSON() : null });
    };
    this.watchdog = setInterval(() => void this.checkStalled(), NEGOTIATION_WATCHDOG_MS);
    this.pc.onconnectionstatechange = () => {
      const s = this.pc.connectionState;
      clearTimeout(this.disconnectedTimer);
      if (s === 'failed') this.restartIce();
      else if (s === 'disconnected') this.disconnectedTimer = setTimeout(() => this.restartIce(), DISCONNECTED_GRACE_MS);
      options.onChange();
    };
  }

  get state(): PeerState {
    return this.closed ? 'closed' : this.pc.connectionState;
  }

  /** Applies a signal from the remote side (queued so two never interleave). */
  receive(payload: SignalPayload): Promise<void> {
    this.queue = this.queue.then(() => this.apply(payload)).catch((e) => {
      this.lastError = String(e);
    });
    return this.queue;
  }

  private async apply({ description, candidate }: SignalPayload): Promise<void> {
    if (this.closed) return;
    if (description) {
      // an answer we are about to apply is not a collision (MDN's "settingRemoteAnswerPending")
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      try {
        // on a collision the polite side's setRemoteDescription rolls its own offer back implicitly
        await this.pc.setRemoteDescription(description);
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.options.send({ description: this.pc.localDescription.toJSON() });
      }
    } else if (candidate !== undefined) {
      try {
        await this.pc.addIceCandidate(candidate ?? undefined);
      } catch (e) {
        // candidates of an offer we ignored are expected to fail
        if (!this.ignoreOffer) throw e;
      }
    }
  }

  /**
   * Signals can be lost (a socket reconnecting, a peer that was not listening yet). If we
   * are still not connected, withdraw an offer left unanswered and offer again with fresh
   * ICE credentials; the other side's perfect negotiation accepts it from any state.
   */
  private async checkStalled(): Promise<void> {
    if (this.closed || this.pc.connectionState === 'connected' || this.makingOffer) return;
    if (this.pc.connectionState === 'connecting' && this.pc.signalingState === 'stable') return; // ICE is still checking
    this.queue = this.queue.then(async () => {
      if (this.closed || this.pc.connectionState === 'connected') return;
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
      if (this.pc.signalingState !== 'stable') return; // an offer of theirs is being answered
      this.renegotiations++;
      this.pc.restartIce();
      // offer explicitly: negotiationneeded does not fire again for a need already signalled
      this.makingOffer = true;
      try {
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.options.send({ description: this.pc.localDescription.toJSON() });
      } finally {
        this.makingOffer = false;
      }
    }).catch((e) => {
      this.lastError = String(e);
    });
    await this.queue;
  }

  /** ICE restart: new credentials, new candidates, same tracks. */
  restartIce(): void {
    if (this.closed) return;
    this.iceRestarts++;
    this.pc.restartIce();
  }

  async setAudioTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.audioSender.replaceTrack(track);
  }

  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    if (this.videoTransceiver.direction === 'recvonly') return;
    await this.videoSender.replaceTrack(track);
  }

  get hasRemoteVideo(): boolean {
    const v = this.remoteStream.getVideoTracks()[0];
    return !!v && v.readyState === 'live' && !v.muted;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectedTimer);
    clearInterval(this.watchdog);
    this.pc.ontrack = this.pc.onicecandidate = this.pc.onnegotiationneeded = this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}
