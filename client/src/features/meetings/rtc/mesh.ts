/**
 * The WebRTC mesh: one PeerLink per remote participant, the local camera/microphone/screen,
 * the speaker indicator and the stats the UI and tests read. It knows nothing about
 * socket.io — signalling goes through a SignalTransport — nor about React: the page
 * subscribes and reads `snapshot()`.
 */
import { openCamera, openScreen } from './media';
import { PeerLink, type PeerState } from './peer';
import { SpeakerDetector } from './speaker';
import { inboundSummary, localCandidates, selectedPair, type CandidateInfo, type InboundSummary } from './stats';
import type { SignalTransport } from './transport';

export const LOCAL_ID = 'local';

export interface MeshOptions {
  /** this participant's id in the meeting (also decides politeness) */
  selfId: string;
  iceServers: RTCIceServer[];
  transport: SignalTransport;
  /** false: audio-only participant (refused video by the mesh limit) */
  sendVideo: boolean;
  micTrack: MediaStreamTrack | null;
  cameraTrack: MediaStreamTrack | null;
}

export interface RemoteView {
  id: string;
  stream: MediaStream;
  state: PeerState;
  hasVideo: boolean;
}

export interface MeshSnapshot {
  localStream: MediaStream;
  micOn: boolean;
  cameraOn: boolean;
  screenSharing: boolean;
  sendVideo: boolean;
  peers: RemoteView[];
  /** ids (LOCAL_ID for us) whose audio is over the speaking level */
  speaking: ReadonlySet<string>;
}

export type PeerStatsView = InboundSummary & {
  state: PeerState;
  iceRestarts: number;
  /** connection sessions the offerer replaced because they did not connect in time */
  resets: number;
  pair: { local: string; remote: string } | null;
  signalingState: RTCSignalingState;
  iceState: RTCIceConnectionState;
  lastError: string | null;
};

export class MeshEngine {
  private readonly peers = new Map<string, PeerLink>();
  private readonly listeners = new Set<() => void>();
  private readonly speaker: SpeakerDetector;
  private readonly gathered: CandidateInfo[] = [];
  private micTrack: MediaStreamTrack | null;
  private cameraTrack: MediaStreamTrack | null;
  private screenTrack: MediaStreamTrack | null = null;
  private micOn: boolean;
  private sendVideo: boolean;
  private localStream = new MediaStream();
  private speaking: ReadonlySet<string> = new Set();
  private unsubscribe: (() => void) | null = null;
  private cached: MeshSnapshot | null = null;
  private closed = false;

  constructor(private readonly options: MeshOptions) {
    this.micTrack = options.micTrack;
    this.cameraTrack = options.sendVideo ? options.cameraTrack : null;
    if (!options.sendVideo) options.cameraTrack?.stop();
    this.micOn = !!this.micTrack?.enabled;
    this.sendVideo = options.sendVideo;
    this.speaker = new SpeakerDetector((s) => {
      this.speaking = s;
      this.changed();
    });
    this.rebuildLocalStream();
  }

  start(): void {
    this.unsubscribe = this.options.transport.onSignal((from, payload) => {
      if (this.closed || from === this.options.selfId) return;
      // the other side may offer before our participant list has it: create lazily
      void this.ensurePeer(from).receive(payload);
    });
  }

  /** Makes the set of peers match the meeting's other participants. */
  setParticipants(ids: readonly string[]): void {
    const wanted = new Set(ids.filter((id) => id !== this.options.selfId));
    for (const id of wanted) this.ensurePeer(id);
    for (const id of [...this.peers.keys()]) if (!wanted.has(id)) this.removePeer(id);
  }

  removePeer(id: string): void {
    const p = this.peers.get(id);
    if (!p) return;
    p.close();
    this.peers.delete(id);
    this.speaker.unwatch(id);
    this.changed();
  }

  private ensurePeer(id: string): PeerLink {
    let p = this.peers.get(id);
    if (p) return p;
    p = new PeerLink({
      selfId: this.options.selfId,
      remoteId: id,
      iceServers: this.options.iceServers,
      send: (payload) => this.options.transport.send(id, payload),
      audioTrack: this.micTrack,
      videoTrack: this.currentVideoTrack(),
      sendVideo: this.sendVideo,
      onChange: () => {
        const link = this.peers.get(id);
        if (link) this.speaker.watch(id, link.remoteStream);
        this.changed();
      },
      onLocalCandidate: (c) => this.gathered.push({ address: c.address ?? '', protocol: c.protocol ?? '', candidateType: c.type ?? '' }),
    });
    this.peers.set(id, p);
    this.changed();
    return p;
  }

