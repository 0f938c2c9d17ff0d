/**
 * The client's WebRTC mesh engine (client/src/features/meetings/rtc) in real Chromium,
 * with signalling relayed by this script instead of a server: it bundles the engine,
 * loads it into three pages, and relays each page's SignalTransport messages to the
 * addressed page, in order. Every page creates its peers at the same moment.
 * Meant to run inside a loopback-only network namespace; prints one JSON object.
 */
import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, repoRoot } from './harness.js';
import { MEDIA_ARGS, measurePhase, snapshotStats, waitUntil, type PhaseResult } from './meetings-helpers.js';

export interface EngineScenarioResult {
  ok: boolean;
  error?: string;
  interfaces: string[];
  addresses: string[];
  phases: PhaseResult[];
  candidates: Record<string, Array<{ address: string; protocol: string; candidateType: string }>>;
  selectedPairs: Record<string, Record<string, { local: string; remote: string } | null>>;
  /** after p0 turned its camera off and on again through replaceTrack: video from p0 still grows at p1 */
  cameraToggle?: { p1VideoBefore: number; p1VideoAfter: number };
  /** p0 records the composed meeting: chunks its uploader sent, in arrival order */
  recording?: { chunks: Array<{ index: number; size: number; webmHeader: boolean }>; uploadedCount: number; failed: string | null };
  /** after p0 restarted ICE: restarts counted, still connected, bytes from p1 still growing */
  iceRestart?: { restarts: number; state: string; videoBefore: number; videoAfter: number };
  signalsRelayed: number;
  /** signals the relay lost on purpose (the first description from p2 to p0) */
  signalsDropped: number;
  /** p2's connection sessions to p0 that it replaced (the first one lost its offer) */
  p2ResetsToP0?: number;
  pageErrors: string[];
}

const log = (m: string) => process.stderr.write(`[rtc-engine-scenario] ${m}\n`);

async function bundleEngine(): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    root: join(repoRoot, 'client'),
    build: {
      write: false,
      minify: false,
      lib: { entry: join(repoRoot, 'client', 'src', 'features', 'meetings', 'rtc', 'index.ts'), formats: ['iife'], name: 'ObmeetRtc', fileName: 'rtc' },
    },
  });
  const results = Array.isArray(out) ? out : [out];
  for (const r of results) {
    if ('output' in r) for (const o of r.output) if (o.type === 'chunk') return o.code;
  }
  throw new Error('vite produced no bundle');
}

