/**
 * Media through the SFU (a Janus VideoRoom the server drives): one connection that sends our
 * audio and video up (SfuPublisher), and one receiving connection per other participant
 * (SfuSubscriber). The server relays the session descriptions (meeting.sfu); they carry
 * every ICE candidate (we wait for gathering), so there is no candidate trickling.
 *
 * Either side may not be ready yet (a participant that has not published, a gateway that is
 * slow): both classes keep trying, with a fresh RTCPeerConnection each time, until connected.
 */
import type { PeerState } from './peer';

export interface SfuSignalling {
  request(op: 'publish' | 'subscribe' | 'start', feed: string | null, jsep: RTCSessionDescriptionInit | null): Promise<{ jsep?: RTCSessionDescriptionInit }>;
}

const RETRY_MS = 1500;
/** a connection that has not connected by then is replaced */
const CONNECT_TIMEOUT_MS = 10_000;
/** gathering is instant on a LAN; with STUN/TURN, take what came by then */
const GATHER_MAX_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), pc.removeEventListener('icegatheringstatechange', check), resolve());
    const check = () => pc.iceGatheringState === 'complete' && done();
    const timer = setTimeout(done, GATHER_MAX_MS);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** Resolves true once connected, false when it failed or took too long. */
async function connected(pc: RTCPeerConnection, isClosed: () => boolean): Promise<boolean> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  while (!isClosed() && Date.now() < deadline) {
    if (pc.connectionState === 'connected') return true;
    if (pc.connectionState === 'failed' || pc.connectionState === 'closed') return false;
    await sleep(100);
  }
  return false;
}

/** Shared: a connection that is replaced whenever it fails or drops for long. */
abstract class SfuLink {
  protected current: RTCPeerConnection | null = null;
  protected closed = false;
  private running = false;
  private dropTimer: ReturnType<typeof setTimeout> | undefined;
  /** connections replaced (each retry counts) */
  resets = 0;
  iceRestarts = 0;
  lastError: string | null = null;

  constructor(
    protected readonly signalling: SfuSignalling,
    protected readonly iceServers: RTCIceServer[],
    protected readonly onChange: () => void,
    protected readonly onLocalCandidate?: (c: RTCIceCandidate) => void,
  ) {}

  get state(): PeerState {
    if (this.closed) return 'closed';
    return this.current?.connectionState ?? 'new';
  }

  /** The receiving or sending connection (a stand-in before the first one exists). */
  get pc(): RTCPeerConnection {
    return (this.current ??= new RTCPeerConnection());
  }

  /** Connects, and keeps reconnecting while not closed. */
  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void (async () => {
      while (!this.closed) {
        const pc = new RTCPeerConnection({ iceServers: this.iceServers });
        this.replace(pc);
        let ok = false;
        try {
          ok = await this.negotiate(pc);
          if (ok) ok = await connected(pc, () => this.closed || this.current !== pc);
        } catch (e) {
          this.lastError = e instanceof Error ? e.message : String(e);
        }
        if (ok) break;
        if (this.closed) return;
        this.resets++;
        await sleep(RETRY_MS);
      }
      this.running = false;
    })();
  }

  /** Sends and applies the descriptions; false: try again. */
  protected abstract negotiate(pc: RTCPeerConnection): Promise<boolean>;

  private replace(pc: RTCPeerConnection): void {
    const old = this.current;
    if (old) {
      old.onconnectionstatechange = old.onicecandidate = old.ontrack = null;
      old.close();
    }
    this.current = pc;
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.onLocalCandidate?.(candidate);
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.current) return;
      clearTimeout(this.dropTimer);
      const s = pc.connectionState;
      // a drop that ICE does not repair by itself: connect again from scratch
      if (s === 'failed') this.restartIce();
      else if (s === 'disconnected') this.dropTimer = setTimeout(() => this.restartIce(), 4000);
      this.onChange();
    };
    this.onChange();
  }

  /** Reconnects from scratch (the SFU's side has no ICE restart of its own here). */
  restartIce(): void {
    if (this.closed) return;
    this.iceRestarts++;
    if (!this.running) this.start();
    else this.current?.close(); // the running attempt sees 'closed' and tries again
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.dropTimer);
    if (this.current) {
      this.current.onconnectionstatechange = this.current.onicecandidate = this.current.ontrack = null;
      this.current.close();
    }
  }
}

/** Our audio and video, sent to the SFU. */
export class SfuPublisher extends SfuLink {
  private audio: RTCRtpTransceiver | null = null;
  private video: RTCRtpTransceiver | null = null;

  constructor(
    signalling: SfuSignalling,
    iceServers: RTCIceServer[],
    private audioTrack: MediaStreamTrack | null,
    private videoTrack: MediaStreamTrack | null,
    private readonly sendVideo: boolean,
    onChange: () => void,
    onLocalCandidate?: (c: RTCIceCandidate) => void,
  ) {
    super(signalling, iceServers, onChange, onLocalCandidate);
  }

  protected async negotiate(pc: RTCPeerConnection): Promise<boolean> {
    this.audio = pc.addTransceiver('audio', { direction: 'sendonly' });
    await this.audio.sender.replaceTrack(this.audioTrack);
    if (this.sendVideo) {
      this.video = pc.addTransceiver('video', { direction: 'sendonly' });
      await this.video.sender.replaceTrack(this.videoTrack);
    }
    await pc.setLocalDescription();
    await gathered(pc);
    const { jsep } = await this.signalling.request('publish', null, pc.localDescription!.toJSON());
    if (!jsep || pc !== this.current) return false;
    await pc.setRemoteDescription(jsep);
    return true;
  }

  async setAudioTrack(track: MediaStreamTrack | null): Promise<void> {
    this.audioTrack = track;
    await this.audio?.sender.replaceTrack(track);
  }

  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    if (!this.sendVideo) return;
    this.videoTrack = track;
    await this.video?.sender.replaceTrack(track);
  }
}

/** One other participant's audio and video, received from the SFU. */
export class SfuSubscriber extends SfuLink {
  readonly remoteStream = new MediaStream();

  constructor(
    readonly remoteId: string,
    signalling: SfuSignalling,
    iceServers: RTCIceServer[],
    onChange: () => void,
    onLocalCandidate?: (c: RTCIceCandidate) => void,
  ) {
    super(signalling, iceServers, onChange, onLocalCandidate);
  }

  protected async negotiate(pc: RTCPeerConnection): Promise<boolean> {
    pc.ontrack = ({ track }) => {
      for (const old of this.remoteStream.getTracks()) if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      track.onmute = track.onunmute = () => this.onChange();
      this.onChange();
    };
    // refused while that participant has not published yet: the loop asks again
    const { jsep: offer } = await this.signalling.request('subscribe', this.remoteId, null);
    if (!offer || pc !== this.current) return false;
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription();
    await gathered(pc);
    if (pc !== this.current) return false;
    await this.signalling.request('start', this.remoteId, pc.localDescription!.toJSON());
    return true;
  }

  get hasRemoteVideo(): boolean {
    const v = this.remoteStream.getVideoTracks()[0];
    return !!v && v.readyState === 'live' && !v.muted;
  }
}
