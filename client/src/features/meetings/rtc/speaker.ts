/**
 * Speaker indicator: one AnalyserNode per audio stream, sampled a few times a second.
 * A participant "speaks" while the RMS level stays over a threshold; a short hold stops the
 * highlight from flickering between words.
 */
const SAMPLE_MS = 150;
const SPEAKING_LEVEL = 0.02;
const HOLD_MS = 600;

interface Meter {
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  buffer: Float32Array<ArrayBuffer>;
  level: number;
  lastLoud: number;
}

export class SpeakerDetector {
  private ctx: AudioContext | null = null;
  private readonly meters = new Map<string, Meter>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private speaking = new Set<string>();

  constructor(private readonly onChange: (speaking: ReadonlySet<string>) => void) {}

  /** Starts (or replaces) the meter for `id`; a stream without audio is ignored. */
  watch(id: string, stream: MediaStream): void {
    const track = stream.getAudioTracks()[0];
    const existing = this.meters.get(id);
    if (existing && existing.source.mediaStream.getAudioTracks()[0] === track) return;
    this.unwatch(id);
    if (!track) return;
    this.ctx ??= new AudioContext();
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
    const source = this.ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.meters.set(id, { source, analyser, buffer: new Float32Array(analyser.fftSize), level: 0, lastLoud: 0 });
    this.timer ??= setInterval(() => this.sample(), SAMPLE_MS);
  }

  unwatch(id: string): void {
    const m = this.meters.get(id);
    if (!m) return;
    m.source.disconnect();
    this.meters.delete(id);
  }

  /** Current RMS level (0..1) per id, for the test hook and level bars. */
  levels(): Record<string, number> {
    return Object.fromEntries([...this.meters].map(([id, m]) => [id, m.level]));
  }

  private sample(): void {
    const now = performance.now();
    const next = new Set<string>();
    for (const [id, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(m.buffer);
      let sum = 0;
      for (const v of m.buffer) sum += v * v;
      m.level = Math.sqrt(sum / m.buffer.length);
      if (m.level > SPEAKING_LEVEL) m.lastLoud = now;
      if (now - m.lastLoud < HOLD_MS) next.add(id);
    }
    if (next.size !== this.speaking.size || [...next].some((id) => !this.speaking.has(id))) {
      this.speaking = next;
      this.onChange(next);
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const id of [...this.meters.keys()]) this.unwatch(id);
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }
}
