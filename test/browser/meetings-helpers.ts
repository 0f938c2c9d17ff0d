/** Shared by the meeting browser tests and the in-namespace media scenario. */
import type { BrowserContext, Page } from 'playwright-core';
import { apiAs } from './harness.js';

/** Fake camera and microphone, no permission prompt, and ICE allowed on loopback. */
export const MEDIA_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export interface PeerStats {
  audioBytes: number;
  videoBytes: number;
  bytesReceived: number;
  packetsLost: number;
  framesDecoded: number;
  state: string;
  iceRestarts: number;
  /** sessions the offerer replaced because they did not connect in time */
  resets: number;
  pair: { local: string; remote: string; remotePort: number } | null;
  /** peer-to-peer, or received through the SFU */
  via?: 'mesh' | 'sfu';
}

/** Small fake video (320x240 at 15 fps) keeps three encoders and six decoders cheap on 2 cores. */
export async function prepareMeetingPage(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    try {
      window.localStorage.setItem('obmeet.meet.video', '320x240@15');
    } catch {
      /* opaque origin */
    }
  });
}

/** Opens the meeting page, passes the pre-join screen and waits for the grid. */
export async function joinMeetingInBrowser(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('button', { name: 'Join meeting' }).click();
  await page.locator('.meet-grid').waitFor();
}

type Auth = { userId: string; authToken: string };

export const meetingApi = {
  async create(baseURL: string, auth: Auth, rid: string, title: string): Promise<{ id: string; path: string }> {
    const r = await apiAs<{ meeting: { _id: string } }>(baseURL, auth, 'POST', 'meetings.create', { rid, title });
    return { id: r.meeting._id, path: `/meet/${r.meeting._id}` };
  },
  async record(baseURL: string, auth: Auth, meetingId: string): Promise<unknown> {
    return apiAs(baseURL, auth, 'GET', `meetings.info?key=${encodeURIComponent(meetingId)}`);
  },
};

export interface PhaseResult {
  participants: number;
  /** per browser (username), per remote peer: bytes received at the start and once growth was seen */
  peers: Record<string, Record<string, { before: PeerStats; after: PeerStats; grew: boolean }>>;
  /** bytes each peer received during a fixed 3 s window, for the report (not asserted) */
  bytesIn3s: Record<string, Record<string, number>>;
}

export async function snapshotStats(page: Page): Promise<Record<string, PeerStats>> {
  return page.evaluate(() => (window as unknown as { __obmeet: { stats(): Promise<Record<string, PeerStats>> } }).__obmeet.stats());
}

export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until every page has `n - 1` connected peers, then until every peer's inbound bytes grow. */
export async function measurePhase(users: Array<{ name: string; page: Page }>): Promise<PhaseResult> {
  const n = users.length;
  for (const u of users) {
    await waitUntil(`${u.name} is connected to ${n - 1} peers`, async () => {
      const s = await snapshotStats(u.page);
      const connected = Object.values(s).filter((p) => p.state === 'connected');
      return connected.length === n - 1 && Object.keys(s).length === n - 1;
    }).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(await snapshotStats(u.page))}`);
    });
  }
  const before: Record<string, Record<string, PeerStats>> = {};
  for (const u of users) before[u.name] = await snapshotStats(u.page);

  // the figure for the report: growth over a fixed window
  await new Promise((r) => setTimeout(r, 3000));
  const bytesIn3s: PhaseResult['bytesIn3s'] = {};
  for (const u of users) {
    const now = await snapshotStats(u.page);
    bytesIn3s[u.name] = Object.fromEntries(Object.entries(now).map(([id, s]) => [id, s.bytesReceived - (before[u.name]![id]?.bytesReceived ?? 0)]));
  }

  // the assertion: audio and video bytes both grow for every remote peer (no fixed duration)
  const peers: PhaseResult['peers'] = {};
  for (const u of users) {
    peers[u.name] = {};
    const after = await waitUntil(`${u.name} receives audio and video from every peer`, async () => {
      const s = await snapshotStats(u.page);
      const all = Object.entries(before[u.name]!).every(([id, b]) => {
        const a = s[id];
        return a && a.audioBytes > b.audioBytes && a.videoBytes > b.videoBytes + 1000;
      });
      return all ? s : undefined;
    }).catch(() => snapshotStats(u.page));
    for (const [id, b] of Object.entries(before[u.name]!)) {
      const a = after[id]!;
      peers[u.name]![id] = { before: b, after: a, grew: !!a && a.audioBytes > b.audioBytes && a.videoBytes > b.videoBytes + 1000 };
    }
  }
  return { participants: n, peers, bytesIn3s };
}

