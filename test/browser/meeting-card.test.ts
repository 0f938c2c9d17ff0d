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
});