  private currentVideoTrack(): MediaStreamTrack | null {
    if (!this.sendVideo) return null;
    return this.screenTrack ?? this.cameraTrack;
  }

  private rebuildLocalStream(): void {
    const tracks = [this.micTrack, this.currentVideoTrack()].filter((t): t is MediaStreamTrack => !!t);
    this.localStream = new MediaStream(tracks);
    this.speaker.watch(LOCAL_ID, this.localStream);
    this.changed();
  }

  private async pushVideo(): Promise<void> {
    const track = this.currentVideoTrack();
    await Promise.all([...this.peers.values()].map((p) => p.setVideoTrack(track)));
    this.rebuildLocalStream();
  }

  /** Mute keeps the sender and sends silence (track.enabled = false): unmuting is instant. */
  setMicEnabled(on: boolean): void {
    this.micOn = on && !!this.micTrack;
    if (this.micTrack) this.micTrack.enabled = on;
    this.changed();
  }

  /** Adds a microphone when we joined without one. */
  async setMicTrack(track: MediaStreamTrack): Promise<void> {
    this.micTrack?.stop();
    this.micTrack = track;
    this.micOn = track.enabled;
    await Promise.all([...this.peers.values()].map((p) => p.setAudioTrack(track)));
    this.rebuildLocalStream();
  }

  /** Camera off stops the device (its light goes off); on opens it again. */
  async setCameraEnabled(on: boolean): Promise<void> {
    if (!this.sendVideo) return;
    if (!on) {
      this.cameraTrack?.stop();
      this.cameraTrack = null;
    } else if (!this.cameraTrack) {
      this.cameraTrack = await openCamera();
    }
    await this.pushVideo();
  }

  async startScreenShare(): Promise<void> {
    if (!this.sendVideo || this.screenTrack) return;
    const track = await openScreen();
    track.addEventListener('ended', () => void this.stopScreenShare()); // the browser's own "Stop sharing"
    this.screenTrack = track;
    await this.pushVideo();
  }

  async stopScreenShare(): Promise<void> {
    if (!this.screenTrack) return;
    this.screenTrack.stop();
    this.screenTrack = null;
    await this.pushVideo();
  }

  /** ICE restart on every peer: after the network changed (e.g. the signalling socket came back). */
  restartIce(): void {
    for (const p of this.peers.values()) p.restartIce();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.cached = null;
    this.listeners.forEach((l) => l());
  }

  snapshot(): MeshSnapshot {
    this.cached ??= {
      localStream: this.localStream,
      micOn: this.micOn,
      cameraOn: !!this.cameraTrack,
      screenSharing: !!this.screenTrack,
      sendVideo: this.sendVideo,
      peers: [...this.peers.values()].map((p) => ({ id: p.remoteId, stream: p.remoteStream, state: p.state, hasVideo: p.hasRemoteVideo })),
      speaking: this.speaking,
    };
    return this.cached;
  }

  /** The streams a recording composes: ours first, then every remote. */
  streams(): Array<{ id: string; stream: MediaStream }> {
    return [{ id: LOCAL_ID, stream: this.localStream }, ...[...this.peers.values()].map((p) => ({ id: p.remoteId, stream: p.remoteStream }))];
  }

  /** Per remote participant: inbound RTP totals, connection state, selected pair. */
  async stats(): Promise<Record<string, PeerStatsView>> {
    const out: Record<string, PeerStatsView> = {};
    for (const [id, p] of this.peers) {
      out[id] = { ...(await inboundSummary(p.pc)), state: p.state, iceRestarts: p.iceRestarts, resets: p.resets, pair: await selectedPair(p.pc), signalingState: p.pc.signalingState, iceState: p.pc.iceConnectionState, lastError: p.lastError };
    }
    return out;
  }

  /** Every local candidate seen, from onicecandidate and from getStats(). */
  async candidates(): Promise<CandidateInfo[]> {
    const fromStats = (await Promise.all([...this.peers.values()].map((p) => localCandidates(p.pc)))).flat();
    return [...this.gathered, ...fromStats];
  }

  speakerLevels(): Record<string, number> {
    return this.speaker.levels();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    this.speaker.close();
    this.micTrack?.stop();
    this.cameraTrack?.stop();
    this.screenTrack?.stop();
    this.listeners.clear();
  }
}
