/**
 * The meeting message in a room's timeline: a card with the title, who started it and a Join
 * link to the unguessable meeting URL; it changes live when the meeting ends.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
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
  sidebarRoom,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';

describe('browser: the meeting card in the timeline', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const creds = newCredentials('mcard');
  let auth: { userId: string; authToken: string };
  const roomName = `standup-${Date.now().toString(36)}`;
  let roomId: string;
  const as = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, auth, method, path, body);

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    auth = await registerOverApi(server.url, creds);
    roomId = (await as<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [] })).channel._id;
    user = await openUserPage(browser, server.url);
    await logInInBrowser(user.page, creds);
    await sidebarRoom(user.page, roomName).click();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { user: user?.page });
    expect(user.errors, 'errors in the page').to.deep.equal([]);
  });

  it('shows a started meeting as a card with a Join link to its token, and "Ended" once it ends', async () => {
    const page = user.page;
    const { meeting } = await as<{ meeting: { _id: string; token: string } }>('POST', 'meetings.create', { rid: roomId, title: 'Weekly planning' });
    const card = page.getByRole('group', { name: 'Meeting: Weekly planning' });
    await card.waitFor();
    expect(await card.innerText()).to.contain('Started by');
    const join = card.getByRole('link', { name: 'Join' });
    expect(await join.getAttribute('href')).to.equal(`/meet/${meeting.token}`);
    await screenshot(page, 'meeting-card-live');

    await as('POST', 'meetings.moderate', { meetingId: meeting._id, action: 'end' });
    await eventually(async () => (await card.getAttribute('data-status')) === 'ended', 'the card shows the meeting ended');
    expect(await card.innerText()).to.contain('Ended');
    expect(await card.getByRole('link', { name: 'Join' }).count()).to.equal(0);
  });

  it('an invitee is told when someone schedules a meeting with them; the notice opens the meeting', async () => {
    const page = user.page;
    // the organiser works in a room the invitee is not in: the invitation is the only way they hear of it
    const organiserCreds = newCredentials('morg');
    const organiser = await registerOverApi(server.url, organiserCreds);
    const rid = (await apiAs<{ channel: { _id: string } }>(server.url, organiser, 'POST', 'channels.create', { name: `design-${Date.now().toString(36)}`, members: [] })).channel._id;
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const { meeting } = await apiAs<{ meeting: { _id: string } }>(server.url, organiser, 'POST', 'meetings.schedule', {
      rid,
      title: 'Design review',
      start,
      durationMinutes: 45,
      invitees: { users: [auth.userId], rooms: [] },
    });
    const notice = page.locator('.toasts').getByRole('button', { name: `@${organiserCreds.username} invited you to “Design review”`, exact: false });
    await notice.waitFor();
    await screenshot(page, 'meeting-invitation-toast');
    await notice.click();
    await eventually(async () => new URL(page.url()).pathname === `/meet/${meeting._id}`, 'the notice opens the meeting');
    await page.getByRole('form', { name: 'Join the meeting' }).getByRole('heading', { name: 'Design review' }).waitFor();
  });
});
