/**
 * The meeting page's controls in real browsers (headless Chromium with a fake camera and
 * microphone, a real server, real sockets): the pre-join screen, guests in the lobby, a
 * moderator muting, removing, locking and ending, recording with its banner and consent note,
 * and the room's meeting history with its CSV export. Every user has their own browser
 * context; assertions are on what the pages show, by role and accessible name.
 */
import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  apiAs,
  captureFailure,
  eventually,
  launchBrowser,
  logInInBrowser,
  newCredentials,
  openUserPage,
  registerOverApi,
  screenshot,
  startServer,
  type TestServer,
  type UserPage,
  send,
  threadComposer,
} from './harness.js';
import { MEDIA_ARGS, prepareMeetingPage } from './meetings-helpers.js';

type Auth = { userId: string; authToken: string };

interface RecordParticipant {
  name: string;
  email?: string;
  guest?: boolean;
  sessions: Array<{ joinedAt: string; leftAt?: string | null }>;
}
interface MeetingRecord {
  _id: string;
  token?: string;
  title: string;
  status: string;
  recording: boolean;
  recordingAllowed?: boolean;
  participants?: RecordParticipant[];
  recordings?: Array<{ url: string; size?: number }>;
}

/** the header row of meetings.export.csv (docs/api.md, server/src/domains/meetings/meetings.export.ts) */
const CSV_HEADER = 'meeting id,title,room,status,organiser,scheduled,started,ended,participant,username,email,guest,joins,first joined,last left,attendance seconds';

