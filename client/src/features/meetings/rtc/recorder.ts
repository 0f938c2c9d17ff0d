/**
 * Recording in the recorder's browser: the meeting grid is drawn into a canvas, every
 * participant's audio is mixed with WebAudio, and MediaRecorder cuts the result into
 * chunks (timeslice) that are uploaded one after the other as they come, so closing the
 * tab loses at most the last chunk.
 */

export interface RecordingSource {
  /** the streams to compose, in grid order; called every frame so joins/leaves show up */
  streams(): Array<{ id: string; stream: MediaStream; label: string }>;
}

export interface ChunkUploader {
  /** uploads chunk number `index` (0-based); rejects on failure */
  upload(chunk: Blob, index: number): Promise<void>;
}

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;
export const CHUNK_MS = 5000;

export function recordingMimeType(): string {
  const candidates = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];
  return candidates.find((t) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(t)) ?? 'video/webm';
}

export class MeetingRecorder {
  private readonly canvas = document.createElement('canvas');
  private readonly videos = new Map<string, HTMLVideoElement>();
  private readonly audioCtx = new AudioContext();
  private readonly mixDestination: MediaStreamAudioDestinationNode;
  private readonly audioSources = new Map<string, { track: MediaStreamTrack; node: MediaStreamAudioSourceNode }>();
  private recorder: MediaRecorder | null = null;
  private drawTimer: ReturnType<typeof setInterval> | undefined;
  private uploads: Promise<void> = Promise.resolve();
  private nextIndex = 0;
  uploaded = 0;
  failed: string | null = null;

  constructor(
    private readonly source: RecordingSource,
    private readonly uploader: ChunkUploader,
    private readonly onError: (message: string) => void,
  ) {
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.mixDestination = this.audioCtx.createMediaStreamDestination();
  }

  start(): void {
    void this.audioCtx.resume().catch(() => undefined);
    this.draw();
    this.drawTimer = setInterval(() => this.draw(), 1000 / FPS);
    const stream = new MediaStream([...this.canvas.captureStream(FPS).getVideoTracks(), ...this.mixDestination.stream.getAudioTracks()]);
    const recorder = new MediaRecorder(stream, { mimeType: recordingMimeType(), videoBitsPerSecond: 1_000_000 });
    recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      const index = this.nextIndex++;
      // sequential: the server appends chunks in order
      this.uploads = this.uploads.then(async () => {
        if (this.failed) return;
        try {
          await this.uploader.upload(e.data, index);
          this.uploaded++;
        } catch (err) {
          this.failed = err instanceof Error ? err.message : String(err);
          this.onError(`Recording upload failed: ${this.failed}`);
        }
      });
    };
    recorder.start(CHUNK_MS);
    this.recorder = recorder;
  }

  /** Stops recording and resolves when the last chunk is uploaded. */
  async stop(): Promise<void> {
    const recorder = this.recorder;
    this.recorder = null;
    clearInterval(this.drawTimer);
    if (recorder && recorder.state !== 'inactive') {
      const stopped = new Promise<void>((ok) => recorder.addEventListener('stop', () => ok(), { once: true }));
      recorder.stop();
      await stopped;
    }
    await this.uploads;
    for (const v of this.videos.values()) v.srcObject = null;
    this.videos.clear();
    for (const a of this.audioSources.values()) a.node.disconnect();
    this.audioSources.clear();
    await this.audioCtx.close().catch(() => undefined);
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const items = this.source.streams();
    this.syncAudio(items);
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const cols = Math.ceil(Math.sqrt(items.length || 1));
    const rows = Math.ceil((items.length || 1) / cols);
    const w = WIDTH / cols;
    const h = HEIGHT / rows;
    items.forEach((item, i) => {
      const x = (i % cols) * w;
      const y = Math.floor(i / cols) * h;
      const video = this.videoFor(item.id, item.stream);
      if (video.readyState >= 2 && video.videoWidth > 0) {
        // letterbox inside the cell, keeping the aspect ratio
        const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
        const vw = video.videoWidth * scale;
        const vh = video.videoHeight * scale;
        ctx.drawImage(video, x + (w - vw) / 2, y + (h - vh) / 2, vw, vh);
      } else {
        ctx.fillStyle = '#2a2f3a';
        ctx.fillRect(x + 4, y + 4, w - 8, h - 8);
      }
      ctx.fillStyle = 'rgba(0,0,0,0.55)';
      ctx.fillRect(x + 8, y + h - 34, Math.min(w - 16, 12 + item.label.length * 9), 26);
      ctx.fillStyle = '#fff';
      ctx.font = '16px sans-serif';
      ctx.fillText(item.label, x + 14, y + h - 15);
    });
    for (const id of [...this.videos.keys()]) {
      if (!items.some((i) => i.id === id)) {
        this.videos.get(id)!.srcObject = null;
        this.videos.delete(id);
      }
    }
  }

  private videoFor(id: string, stream: MediaStream): HTMLVideoElement {
    let v = this.videos.get(id);
    const videoTrack = stream.getVideoTracks()[0];
    if (!v) {
      v = document.createElement('video');
      v.muted = true;
      v.playsInline = true;
      this.videos.set(id, v);
    }
    const current = (v.srcObject as MediaStream | null)?.getVideoTracks()[0];
    if (current !== videoTrack) {
      v.srcObject = videoTrack ? new MediaStream([videoTrack]) : null;
      if (videoTrack) void v.play().catch(() => undefined);
    }
    return v;
  }

  private syncAudio(items: Array<{ id: string; stream: MediaStream }>): void {
    for (const item of items) {
      const track = item.stream.getAudioTracks()[0];
      const have = this.audioSources.get(item.id);
      if (have?.track === track) continue;
      have?.node.disconnect();
      this.audioSources.delete(item.id);
      if (!track) continue;
      const node = this.audioCtx.createMediaStreamSource(new MediaStream([track]));
      node.connect(this.mixDestination);
      this.audioSources.set(item.id, { track, node });
    }
    for (const [id, a] of this.audioSources) {
      if (!items.some((i) => i.id === id)) {
        a.node.disconnect();
        this.audioSources.delete(id);
      }
    }
  }
}
