/**
 * The composer (Enter/Shift+Enter, @mention, :emoji: and /command autocomplete, drafts),
 * history (infinite scroll back to the first message, jump to a message), direct
 * messages, favourites, and rooms where posting is not allowed.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  apiAs,
  captureFailure,
  eventually,
  launchBrowser,
  logInInBrowser,
  mainComposer,
  newCredentials,
  openUserPage,
  registerOverApi,
  roomMessages,
  screenshot,
  send,
  sidebarRoom,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';

interface Room {
  _id: string;
  name: string;
}

const HISTORY_SIZE = 130;
const label = (i: number) => `History item ${String(i).padStart(3, '0')}`;

describe('browser: composer, history and room kinds', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let alice: UserPage;
  const aliceUser = newCredentials('alice');
  const bobUser = newCredentials('bob');
  let bob: { userId: string; authToken: string };
  let bigRoom: Room;
  let quietRoom: Room;
  let readOnlyRoom: Room;
  let archivedRoom: Room;
  const ids: string[] = [];

  const asBob = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, bob, method, path, body);
  const open = async (page: Page, room: Room) => {
    await sidebarRoom(page, room.name).click();
    await page.getByTestId('room-title').filter({ hasText: room.name }).waitFor();
  };

  before(async function () {
    this.timeout(120_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // bob is the first account (the admin); alice is an ordinary member
    bob = await registerOverApi(server.url, bobUser);
    await registerOverApi(server.url, aliceUser);
    const create = async (name: string, extra: Record<string, unknown> = {}) =>
      (await asBob<{ channel: Room }>('POST', 'channels.create', { name, members: [aliceUser.username], ...extra })).channel;
    bigRoom = await create(`history-${Date.now().toString(36)}`);
    quietRoom = await create(`quiet-${Date.now().toString(36)}`);
    readOnlyRoom = await create(`announce-${Date.now().toString(36)}`, { readOnly: true });
    archivedRoom = await create(`old-${Date.now().toString(36)}`);
    for (let i = 1; i <= HISTORY_SIZE; i++) {
      const { message } = await asBob<{ message: { _id: string } }>('POST', 'chat.sendMessage', { message: { rid: bigRoom._id, msg: label(i) } });
      ids.push(message._id);
    }
    await asBob('POST', 'channels.archive', { roomId: archivedRoom._id });

    alice = await openUserPage(browser, server.url);
    await logInInBrowser(alice.page, aliceUser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { alice: alice?.page });
    expect(alice.errors, 'errors in the page').to.deep.equal([]);
  });

  it('loads the newest page first, then scrolls back through the whole history', async () => {
    const page = alice.page;
    await open(page, bigRoom);
    await roomMessages(page, label(HISTORY_SIZE)).waitFor();
    const firstPage = await page.locator('.room-main article.message').count();
    expect(firstPage, 'only a page is loaded at first').to.be.lessThan(HISTORY_SIZE);

    const list = page.locator('.room-main .message-list');
    await eventually(
      async () => {
        await list.evaluate((el) => el.scrollTo({ top: 0 }));
        return (await page.locator('.room-main .room-start').count()) > 0;
      },
      'the start of the room is reached',
      20_000,
    );
    const bodies = await page.locator('.room-main article.message .message-body').allInnerTexts();
    const items = bodies.filter((t) => t.startsWith('History item'));
    expect(items, 'every message once, in order').to.deep.equal(Array.from({ length: HISTORY_SIZE }, (_, i) => label(i + 1)));
  });

  it('jumps to a message from a link, loading the page around it', async () => {
    const page = alice.page;
    const target = ids[4];
    await page.goto(`/room/${bigRoom._id}?msg=${target}`);
    const message = page.locator(`#msg-${target}`);
    await message.waitFor();
    await page.locator(`#msg-${target}.highlighted`).waitFor();
    expect(await message.isVisible()).to.equal(true);
    const inView = await message.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView, 'the message is scrolled into view').to.equal(true);
    // "Jump to latest" brings back the newest messages
    await page.getByRole('button', { name: /Jump to latest|new message/ }).click();
    await roomMessages(page, label(HISTORY_SIZE)).waitFor();
  });

  it('sends with Enter and adds a line with Shift+Enter', async () => {
    const page = alice.page;
    await open(page, quietRoom);
    const composer = mainComposer(page);
    await composer.click();
    await composer.pressSequentially('first line');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    expect(await composer.inputValue()).to.equal('first line\nsecond line');
    await composer.press('Enter');
    const message = roomMessages(page, 'first line');
    await message.waitFor();
    expect(await message.locator('.message-body br').count()).to.equal(1);
    expect(await composer.inputValue()).to.equal('');
  });

  it('autocompletes @mentions from the room members and :emoji: shortcodes', async () => {
    const page = alice.page;
    const composer = mainComposer(page);
    await composer.click();
    await composer.pressSequentially(`ping @${bobUser.username.slice(0, 4)}`);
    const suggestions = page.getByRole('listbox', { name: 'Suggestions' });
    await suggestions.getByRole('option', { name: new RegExp(`@${bobUser.username}`) }).waitFor();
    await composer.press('Enter');
    expect(await composer.inputValue()).to.equal(`ping @${bobUser.username} `);

    await composer.pressSequentially('ship it :rock');
    await suggestions.getByRole('option', { name: /:rocket:/ }).waitFor();
    await screenshot(page, 'composer-autocomplete');
    await composer.press('Tab');
    expect(await composer.inputValue()).to.equal(`ping @${bobUser.username} ship it :rocket: `);
    await composer.press('Enter');
    const sent = roomMessages(page, 'ship it');
    await sent.waitFor();
    expect(await sent.innerText()).to.contain('🚀');
    expect(await sent.locator('.mention').innerText()).to.equal(`@${bobUser.username}`);
  });

  it('lists slash commands after "/" and runs one', async () => {
    const page = alice.page;
    const composer = mainComposer(page);
    await composer.click();
    await composer.pressSequentially('/');
    const suggestions = page.getByRole('listbox', { name: 'Suggestions' });
    await suggestions.getByRole('option').first().waitFor();
    const commands = await suggestions.getByRole('option').allInnerTexts();
    expect(commands.some((c) => c.startsWith('/me')), `offered: ${commands.join(' | ')}`).to.equal(true);
    await composer.pressSequentially('me');
    await suggestions.getByRole('option', { name: /^\/me\b/ }).waitFor();
    await composer.press('Enter');
    expect(await composer.inputValue()).to.equal('/me ');
    await composer.pressSequentially('waves at everyone');
    await composer.press('Enter');
    const action = page.locator('.room-main article.message .message-action', { hasText: 'waves at everyone' });
    await action.waitFor();
  });

  it('keeps a draft per room, across room switches and reloads', async () => {
    const page = alice.page;
    await mainComposer(page).fill('an unfinished thought for the quiet room');
    await open(page, bigRoom);
    expect(await mainComposer(page).inputValue()).to.equal('');
    await open(page, quietRoom);
    expect(await mainComposer(page).inputValue()).to.equal('an unfinished thought for the quiet room');
    await page.reload();
    await page.getByTestId('room-title').filter({ hasText: quietRoom.name }).waitFor();
    expect(await mainComposer(page).inputValue()).to.equal('an unfinished thought for the quiet room');
    await mainComposer(page).fill('');
  });

  it('shows read-only and archived rooms as such, with the composer disabled', async () => {
    const page = alice.page;
    await open(page, readOnlyRoom);
    await page.locator('.room-header .tag', { hasText: 'Read-only' }).waitFor();
    expect(await page.getByTestId('composer-disabled').innerText()).to.contain('read-only');
    expect(await mainComposer(page).count()).to.equal(0);

    await open(page, archivedRoom);
    await page.locator('.room-header .tag', { hasText: 'Archived' }).waitFor();
    expect(await page.getByTestId('composer-disabled').innerText()).to.contain('archived');
    await screenshot(page, 'archived-room');
  });

  it('starts a direct message through user search', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Start a direct message' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a direct message' });
    await dialog.getByLabel('To').fill(bobUser.username.slice(0, 5));
    await dialog.getByRole('option', { name: new RegExp(bobUser.username) }).click();
    await dialog.getByRole('button', { name: 'Go' }).click();
    await page.getByTestId('room-title').filter({ hasText: bobUser.name }).waitFor();
    await send(mainComposer(page), 'A private hello');
    await roomMessages(page, 'A private hello').waitFor();
    const { ims } = await asBob<{ ims: { _id: string }[] }>('GET', 'im.list');
    expect(ims).to.have.length(1);
  });

  it('adds a room to favourites from its header', async () => {
    const page = alice.page;
    await open(page, quietRoom);
    await page.getByRole('button', { name: 'Add to favourites' }).click();
    const favourites = page.locator('nav[aria-label="Rooms"] section', { has: page.getByRole('button', { name: 'Favourites' }) });
    await favourites.locator(`a[data-room-name="${quietRoom.name}"]`).waitFor();
    await page.getByRole('button', { name: 'Remove from favourites' }).click();
    await favourites.waitFor({ state: 'detached' });
  });
});