describe('browser: meeting controls (pre-join, lobby, moderation, recording, history)', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  // alice registers first: she is the workspace admin, and the organiser of every meeting here
  const aliceCreds = newCredentials('alice');
  const bobCreds = newCredentials('bob');
  const carolCreds = newCredentials('carol');
  let aliceAuth: Auth;
  let alice: UserPage;
  let bob: UserPage;
  let carol: UserPage;
  /** pages opened by one test only (guests); closed after it */
  const extra: Record<string, UserPage> = {};
  const roomName = `meetctl-${Date.now().toString(36)}`;
  let roomId: string;
  /** the meetings each scenario made, for the history scenario */
  const made: Record<'prejoin' | 'guests' | 'moderation' | 'recording' | 'reconnect', { id: string; token: string; title: string } | undefined> = {
    prejoin: undefined,
    guests: undefined,
    moderation: undefined,
    recording: undefined,
    reconnect: undefined,
  };

  const asAlice = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, aliceAuth, method, path, body);

  async function createMeeting(kind: keyof typeof made, title: string) {
    const r = await asAlice<{ meeting: { _id: string; token: string } }>('POST', 'meetings.create', { rid: roomId, title });
    made[kind] = { id: r.meeting._id, token: r.meeting.token, title };
    return made[kind]!;
  }
  const info = async (id: string) => (await asAlice<{ meeting: MeetingRecord }>('GET', `meetings.info?key=${encodeURIComponent(id)}`)).meeting;
  /** ends a meeting a scenario left running (so the history shows it ended); an ended one is left alone */
  const endIfLive = async (id: string | undefined) => {
    if (id && (await info(id)).status === 'live') await asAlice('POST', 'meetings.moderate', { meetingId: id, action: 'end' });
  };

  const grid = (page: Page) => page.locator('.meet-grid');
  const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Meeting controls' });
  const peopleButton = (page: Page) => toolbar(page).getByRole('button', { name: /^People \(/ });
  const inMeetingList = (page: Page) => page.getByRole('list', { name: 'In the meeting' });
  const recordingBanner = (page: Page) => page.getByRole('status').filter({ hasText: 'Recording — this meeting is being recorded' });

  /**
   * Small fake video; and a longer ceiling for single waits than the harness's 10 s, since another
   * suite may share the 2 cores (auto-waits still return as soon as the page is ready).
   */
  async function preparePage(u: UserPage): Promise<void> {
    await prepareMeetingPage(u.context);
    u.context.setDefaultTimeout(20_000);
  }

  /** Opens the pre-join screen of `path` and joins with the given devices; resolves once the grid shows. */
  async function join(page: Page, path: string, options: { camera?: boolean } = {}): Promise<void> {
    await page.goto(path);
    const form = page.getByRole('form', { name: 'Join the meeting' });
    if (options.camera === false) {
      await form.getByRole('button', { name: 'Camera on' }).click();
      await form.getByText('Camera is off').waitFor();
    }
    await form.getByRole('button', { name: 'Join meeting' }).click();
    await grid(page).waitFor();
  }

  /** Opens the participant list (a moderator's page has the lobby and the actions in it). */
  async function openPeople(page: Page): Promise<void> {
    const button = peopleButton(page);
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    await inMeetingList(page).waitFor();
  }

  function participantRow(page: Page, name: string): Locator {
    return inMeetingList(page).getByRole('listitem').filter({ hasText: name });
  }

  before(async function () {
    this.timeout(120_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser(MEDIA_ARGS)]);
    aliceAuth = await registerOverApi(server.url, aliceCreds);
    await registerOverApi(server.url, bobCreds);
    await registerOverApi(server.url, carolCreds);
    roomId = (await asAlice<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [bobCreds.username, carolCreds.username] })).channel._id;
    // recording is off unless an admin allows it; set early (the server caches settings for a moment)
    await asAlice('POST', 'settings/meetings.recording.allowed', { value: true });

    [alice, bob, carol] = await Promise.all([openUserPage(browser, server.url), openUserPage(browser, server.url), openUserPage(browser, server.url)]);
    for (const u of [alice, bob, carol]) await preparePage(u);
    // "End for all" asks with window.confirm: the harness dismisses dialogs, alice's page accepts that one
    alice.page.removeAllListeners('dialog');
    alice.page.on('dialog', (d) => {
      alice.dialogs.push(`${d.type()}: ${d.message()}`);
      void (d.type() === 'confirm' && d.message() === 'End the meeting for everyone?' ? d.accept() : d.dismiss());
    });
    // one after the other: three first loads at once can take long on a busy 2-core machine
    await logInInBrowser(alice.page, aliceCreds);
    await logInInBrowser(bob.page, bobCreds);
    await logInInBrowser(carol.page, carolCreds);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    const pages: Record<string, Page | undefined> = { alice: alice?.page, bob: bob?.page, carol: carol?.page };
    for (const [who, u] of Object.entries(extra)) pages[who] = u.page;
    await captureFailure(this.currentTest, pages);
    const errors: Record<string, string[]> = {};
    for (const [who, u] of Object.entries({ alice, bob, carol, ...extra })) if (u?.errors.length) errors[who] = u.errors;
    for (const [who, u] of Object.entries(extra)) {
      await u.context.close().catch(() => undefined);
      delete extra[who];
    }
    expect(errors, 'errors in the pages').to.deep.equal({});
  });

  it('pre-join: shows the title and who started it; camera off shows "Camera is off"; joining with the camera off enters the meeting, and the camera can be started later', async () => {
    const m = await createMeeting('prejoin', 'Pre-join check');
    const page = bob.page;
    await page.goto(`/meet/${m.id}`);
    const form = page.getByRole('form', { name: 'Join the meeting' });
    await form.waitFor();
    expect(await form.getByRole('heading', { level: 2 }).innerText()).to.equal('Pre-join check');
    await form.getByText(`Started by ${aliceCreds.name}`).waitFor();
    expect(await form.getByText('Camera is off').count(), 'the camera is on at first').to.equal(0);
    expect(await form.getByRole('button', { name: 'Camera on' }).getAttribute('aria-pressed')).to.equal('true');
    expect(await form.getByRole('button', { name: 'Microphone on' }).getAttribute('aria-pressed')).to.equal('true');
    // nothing is recorded here: no consent note
    expect(await form.getByText('This meeting is being recorded').count()).to.equal(0);

    await form.getByRole('button', { name: 'Camera on' }).click();
    await form.getByText('Camera is off').waitFor();
    const cameraToggle = form.getByRole('button', { name: 'Camera off' });
    expect(await cameraToggle.getAttribute('aria-pressed')).to.equal('false');
    await screenshot(page, 'meeting-controls-prejoin-camera-off');

    await form.getByRole('button', { name: 'Join meeting' }).click();
    await grid(page).waitFor();
    // in the meeting without a camera: my tile shows initials, the microphone is on; this is not "audio only"
    const myTile = page.getByRole('figure', { name: `${bobCreds.name} (you)` });
    await myTile.waitFor();
    expect(await myTile.getAttribute('class')).to.contain('no-video');
    expect(await toolbar(page).getByRole('button', { name: 'Mute', exact: true }).getAttribute('aria-pressed')).to.equal('false');
    // the server has Bob in the meeting, without video
    await eventually(async () => {
      const live = ((await info(m.id)) as unknown as { live: Array<{ name: string; video: boolean; audio: boolean }> }).live;
      return live.length === 1 && live[0]!.name === bobCreds.name && !live[0]!.video && live[0]!.audio;
    }, 'the server lists Bob in the meeting with his camera off', 20_000);
    expect(await page.getByText('You are in this meeting with audio only.').count()).to.equal(0);
    // starting the camera later: the server is told, the tile shows video
    await toolbar(page).getByRole('button', { name: 'Start camera' }).click();
    await toolbar(page).getByRole('button', { name: 'Stop camera' }).waitFor();
    await eventually(async () => !((await myTile.getAttribute('class')) ?? '').includes('no-video'), 'my tile shows my camera');
    await eventually(async () => {
      const live = ((await info(m.id)) as unknown as { live: Array<{ video: boolean }> }).live;
      return live.length === 1 && live[0]!.video;
    }, 'the server lists Bob with his camera on', 20_000);
    await page.goto('/');
    await endIfLive(m.id);
  });

  it('guests: the organiser allows guests from the People panel; a guest asks to join, waits in the lobby, the moderator admits them; another guest is denied', async function () {
    this.timeout(90_000);
    const m = await createMeeting('guests', 'Guest lobby');
    await join(alice.page, `/meet/${m.id}`);
    await openPeople(alice.page);
    // guests are off unless the organiser allows them
    const allow = alice.page.getByRole('button', { name: 'Allow guests' });
    expect(await allow.getAttribute('aria-pressed')).to.equal('false');
    await allow.click();
    await alice.page.getByRole('button', { name: 'Guests may knock' }).waitFor();
    await eventually(async () => ((await info(m.id)) as unknown as { guestsAllowed: boolean }).guestsAllowed === true, 'the server has guests allowed');

    const guest = (extra.guest = await openUserPage(browser, server.url));
    await preparePage(guest);
    const gp = guest.page;
    await gp.goto(`/meet/${m.token}`);
    const form = gp.getByRole('form', { name: 'Join the meeting' });
    await form.getByRole('heading', { name: 'Guest lobby' }).waitFor();
    await form.getByText('You are joining as a guest. A moderator lets you in.').waitFor();
    const ask = form.getByRole('button', { name: 'Ask to join' });
    expect(await ask.isDisabled(), 'Ask to join needs a name and an email').to.equal(true);
    await form.getByLabel('Your name').fill('Gail Guest');
    await form.getByLabel('Your email').fill('gail@example.test');
    await ask.click();
    await gp.getByRole('heading', { name: 'Waiting to be let in' }).waitFor();
    expect(await grid(gp).count()).to.equal(0);

    // the moderator sees her waiting, in the People button and in the lobby list
    await eventually(async () => (await peopleButton(alice.page).innerText()).includes('· 1 waiting'), 'the People button counts one waiting guest', 20_000);
    const lobby = alice.page.getByRole('list', { name: 'Lobby' });
    const waiting = lobby.getByRole('listitem').filter({ hasText: 'Gail Guest' });
    await waiting.waitFor();
    expect(await waiting.innerText()).to.contain('(guest)');
    await screenshot(alice.page, 'meeting-controls-lobby-moderator');
    await waiting.getByRole('button', { name: 'Admit' }).click();

    // the guest's page enters the meeting and shows the organiser's tile
    await grid(gp).waitFor();
    await gp.getByRole('figure', { name: 'Gail Guest (you)' }).waitFor();
    await gp.getByRole('figure', { name: aliceCreds.name }).waitFor();
    // the moderator's list has the guest in the meeting, the lobby is empty again
    await participantRow(alice.page, 'Gail Guest (guest)').waitFor();
    await alice.page.getByRole('list', { name: 'Lobby' }).waitFor({ state: 'detached' });
    expect(await peopleButton(alice.page).innerText()).to.not.contain('waiting');
    await alice.page.getByRole('figure', { name: 'Gail Guest' }).waitFor();
    await screenshot(alice.page, 'meeting-controls-guest-admitted');

    // a second guest is refused: "Deny"
    const guest2 = (extra.guest2 = await openUserPage(browser, server.url));
    await preparePage(guest2);
    const gp2 = guest2.page;
    await gp2.goto(`/meet/${m.token}`);
    const form2 = gp2.getByRole('form', { name: 'Join the meeting' });
    await form2.getByLabel('Your name').fill('Dan Denied');
    await form2.getByLabel('Your email').fill('dan@example.test');
    await form2.getByRole('button', { name: 'Ask to join' }).click();
    await gp2.getByRole('heading', { name: 'Waiting to be let in' }).waitFor();
    const waiting2 = alice.page.getByRole('list', { name: 'Lobby' }).getByRole('listitem').filter({ hasText: 'Dan Denied' });
    await waiting2.getByRole('button', { name: 'Deny' }).click();
    const refusal = gp2.getByRole('alert').filter({ has: gp2.getByRole('heading', { name: 'You cannot join' }) });
    await refusal.waitFor();
    expect(await refusal.innerText()).to.contain('A moderator did not let you in.');
    await alice.page.getByRole('list', { name: 'Lobby' }).waitFor({ state: 'detached' });
    expect(await participantRow(alice.page, 'Dan Denied').count()).to.equal(0);

    await endIfLive(m.id);
    await gp.getByRole('heading', { name: 'Meeting ended' }).waitFor();
  });

  it('moderation: the in-meeting chat is the meeting message\'s thread; mute and remove a participant, lock the meeting against a new joiner, end it for everyone', async function () {
    this.timeout(90_000);
    const m = await createMeeting('moderation', 'Moderation drill');
    const path = `/meet/${m.id}`;
    await join(alice.page, path);
    await join(bob.page, path);

    // in-meeting chat: a thread of the meeting message, seen live by the others
    for (const p of [alice.page, bob.page]) await toolbar(p).getByRole('button', { name: 'Chat' }).click();
    await send(threadComposer(alice.page), 'Agenda: numbers first');
    await bob.page.locator('.thread-panel article.message', { hasText: 'Agenda: numbers first' }).waitFor();
    const msgId = ((await info(m.id)) as unknown as { msgId: string }).msgId;
    const thread = await asAlice<{ messages: Array<{ msg: string; tmid?: string }> }>('GET', `chat.getThreadMessages?tmid=${msgId}`);
    expect(thread.messages.map((x) => [x.msg, x.tmid])).to.deep.include(['Agenda: numbers first', msgId]);
    for (const p of [alice.page, bob.page]) await toolbar(p).getByRole('button', { name: 'Chat' }).click();

    await openPeople(alice.page);
    const bobRow = participantRow(alice.page, bobCreds.name);
    await bobRow.waitFor();
    expect(await bobRow.getByRole('img', { name: 'Microphone on' }).count()).to.equal(1);

    // mute: Bob is told, and his microphone control shows muted
    await bobRow.getByRole('button', { name: `Mute ${bobCreds.name}` }).click();
    await bob.page.getByRole('status').filter({ hasText: 'A moderator muted your microphone.' }).waitFor();
    const unmute = toolbar(bob.page).getByRole('button', { name: 'Unmute' });
    await unmute.waitFor();
    expect(await unmute.getAttribute('aria-pressed')).to.equal('true');
    await bob.page.getByRole('figure', { name: `${bobCreds.name} (you)` }).getByRole('img', { name: 'Muted' }).waitFor();
    // the moderator's list shows him muted, with no Mute action left
    await bobRow.getByRole('img', { name: 'Muted' }).waitFor();
    expect(await bobRow.getByRole('button', { name: `Mute ${bobCreds.name}` }).count()).to.equal(0);
    await screenshot(bob.page, 'meeting-controls-muted-by-moderator');

    // remove: Bob's page says so, the list no longer has him
    await bobRow.getByRole('button', { name: `Remove ${bobCreds.name}` }).click();
    const removed = bob.page.getByRole('alert').filter({ has: bob.page.getByRole('heading', { name: 'You cannot join' }) });
    await removed.waitFor();
    expect(await removed.innerText()).to.contain('A moderator removed you from this meeting.');
    expect(await grid(bob.page).count()).to.equal(0);
    await bobRow.waitFor({ state: 'detached' });
    // and he cannot come back
    await bob.page.reload();
    await bob.page.getByRole('button', { name: 'Join meeting' }).click();
    await removed.waitFor();
    expect(await removed.innerText()).to.contain('A moderator removed you from this meeting.');

    // lock: a new joiner is refused with the reason
    await alice.page.getByRole('button', { name: 'Lock meeting' }).click();
    const unlock = alice.page.getByRole('button', { name: 'Unlock meeting' });
    await unlock.waitFor();
    expect(await unlock.getAttribute('aria-pressed')).to.equal('true');
    await carol.page.goto(path);
    await carol.page.getByRole('button', { name: 'Join meeting' }).click();
    const locked = carol.page.getByRole('alert').filter({ has: carol.page.getByRole('heading', { name: 'You cannot join' }) });
    await locked.waitFor();
    expect(await locked.innerText()).to.contain('A moderator has locked this meeting: nobody else can join right now.');
    expect(await grid(carol.page).count()).to.equal(0);
    await screenshot(carol.page, 'meeting-controls-locked');

    // unlocked again, Carol gets in
    await unlock.click();
    await alice.page.getByRole('button', { name: 'Lock meeting' }).waitFor();
    await join(carol.page, path);
    await participantRow(alice.page, carolCreds.name).waitFor();

    // end for everyone: asked first, then every page shows the meeting ended
    await toolbar(alice.page).getByRole('button', { name: 'End for all' }).click();
    for (const page of [alice.page, carol.page]) {
      const ended = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Meeting ended' }) });
      await ended.waitFor();
      expect(await ended.innerText()).to.contain('This meeting has ended.');
      expect(await grid(page).count()).to.equal(0);
    }
    expect(alice.dialogs).to.include('confirm: End the meeting for everyone?');
    // Bob (removed earlier) opening it now sees it ended, too
    await bob.page.reload();
    await bob.page.getByRole('heading', { name: 'Meeting ended' }).waitFor();
    expect((await info(m.id)).status).to.equal('ended');
  });

  it('recording: every participant sees the banner, a later joiner is told before joining, stopping removes it, the record lists the recording', async function () {
    this.timeout(120_000);
    const m = await createMeeting('recording', 'Recorded review');
    const path = `/meet/${m.id}`;
    // the admin allowed recording in before(): wait until the server says so (settings are cached briefly)
    await eventually(async () => (await info(m.id)).recordingAllowed === true, 'the server allows recording', 10_000);
    await join(alice.page, path);
    await join(bob.page, path);
    await alice.page.getByRole('figure', { name: bobCreds.name }).waitFor();

    const record = toolbar(alice.page).getByRole('button', { name: 'Record', exact: true });
    // a non-moderator has no Record control
    expect(await toolbar(bob.page).getByRole('button', { name: 'Record', exact: true }).count()).to.equal(0);
    await record.click();
    const stop = toolbar(alice.page).getByRole('button', { name: 'Stop recording' });
    await stop.waitFor();
    expect(await stop.getAttribute('aria-pressed')).to.equal('true');
    for (const page of [alice.page, bob.page]) await recordingBanner(page).waitFor();
    await screenshot(bob.page, 'meeting-controls-recording-banner');

    // Carol opens the meeting afterwards: told on the pre-join screen, before she joins
    await carol.page.goto(path);
    const form = carol.page.getByRole('form', { name: 'Join the meeting' });
    const note = form.getByRole('alert').filter({ hasText: 'This meeting is being recorded. By joining you agree to be recorded.' });
    await note.waitFor();
    expect(await grid(carol.page).count(), 'Carol has not joined yet').to.equal(0);
    expect(await form.getByRole('button', { name: 'Join meeting' }).count()).to.equal(1);
    await screenshot(carol.page, 'meeting-controls-recording-consent');
    await form.getByRole('button', { name: 'Join meeting' }).click();
    await grid(carol.page).waitFor();
    await recordingBanner(carol.page).waitFor();

    // stop: the banner goes away on every page
    await stop.click();
    for (const page of [alice.page, bob.page, carol.page]) await recordingBanner(page).waitFor({ state: 'detached', timeout: 20_000 });
    await toolbar(alice.page).getByRole('button', { name: 'Record', exact: true }).waitFor();

    // the meeting record (as the organiser) lists the recording, and it downloads as WebM
    let rec: MeetingRecord | undefined;
    await eventually(async () => ((rec = await info(m.id)), !rec.recording && (rec.recordings?.length ?? 0) === 1), 'the meeting record lists one recording', 20_000);
    const recording = rec!.recordings![0]!;
    expect(recording.url).to.match(/^\/api\/v1\/meetings\.recording\.download\?recordingId=[\w-]+$/);
    expect(recording.size).to.be.greaterThan(0);
    const dl = await fetch(`${server.url}${recording.url}`, { headers: { 'x-user-id': aliceAuth.userId, 'x-auth-token': aliceAuth.authToken } });
    expect(dl.status).to.equal(200);
    expect(dl.headers.get('content-type')).to.match(/^video\/webm/);
    const bytes = new Uint8Array(await dl.arrayBuffer());
    expect(bytes.length).to.equal(recording.size);
    expect([...bytes.slice(0, 4)], 'an EBML (WebM) header').to.deep.equal([0x1a, 0x45, 0xdf, 0xa3]);

    await alice.page.goto('/');
    await endIfLive(m.id);
  });

  it('a participant whose connection drops is back in the meeting when it returns, and sees who joined meanwhile', async function () {
    this.timeout(150_000);
    const m = await createMeeting('reconnect', 'Flaky network');
    const path = `/meet/${m.id}`;
    await join(alice.page, path);
    await join(bob.page, path);
    await eventually(async () => (await peopleButton(bob.page).innerText()).startsWith('People (2)'), 'Bob sees two in the meeting');
    await bob.context.setOffline(true);
    // the server sees Bob's socket go (after its ping timeout, 40 s): he leaves the meeting (a session closes)
    await eventually(async () => (await peopleButton(alice.page).innerText()).startsWith('People (1)'), 'Alice sees Bob gone', 60_000);
    await join(carol.page, path);
    await bob.context.setOffline(false);
    // Bob's page attaches again (a new session) and reads the meeting again: Carol is there
    await eventually(async () => (await peopleButton(bob.page).innerText()).startsWith('People (3)'), 'Bob sees Carol after reconnecting', 60_000);
    await eventually(async () => (await peopleButton(alice.page).innerText()).startsWith('People (3)'), 'Alice sees Bob back');
    const bobRecord = ((await info(m.id)) as unknown as { participants: Array<{ username?: string; sessions: unknown[] }> }).participants.find((p) => p.username === bobCreds.username);
    expect(bobRecord?.sessions.length, JSON.stringify(bobRecord)).to.equal(2);
    await endIfLive(m.id);
  });

  it("history: the room's meeting history lists the meetings with their participants; the CSV export has a header and one row per participant", async function () {
    this.timeout(60_000);
    for (const m of Object.values(made)) await endIfLive(m?.id);
    const guests = made.guests;
    const moderation = made.moderation;
    expect(guests, 'the guests scenario made its meeting').to.not.equal(undefined);
    expect(moderation, 'the moderation scenario made its meeting').to.not.equal(undefined);
    const mine = Object.values(made).filter((m): m is NonNullable<typeof m> => !!m);

    const page = alice.page;
    await page.goto(`/meetings/room/${roomId}`);
    await page.getByRole('heading', { name: `Meetings in ${roomName}` }).waitFor();
    const table = page.getByRole('table', { name: 'Meetings' });
    await table.waitFor();
    for (const m of mine) {
      const row = table.locator(`tr[data-meeting="${m.id}"]`);
      await row.waitFor();
      expect(await row.innerText(), m.title).to.contain(m.title);
      expect(await row.innerText(), m.title).to.contain('ended');
    }

    // the guest meeting's attendance: the organiser and the admitted guest (with her email); the denied one never entered
    const guestRow = table.locator(`tr[data-meeting="${guests!.id}"]`);
    await guestRow.getByText('Attendance').click();
    const attendance = page.getByRole('table', { name: 'Attendance of Guest lobby' });
    await attendance.waitFor();
    const names = (await attendance.locator('tbody tr td:first-child').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(names).to.have.members([aliceCreds.name, 'Gail Guest (guest) gail@example.test']);
    // the moderation meeting: the organiser, the removed participant and the one who got in after the unlock
    await table.locator(`tr[data-meeting="${moderation!.id}"]`).getByText('Attendance').click();
    const modNames = await page.getByRole('table', { name: 'Attendance of Moderation drill' }).locator('tbody tr td:first-child').allInnerTexts();
    expect(modNames).to.have.members([aliceCreds.name, bobCreds.name, carolCreds.name]);
    if (made.recording) {
      await table.locator(`tr[data-meeting="${made.recording.id}"]`).getByText('Attendance').click();
      expect(await table.locator(`tr[data-meeting="${made.recording.id}"]`).getByRole('link', { name: /^Recording/ }).count()).to.equal(1);
    }
    await screenshot(page, 'meeting-controls-history');

    // the CSV export, fetched with the page's own cookies
    const link = page.getByRole('link', { name: 'Export CSV' });
    const href = await link.getAttribute('href');
    expect(href).to.equal(`/api/v1/meetings.export.csv?rid=${encodeURIComponent(roomId)}`);
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).to.equal(200);
    expect(res.headers()['content-type']).to.match(/^text\/csv/);
    const text = await res.text();
    expect(text.endsWith('\r\n'), 'CRLF line ends').to.equal(true);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines[0]).to.equal(CSV_HEADER);
    const rows = lines.slice(1).map((l) => {
      expect(l, 'no quoted fields in this data').to.not.contain('"');
      return l.split(',');
    });
    for (const r of rows) expect(r.length).to.equal(16);
    // one row per participant of each meeting, as the record has them
    const { meetings } = await asAlice<{ meetings: MeetingRecord[] }>('GET', `meetings.list?rid=${roomId}&count=100`);
    expect(rows.length).to.equal(meetings.reduce((n, m) => n + Math.max(1, m.participants?.length ?? 0), 0));
    const rowsOf = (id: string) => rows.filter((r) => r[0] === id);
    const guestCsv = rowsOf(guests!.id).map((r) => [r[8], r[10], r[11]]);
    expect(guestCsv).to.have.deep.members([
      [aliceCreds.name, aliceCreds.email, 'no'],
      ['Gail Guest', 'gail@example.test', 'yes'],
    ]);
    const modCsv = rowsOf(moderation!.id);
    expect(modCsv.map((r) => r[9])).to.have.members([aliceCreds.username, bobCreds.username, carolCreds.username]);
    for (const r of modCsv) {
      expect(r[1]).to.equal('Moderation drill');
      expect(r[2]).to.equal(roomName);
      expect(r[3]).to.equal('ended');
      expect(Number(r[12]), `${r[9]} joins`).to.be.at.least(1);
      expect(Number.isNaN(Date.parse(r[13]!)), `${r[9]} first joined`).to.equal(false);
      expect(Number.isNaN(Date.parse(r[14]!)), `${r[9]} last left`).to.equal(false);
    }
    if (made.prejoin) expect(rowsOf(made.prejoin.id).map((r) => r[9])).to.deep.equal([bobCreds.username]);
  });
});
