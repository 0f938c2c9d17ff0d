/**
 * The WebRTC media scenario, meant to run inside a network namespace that has only a
 * loopback interface (see netns.ts and meetings.test.ts): it starts its own OBMeet server
 * (which starts its own embedded FerretDB), three signed-in Chromium profiles with fake
 * camera and microphone, has two and then three of them join one meeting, and measures
 * that media flows between every pair. It prints one JSON object (ScenarioResult) on
 * stdout; the mocha test asserts on it. Progress goes to stderr.
 */
import { networkInterfaces } from 'node:os';
import { apiAs, launchBrowser, logInInBrowser, newCredentials, openUserPage, registerOverApi, startServer, type UserPage } from './harness.js';
import { MEDIA_ARGS, joinMeetingInBrowser, measurePhase, meetingApi, prepareMeetingPage, snapshotStats, type PhaseResult } from './meetings-helpers.js';

export interface ScenarioResult {
  ok: boolean;
  error?: string;
  interfaces: string[];
  addresses: string[];
  phases: PhaseResult[];
  candidates: Record<string, Array<{ address: string; protocol: string; candidateType: string }>>;
  selectedPairs: Record<string, Record<string, { local: string; remote: string } | null>>;
  record?: unknown;
  usernames: string[];
  pageErrors: string[];
}

const log = (m: string) => process.stderr.write(`[meetings-scenario] ${m}\n`);

async function main(): Promise<ScenarioResult> {
  const nets = networkInterfaces();
  const result: ScenarioResult = {
    ok: false,
    interfaces: Object.keys(nets),
    addresses: Object.values(nets).flatMap((list) => (list ?? []).map((a) => a.address)),
    phases: [],
    candidates: {},
    selectedPairs: {},
    usernames: [],
    pageErrors: [],
  };
  log(`interfaces: ${result.interfaces.join(', ')}`);
  const server = await startServer();
  const browser = await launchBrowser(MEDIA_ARGS);
  const pages: UserPage[] = [];
  try {
    const creds = ['alice', 'bob', 'carol'].map((p) => newCredentials(`m${p}`));
    result.usernames = creds.map((c) => c.username);
    const auths = await Promise.all(creds.map((c) => registerOverApi(server.url, c)));
    const owner = auths[0]!;
    const room = await apiAs<{ channel: { _id: string } }>(server.url, owner, 'POST', 'channels.create', {
      name: `standup-${Date.now().toString(36)}`,
      members: creds.slice(1).map((c) => c.username),
    });
    const meeting = await meetingApi.create(server.url, owner, room.channel._id, 'Media check');
    log(`meeting ${meeting.id} in room ${room.channel._id}`);

    for (const c of creds) {
      const u = await openUserPage(browser, server.url, { width: 900, height: 640 });
      u.context.setDefaultTimeout(20_000);
      await prepareMeetingPage(u.context);
      await logInInBrowser(u.page, c);
      pages.push(u);
    }
    const users = creds.map((c, i) => ({ name: c.username, page: pages[i]!.page }));

    log('two participants join');
    await joinMeetingInBrowser(users[0]!.page, meeting.path);
    await joinMeetingInBrowser(users[1]!.page, meeting.path);
    result.phases.push(await measurePhase(users.slice(0, 2)));

    log('a third participant joins');
    await joinMeetingInBrowser(users[2]!.page, meeting.path);
    result.phases.push(await measurePhase(users));

    for (const u of users) {
      result.candidates[u.name] = await u.page.evaluate(() =>
        (window as unknown as { __obmeet: { candidates(): Promise<Array<{ address: string; protocol: string; candidateType: string }>> } }).__obmeet.candidates(),
      );
      const stats = await snapshotStats(u.page);
      result.selectedPairs[u.name] = Object.fromEntries(Object.entries(stats).map(([id, s]) => [id, s.pair]));
    }
    result.record = await meetingApi.record(server.url, owner, meeting.id);
    result.ok = true;
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  } finally {
    result.pageErrors = pages.flatMap((p) => p.errors);
    await browser.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
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