async function main(): Promise<EngineScenarioResult> {
  const nets = networkInterfaces();
  const result: EngineScenarioResult = {
    ok: false,
    interfaces: Object.keys(nets),
    addresses: Object.values(nets).flatMap((l) => (l ?? []).map((a) => a.address)),
    phases: [],
    candidates: {},
    selectedPairs: {},
    signalsRelayed: 0,
    signalsDropped: 0,
    pageErrors: [],
  };
  const code = await bundleEngine();
  // a secure-context origin for getUserMedia: any http://127.0.0.1 page will do
  const chunks: Array<{ index: number; size: number; webmHeader: boolean }> = [];
  const http = createServer((q, r) => {
    if (q.method === 'POST' && q.url?.startsWith('/chunk')) {
      // the recorder's uploads: keep what arrived, in order
      const parts: Buffer[] = [];
      q.on('data', (d: Buffer) => parts.push(d));
      q.on('end', () => {
        const body = Buffer.concat(parts);
        const index = Number(new URL(q.url!, 'http://x').searchParams.get('index'));
        chunks.push({ index, size: body.length, webmHeader: body.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) });
        r.writeHead(204).end();
      });
      return;
    }
    r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>rtc engine</title>');
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
  const browser = await launchBrowser(MEDIA_ARGS);
  try {
    const ids = ['p0', 'p1', 'p2'];
    const pages = new Map<string, Page>();
    const queues = new Map<string, Promise<unknown>>();
    const dropFirstDescription = new Set(['p2>p0']);
    for (const id of ids) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => result.pageErrors.push(`${id}: ${e.message}`));
      // signals that arrive before the page's engine listens are kept, as a socket's would be
      await context.addInitScript(() => {
        const w = window as unknown as Record<string, any>;
        const early: Array<[string, string]> = [];
        w.__deliver = (from: string, json: string) => early.push([from, json]);
        w.__early = early;
      });
      await page.exposeBinding('__relaySend', (_source, to: string, json: string) => {
        const target = pages.get(to);
        if (!target) return;
        // lose p2's first session description to p0, as a dropped socket would: the engines must recover
        if (dropFirstDescription.has(`${id}>${to}`) && (JSON.parse(json) as { description?: unknown }).description) {
          dropFirstDescription.delete(`${id}>${to}`);
          result.signalsDropped++;
          return;
        }
        result.signalsRelayed++;
        // one queue per sender→receiver pair keeps each pair's signals in order
        const key = `${id}>${to}`;
        const next = (queues.get(key) ?? Promise.resolve()).then(() => target.evaluate(([from, j]) => (window as unknown as { __deliver(f: string, j: string): void }).__deliver(from!, j!), [id, json]));
        queues.set(key, next.catch(() => undefined));
      });
      await page.goto(origin);
      await page.addScriptTag({ content: code });
      pages.set(id, page);
    }
    const start = (page: Page, selfId: string, others: string[]) =>
      page.evaluate(
        async ([selfId, others]) => {
          const w = window as unknown as Record<string, any>;
          const handlers = new Set<(from: string, p: unknown) => void>();
          const early = w.__early as Array<[string, string]>;
          const transport = {
            send: (to: string, payload: unknown) => void w.__relaySend(to, JSON.stringify(payload)),
            onSignal: (h: (from: string, p: unknown) => void) => (handlers.add(h), () => handlers.delete(h)),
          };
          const mic = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0];
          const cam = (await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 } })).getVideoTracks()[0];
          const engine = new w.ObmeetRtc.MeshEngine({ selfId, iceServers: [], transport, sendVideo: true, micTrack: mic, cameraTrack: cam });
          engine.start();
          w.__deliver = (from: string, json: string) => handlers.forEach((h) => h(from, JSON.parse(json)));
          for (const [from, json] of early.splice(0)) w.__deliver(from, json);
          w.__engine = engine;
          w.__obmeet = { stats: () => engine.stats(), candidates: () => engine.candidates() };
          engine.setParticipants(others as string[]);
        },
        [selfId, others] as const,
      );

    log('two engines, both offering at once');
    await Promise.all([start(pages.get('p0')!, 'p0', ['p1']), start(pages.get('p1')!, 'p1', ['p0'])]);
    const two = ids.slice(0, 2).map((id) => ({ name: id, page: pages.get(id)! }));
    result.phases.push(await measurePhase(two));

    log('camera off and on again (replaceTrack, no renegotiation needed)');
    const p0 = pages.get('p0')!;
    const p1 = pages.get('p1')!;
    await p0.evaluate(() => (window as unknown as { __engine: { setCameraEnabled(on: boolean): Promise<void> } }).__engine.setCameraEnabled(false));
    await p0.evaluate(() => (window as unknown as { __engine: { setCameraEnabled(on: boolean): Promise<void> } }).__engine.setCameraEnabled(true));
    const before = (await snapshotStats(p1)).p0!.videoBytes;
    const after = await waitUntil('video from p0 flows again after the camera toggle', async () => {
      const v = (await snapshotStats(p1)).p0!.videoBytes;
      return v > before + 5000 ? v : undefined;
    }).catch(async () => (await snapshotStats(p1)).p0!.videoBytes);
    result.cameraToggle = { p1VideoBefore: before, p1VideoAfter: after };

    log('ICE restart on p0 (what a network change triggers)');
    const beforeRestart = (await snapshotStats(p0)).p1!.videoBytes;
    await p0.evaluate(() => (window as unknown as { __engine: { restartIce(): void } }).__engine.restartIce());
    const afterRestart = await waitUntil('p0 is connected again after the ICE restart and receives video', async () => {
      const s = (await snapshotStats(p0)).p1!;
      return s.iceRestarts === 1 && s.state === 'connected' && s.videoBytes > beforeRestart + 5000 ? s : undefined;
    }).catch(async () => (await snapshotStats(p0)).p1!);
    result.iceRestart = { restarts: afterRestart.iceRestarts, state: afterRestart.state, videoBefore: beforeRestart, videoAfter: afterRestart.videoBytes };

    log('a third engine joins; its first description to p0 is lost on the way');
    await Promise.all([
      start(pages.get('p2')!, 'p2', ['p0', 'p1']),
      ...['p0', 'p1'].map((id) => pages.get(id)!.evaluate(() => (window as unknown as { __engine: { setParticipants(ids: string[]): void } }).__engine.setParticipants(['p0', 'p1', 'p2']))),
    ]);
    result.phases.push(await measurePhase(ids.map((id) => ({ name: id, page: pages.get(id)! }))));
    result.p2ResetsToP0 = (await snapshotStats(pages.get('p2')!)).p0!.resets;

    log('p0 records the composed meeting (first chunk, then stop)');
    await p0.evaluate(() => {
      const w = window as unknown as Record<string, any>;
      const engine = w.__engine;
      const uploader = {
        upload: async (blob: Blob, index: number) => {
          const r = await fetch(`/chunk?index=${index}`, { method: 'POST', body: blob });
          if (!r.ok) throw new Error(`upload ${index}: ${r.status}`);
        },
      };
      const source = { streams: () => engine.streams().map((s: { id: string; stream: MediaStream }) => ({ ...s, label: s.id })) };
      w.__recorder = new w.ObmeetRtc.MeetingRecorder(source, uploader, (m: string) => (w.__recorderError = m));
      w.__recorder.start();
    });
    await waitUntil('the first recording chunk is uploaded', async () => chunks.length >= 1, 20_000);
    const recorder = await p0.evaluate(async () => {
      const w = window as unknown as Record<string, any>;
      await w.__recorder.stop();
      return { uploadedCount: w.__recorder.uploaded as number, failed: (w.__recorder.failed as string | null) ?? null };
    });
    result.recording = { chunks: [...chunks], ...recorder };

    for (const id of ids) {
      const page = pages.get(id)!;
      result.candidates[id] = await page.evaluate(() => (window as unknown as { __obmeet: { candidates(): Promise<Array<{ address: string; protocol: string; candidateType: string }>> } }).__obmeet.candidates());
      result.selectedPairs[id] = Object.fromEntries(Object.entries(await snapshotStats(page)).map(([peer, s]) => [peer, s.pair]));
    }
    result.ok = true;
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  } finally {
    await browser.close().catch(() => undefined);
    http.close();
  }
  return result;
}

main().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(e) })}\n`);
    process.exit(1);
  },
);
