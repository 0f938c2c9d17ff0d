/**
 * A meeting that grows over the mesh limit and is routed through Janus (Debian's package,
 * VideoRoom plugin), meant to run inside a network namespace whose only addresses are
 * loopback ones (see netns.ts `mediaInterface`). It starts Janus, an OBMeet server with
 * MEETINGS_JANUS_URL and a mesh limit of 2, and three signed-in Chromium profiles: two
 * meet peer-to-peer, the third pushes the meeting to the SFU, and everyone's media must then
 * come from Janus. Prints one JSON object (SfuScenarioResult); progress goes to stderr.
 */
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { startJanus } from '@obmeet/test-kit';
import Janode from 'janode';
import VideoRoom, { type VideoRoomHandle } from 'janode/plugins/videoroom';
import { apiAs, launchBrowser, logInInBrowser, newCredentials, openUserPage, registerOverApi, startServer, type UserPage } from './harness.js';
import { MEDIA_ARGS, joinMeetingInBrowser, measurePhase, meetingApi, prepareMeetingPage, snapshotStats, waitUntil, type PeerStats, type PhaseResult } from './meetings-helpers.js';
import { MEDIA_INTERFACE } from './netns.js';

export interface SfuScenarioResult {
  ok: boolean;
  error?: string;
  interfaces: string[];
  addresses: string[];
  usernames: string[];
  /** the media mode each page reported: after two joined, and after the third */
  modesWithTwo: Record<string, string>;
  modesWithThree: Record<string, string>;
  phases: PhaseResult[];
  /** per page, per remote participant, with three in the meeting */
  links: Record<string, Record<string, PeerStats>>;
  janusRtpPorts: { min: number; max: number };
  /** the feeds Janus's VideoRoom had published, by display (our participant ids) */
  janusPublishers: string[];
  participantIds: Record<string, string>;
  /** after one participant left: Janus's publishers again */
  janusPublishersAfterLeave: string[];
  candidates: Record<string, Array<{ address: string; protocol: string; candidateType: string }>>;
  record?: unknown;
  pageErrors: string[];
}

const log = (m: string) => process.stderr.write(`[sfu-scenario] ${m}\n`);
const modeOf = (u: { page: UserPage['page'] }) => u.page.evaluate(() => (window as unknown as { __obmeet: { mode(): string } }).__obmeet.mode());

async function janusPublishers(url: string, meetingId: string): Promise<string[]> {
  const connection = await Janode.connect({ is_admin: false, address: { url } });
  try {
    const session = await connection.create();
    const handle = await session.attach<VideoRoomHandle>(VideoRoom);
    // the server's room number for the meeting (meetings.sfu.ts janusNumber)
    const room = createHash('sha256').update(meetingId).digest().readUIntBE(0, 6) + 1;
    const { participants } = await handle.listParticipants({ room });
    await handle.detach();
    await session.destroy();
    return participants.filter((p) => p.publisher).map((p) => p.display ?? String(p.feed));
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function main(): Promise<SfuScenarioResult> {
  const nets = networkInterfaces();
  const result: SfuScenarioResult = {
    ok: false,
    interfaces: Object.keys(nets),
    addresses: Object.values(nets).flatMap((list) => (list ?? []).map((a) => a.address)),
    usernames: [],
    modesWithTwo: {},
    modesWithThree: {},
    phases: [],
    links: {},
    janusRtpPorts: { min: 0, max: 0 },
    janusPublishers: [],
    participantIds: {},
    janusPublishersAfterLeave: [],
    candidates: {},
    pageErrors: [],
  };
  log(`interfaces: ${result.interfaces.join(', ')}`);
  const janus = await startJanus({ iceInterface: MEDIA_INTERFACE });
  result.janusRtpPorts = janus.rtpPorts;
  const server = await startServer({ MEETINGS_JANUS_URL: janus.url, MEETINGS_MAX_VIDEO: '2' });
  const browser = await launchBrowser(MEDIA_ARGS);
  const pages: UserPage[] = [];
  try {
    const creds = ['alice', 'bob', 'carol'].map((p) => newCredentials(`s${p}`));
    result.usernames = creds.map((c) => c.username);
    const auths = await Promise.all(creds.map((c) => registerOverApi(server.url, c)));
    const owner = auths[0]!;
    const room = await apiAs<{ channel: { _id: string } }>(server.url, owner, 'POST', 'channels.create', {
      name: `allhands-${Date.now().toString(36)}`,
      members: creds.slice(1).map((c) => c.username),
    });
    const meeting = await meetingApi.create(server.url, owner, room.channel._id, 'All hands');
    for (const c of creds) {
      const u = await openUserPage(browser, server.url, { width: 900, height: 640 });
      u.context.setDefaultTimeout(20_000);
      await prepareMeetingPage(u.context);
      await logInInBrowser(u.page, c);
      pages.push(u);
    }
    const users = creds.map((c, i) => ({ name: c.username, page: pages[i]!.page }));

    log('two participants join (peer-to-peer)');
    await joinMeetingInBrowser(users[0]!.page, meeting.path);
    await joinMeetingInBrowser(users[1]!.page, meeting.path);
    result.phases.push(await measurePhase(users.slice(0, 2)));
    for (const u of users.slice(0, 2)) result.modesWithTwo[u.name] = await modeOf(u);

    log('a third participant with video: over the mesh limit of 2, the meeting moves to Janus');
    await joinMeetingInBrowser(users[2]!.page, meeting.path);
    for (const u of users) await waitUntil(`${u.name} switched to the SFU`, async () => (await modeOf(u)) === 'sfu');
    result.phases.push(await measurePhase(users));
    for (const u of users) {
      result.modesWithThree[u.name] = await modeOf(u);
      result.links[u.name] = await snapshotStats(u.page);
      result.participantIds[u.name] = await u.page.evaluate(() => (window as unknown as { __obmeet: { participantId: string } }).__obmeet.participantId);
      result.candidates[u.name] = await u.page.evaluate(() =>
        (window as unknown as { __obmeet: { candidates(): Promise<Array<{ address: string; protocol: string; candidateType: string }>> } }).__obmeet.candidates(),
      );
    }
    result.janusPublishers = await janusPublishers(janus.url, meeting.id);

    log('the third participant leaves: the server takes their feed out of Janus');
    await users[2]!.page.getByRole('button', { name: 'Leave', exact: true }).click();
    const left = result.participantIds[users[2]!.name]!;
    result.janusPublishersAfterLeave = await waitUntil('Janus no longer has the feed of the one who left', async () => {
      const list = await janusPublishers(janus.url, meeting.id);
      return list.includes(left) ? undefined : list;
    }).catch(() => janusPublishers(janus.url, meeting.id));

    result.record = await meetingApi.record(server.url, owner, meeting.id);
    result.ok = true;
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(janus.log().slice(-4000));
  } finally {
    result.pageErrors = pages.flatMap((p) => p.errors);
    await browser.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
    await janus.stop().catch(() => undefined);
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
