/**
 * The meeting's media: the local camera/microphone/screen, one link per remote participant,
 * the speaker indicator and the stats the UI and tests read. Peer-to-peer ('mesh': a
 * PeerLink to every other participant) or through the SFU ('sfu': one SfuPublisher up and an
 * SfuSubscriber per other participant); a meeting that grows over the mesh limit switches
 * with setMode('sfu'), keeping the local tracks. It knows nothing about socket.io — signalling
 * goes through a SignalTransport and SfuSignalling — nor about React: the page subscribes
 * and reads `snapshot()`.
 */
import { openCamera, openScreen } from './media';
import { PeerLink, type PeerState } from './peer';
import { SfuPublisher, SfuSubscriber, type SfuSignalling } from './sfu';
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
  /** how media flows at the start (default mesh) */
  mode?: MediaMode;
  /** needed for 'sfu' */
  sfu?: SfuSignalling;
}

export type MediaMode = 'mesh' | 'sfu';

/** What the engine needs of a link to one remote participant, either kind. */
type RemoteLink = PeerLink | SfuSubscriber;

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
  mode: MediaMode;
  peers: RemoteView[];
  /** ids (LOCAL_ID for us) whose audio is over the speaking level */
  speaking: ReadonlySet<string>;
}

export type PeerStatsView = InboundSummary & {
  state: PeerState;
  iceRestarts: number;
  /** connection sessions the offerer replaced because they did not connect in time */
  resets: number;
  /** peer-to-peer, or received through the SFU */
  via: MediaMode;
  pair: { local: string; remote: string; remotePort: number } | null;
  signalingState: RTCSignalingState;
  iceState: RTCIceConnectionState;
  lastError: string | null;
};

export class MeshEngine {
  private readonly peers = new Map<string, RemoteLink>();
  private mode: MediaMode;
  private publisher: SfuPublisher | null = null;
  /** the other participants, as last given to setParticipants */
  private wanted: string[] = [];
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
    this.mode = options.mode ?? 'mesh';
    this.speaker = new SpeakerDetector((s) => {
      this.speaking = s;
      this.changed();
    });
    this.rebuildLocalStream();
  }

  start(): void {
    this.unsubscribe = this.options.transport.onSignal((from, payload) => {
      if (this.closed || from === this.options.selfId || this.mode !== 'mesh') return;
      // the other side may offer before our participant list has it: create lazily
      const link = this.ensurePeer(from);
      if (link instanceof PeerLink) void link.receive(payload);
    });
    if (this.mode === 'sfu') this.startPublisher();
  }

  get mediaMode(): MediaMode {
    return this.mode;
  }

  /** Peer-to-peer → SFU (the meeting went over the mesh limit): every link is replaced, the local tracks stay. */
  setMode(mode: MediaMode): void {
    if (mode === this.mode || this.closed) return;
    this.mode = mode;
    for (const id of [...this.peers.keys()]) this.removePeer(id);
    this.publisher?.close();
    this.publisher = null;
    if (mode === 'sfu') this.startPublisher();
    this.setParticipants(this.wanted);
  }

  private startPublisher(): void {
    if (!this.options.sfu) throw new Error('this meeting goes through the SFU, but no SFU signalling was given');
    this.publisher = new SfuPublisher(this.options.sfu, this.options.iceServers, this.micTrack, this.currentVideoTrack(), this.sendVideo, () => this.changed(), (c) => this.noteCandidate(c));
    this.publisher.start();
  }

  private noteCandidate(c: RTCIceCandidate): void {
    this.gathered.push({ address: c.address ?? '', protocol: c.protocol ?? '', candidateType: c.type ?? '' });
  }

  /** Makes the set of peers match the meeting's other participants. */
  setParticipants(ids: readonly string[]): void {
    this.wanted = ids.filter((id) => id !== this.options.selfId);
    const wanted = new Set(this.wanted);
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

  private ensurePeer(id: string): RemoteLink {
    let p = this.peers.get(id);
    if (p) return p;
    const onChange = () => {
      const link = this.peers.get(id);
      if (link) this.speaker.watch(id, link.remoteStream);
      this.changed();
    };
    if (this.mode === 'sfu') {
      const sub = new SfuSubscriber(id, this.options.sfu!, this.options.iceServers, onChange, (c) => this.noteCandidate(c));
      this.peers.set(id, sub);
      sub.start();
      this.changed();
      return sub;
    }
    p = new PeerLink({
      selfId: this.options.selfId,
      remoteId: id,
      iceServers: this.options.iceServers,
      send: (payload) => this.options.transport.send(id, payload),
      audioTrack: this.micTrack,
      videoTrack: this.currentVideoTrack(),
      sendVideo: this.sendVideo,
      onChange,
      onLocalCandidate: (c) => this.noteCandidate(c),
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
    await Promise.all([...this.peerLinks().map((p) => p.setVideoTrack(track)), this.publisher?.setVideoTrack(track)]);
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
    await Promise.all([...this.peerLinks().map((p) => p.setAudioTrack(track)), this.publisher?.setAudioTrack(track)]);
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

  private peerLinks(): PeerLink[] {
    return [...this.peers.values()].filter((p): p is PeerLink => p instanceof PeerLink);
  }

  /** ICE restart on every link: after the network changed (e.g. the signalling socket came back). */
  restartIce(): void {
    for (const p of this.peers.values()) p.restartIce();
    this.publisher?.restartIce();
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
      mode: this.mode,
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
      out[id] = { ...(await inboundSummary(p.pc)), state: p.state, iceRestarts: p.iceRestarts, resets: p.resets, via: p instanceof PeerLink ? 'mesh' : 'sfu', pair: await selectedPair(p.pc), signalingState: p.pc.signalingState, iceState: p.pc.iceConnectionState, lastError: p.lastError };
    }
    return out;
  }

  /** Every local candidate seen, from onicecandidate and from getStats(). */
  async candidates(): Promise<CandidateInfo[]> {
    const pcs = [...this.peers.values()].map((p) => p.pc);
    if (this.publisher) pcs.push(this.publisher.pc);
    const fromStats = (await Promise.all(pcs.map((pc) => localCandidates(pc)))).flat();
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
    this.publisher?.close();
    this.speaker.close();
    this.micTrack?.stop();
    this.cameraTrack?.stop();
    this.screenTrack?.stop();
    this.listeners.clear();
  }
}
