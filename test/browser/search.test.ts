/**
 * Message search in the web client against the real server: the header search box, operators,
 * highlighted words, "Load more", a click that jumps to an old message in its room, and no
 * result from a room the searcher cannot read.
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

type Auth = { userId: string; authToken: string };

describe('browser: searching messages', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let reader: UserPage;
  const adminUser = newCredentials('sadmin');
  const readerUser = newCredentials('reader');
  const posterUser = newCredentials('poster');
  let poster: Auth;
  let readerAuth: Auth;
  const suffix = Date.now().toString(36);
  const general = `general-${suffix}`;
  const other = `other-${suffix}`;
  let generalId: string;
  let zebraPlanId: string;

  const post = (as: Auth, rid: string, msg: string) =>
    apiAs<{ message: { _id: string } }>(server.url, as, 'POST', 'chat.sendMessage', { message: { rid, msg } }).then((r) => r.message);

  const panel = () => reader.page.locator('aside[aria-label="Search results"]');
  const results = () => panel().locator('.search-result');

  async function searchFor(text: string) {
    const box = reader.page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill(text);
    await box.press('Enter');
    await panel().waitFor();
  }

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    await registerOverApi(server.url, adminUser); // the first account is the administrator: the reader is not
    readerAuth = await registerOverApi(server.url, readerUser);
    poster = await registerOverApi(server.url, posterUser);
    generalId = (await apiAs<{ channel: { _id: string } }>(server.url, poster, 'POST', 'channels.create', { name: general, members: [readerUser.username] })).channel._id;
    const otherId = (await apiAs<{ channel: { _id: string } }>(server.url, readerAuth, 'POST', 'channels.create', { name: other, members: [] })).channel._id;
    // a public channel the reader has not joined, and a private group the reader is not in
    await apiAs(server.url, poster, 'POST', 'channels.create', { name: `lobby-${suffix}`, members: [] });
    const hiddenId = (await apiAs<{ group: { _id: string } }>(server.url, poster, 'POST', 'groups.create', { name: `hidden-${suffix}`, members: [adminUser.username] })).group._id;

    await post(poster, generalId, 'The zebra migration plan is ready for review');
    zebraPlanId = (await post(poster, generalId, 'Zebra rollout: the migration starts on Monday'))._id;
    await post(readerAuth, otherId, 'Notes about the zebra crossing outside the office');
    await post(poster, hiddenId, 'zebra secret: the salaries spreadsheet');
    // enough newer messages that the zebra message is not in the room's first page
    for (let i = 0; i < 60; i++) await post(poster, generalId, `status update ${i}`);
    for (let i = 0; i < 25; i++) await post(readerAuth, otherId, `bulk item number ${i}`);

    reader = await openUserPage(browser, server.url);
    await logInInBrowser(reader.page, readerUser);
    await sidebarRoom(reader.page, other).click();
    await reader.page.locator('.room-main article.message', { hasText: 'bulk item number 24' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { reader: reader?.page });
    expect(reader.errors, 'errors in the page').to.deep.equal([]);
  });

  it('finds a message with words and an operator, marks the matched words, and never shows a room the reader cannot read', async () => {
    await searchFor('zebra');
    await results().first().waitFor();
    const all = await results().allInnerTexts();
    expect(all).to.have.length(3);
    expect(all.join('\n')).to.not.contain('salaries');
    // newest first
    expect(all[0]).to.contain('zebra crossing');
    expect(all[2]).to.contain('zebra migration plan');
    const marks = await panel().locator('mark').allInnerTexts();
    expect(marks.map((m) => m.toLowerCase())).to.deep.equal(['zebra', 'zebra', 'zebra']);

    await searchFor(`zebra from:@${posterUser.username}`);
    await eventually(async () => (await results().count()) === 2, 'only the poster’s two messages are listed');
    expect((await results().allInnerTexts()).join('\n')).to.not.contain('crossing');
    await screenshot(reader.page, 'search-results');

    await searchFor(`in:#${other} zebra`);
    await eventually(async () => (await results().count()) === 1, 'only the message in the other room is listed');
    expect(await results().first().innerText()).to.contain('zebra crossing');
    expect(await results().first().innerText()).to.contain(other);
  });

  it('suggests people and rooms while an operator is typed in the results panel', async () => {
    const field = panel().getByRole('searchbox', { name: 'Search text' });
    await field.fill('zebra from:@post');
    await panel().getByRole('list', { name: 'People' }).getByRole('button', { name: new RegExp(posterUser.username) }).click();
    expect(await field.inputValue()).to.equal(`zebra from:@${posterUser.username} `);
    await field.pressSequentially('in:#gen');
    await panel().getByRole('list', { name: 'Rooms' }).getByRole('button', { name: general }).click();
    expect(await field.inputValue()).to.equal(`zebra from:@${posterUser.username} in:#${general} `);
    await panel().getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(async () => (await results().count()) === 2, 'the poster’s two messages in that room');
  });

  it('clicking a result opens its room at that (older) message, highlighted', async () => {
    await searchFor('rollout migration');
    await eventually(async () => (await results().count()) === 1, 'one result');
    await results().first().click();
    await eventually(async () => reader.page.url().includes(`/room/${generalId}?msg=${zebraPlanId}`), 'the URL points at the message');
    const target = reader.page.locator(`#msg-${zebraPlanId}`);
    await target.waitFor();
    await eventually(async () => (await target.getAttribute('class'))?.includes('highlighted') === true, 'the message is highlighted');
    expect(await reader.page.getByTestId('room-title').innerText()).to.equal(general);
    // the results stay open while the room changes
    expect(await results().count()).to.equal(1);
  });

  it('pages with "Load more" and says when nothing matches', async () => {
    await searchFor('bulk item');
    await eventually(async () => (await results().count()) === 20, 'the first page of 20');
    expect(await results().first().innerText()).to.contain('bulk item number 24');
    await panel().getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => (await results().count()) === 25, 'the second page appended');
    expect(await results().last().innerText()).to.contain('bulk item number 0');
    expect(await panel().getByRole('button', { name: 'Load more' }).count()).to.equal(0);

    await searchFor('nonexistentword');
    await panel().getByText('No messages match “nonexistentword”.').waitFor();

    // a malformed operator is the server's 400, shown in the panel
    await searchFor('has:picture');
    expect(await panel().getByRole('alert').innerText()).to.contain('has: takes file or location');

    await panel().getByRole('button', { name: 'Close search' }).click();
    await panel().waitFor({ state: 'detached' });
  });

  it('"Find a room" in the sidebar also offers public channels the reader has not joined', async () => {
    const page = reader.page;
    await page.getByRole('searchbox', { name: 'Find a room' }).fill('lobby');
    const others = page.locator('section[aria-label="Other channels"]');
    await others.getByRole('link', { name: `lobby-${suffix}` }).click();
    await page.getByRole('button', { name: 'Join channel' }).waitFor();
    expect(await page.getByTestId('room-title').innerText()).to.equal(`lobby-${suffix}`);
    // private groups of others never appear
    const answered = page.waitForResponse((r) => r.url().includes('rooms.autocomplete.channelAndPrivate') && decodeURIComponent(r.url()).includes('hidden'));
    await page.getByRole('searchbox', { name: 'Find a room' }).fill('hidden');
    await answered;
    await page.locator('section[aria-label="Other channels"]').waitFor({ state: 'detached' });
    expect(await page.getByRole('link', { name: `hidden-${suffix}` }).count()).to.equal(0);
  });
});
