/**
 * The rest of the product around the chat: log in/out, the profile and token pages, the
 * admin overview, the channel directory, keyboard use of dialogs, the dark theme and the
 * phone-width layout. Screenshots of each screen go to test-output/screenshots/.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  apiAs,
  captureFailure,
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
  signUpInBrowser,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';

interface Room {
  _id: string;
  name: string;
}

describe('browser: account, admin, directory, themes and phone layout', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let admin: UserPage;
  const adminUser = newCredentials('admin');
  const carolUser = newCredentials('carol');
  let carol: { userId: string; authToken: string };
  let teamRoom: Room;
  let openRoom: Room;

  const asCarol = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, carol, method, path, body);

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await openUserPage(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { admin: admin?.page });
    expect(admin.errors, 'errors in the page').to.deep.equal([]);
  });

  it('first run: the sign-up page says the first account becomes the administrator', async () => {
    await admin.page.goto('/');
    await admin.page.getByTestId('first-run-note').waitFor();
    await screenshot(admin.page, 'first-run-signup');
    await signUpInBrowser(admin.page, adminUser);

    // a conversation to look at: another person, a channel with history, a thread, reactions
    carol = await registerOverApi(server.url, carolUser);
    teamRoom = (
      await asCarol<{ channel: Room }>('POST', 'channels.create', {
        name: 'design-review',
        members: [adminUser.username],
        topic: 'Mockups, feedback and decisions',
      })
    ).channel;
    await asCarol('POST', 'channels.setAnnouncement', { roomId: teamRoom._id, announcement: 'Review on **Thursday at 10:00** — bring your notes.' });
    const say = async (msg: string, extra: Record<string, unknown> = {}) =>
      (await asCarol<{ message: { _id: string } }>('POST', 'chat.sendMessage', { message: { rid: teamRoom._id, msg, ...extra } })).message;
    await say('Morning! I pushed the **new onboarding flow** to the staging server.');
    await say('Changes:\n- shorter sign-up form\n- a welcome checklist\n- `dark mode` for the editor');
    const question = await say(`@${adminUser.username} can you have a look before the review? :pray:`);
    await asCarol('POST', 'chat.react', { messageId: question._id, emoji: ':thumbsup:' });
    await say('> The checklist should not block people who skip it\nAgreed, it is optional now.', { tmid: question._id });
    await asCarol('POST', 'chat.pinMessage', { messageId: question._id });
    openRoom = (await asCarol<{ channel: Room }>('POST', 'channels.create', { name: 'random-chat', members: [], topic: 'Anything goes' })).channel;
    await asCarol('POST', 'im.create', { username: adminUser.username });
  });

  it('shows the room with markdown, reactions, a thread summary and the announcement', async () => {
    const page = admin.page;
    await sidebarRoom(page, 'design-review').click();
    await roomMessages(page, 'can you have a look').waitFor();
    await page.locator('.announcement', { hasText: 'Thursday at 10:00' }).waitFor();
    await send(mainComposer(page), 'Looks great, I will review it this afternoon :rocket:');
    await roomMessages(page, 'review it this afternoon').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'room-view-light');

    await page.getByRole('button', { name: 'Members' }).click();
    await page.locator('aside[aria-label="Members"] .member', { hasText: carolUser.username }).waitFor();
    await screenshot(page, 'members-panel');
    await page.getByRole('button', { name: 'Close members' }).click();
  });

  it('opens a dialog from the keyboard, focuses its first field, closes with Escape and returns focus', async () => {
    const page = admin.page;
    const opener = page.locator('.sidebar-header').getByRole('button', { name: 'Create channel' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a channel' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('room-name');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('.sidebar-header') !== null && document.activeElement?.getAttribute('aria-label'))).to.equal(
      'Create channel',
    );
  });

  it('browses the channel directory and joins a public channel', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Browse all channels' }).click();
    const item = page.locator('.directory-item[data-room-name="random-chat"]');
    await item.waitFor();
    await screenshot(page, 'directory');
    await item.getByRole('button', { name: 'Join' }).click();
    await page.getByTestId('room-title').filter({ hasText: 'random-chat' }).waitFor();
    await sidebarRoom(page, 'random-chat').waitFor();
    expect(openRoom._id).to.be.a('string');
  });

  it('edits the profile, and the new name shows at once', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Your profile and account settings' }).click();
    await page.getByLabel('Full name').fill('Ada Administrator');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile saved' }).waitFor();
    await page.locator('.sidebar-footer .me-name', { hasText: 'Ada Administrator' }).waitFor();
    await screenshot(page, 'profile');
  });

  it('creates and removes a personal access token', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Access tokens' }).click();
    await page.getByLabel('Token name').fill('ci-bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').innerText();
    expect(token.length).to.be.greaterThan(10);
    await screenshot(page, 'token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr', { hasText: 'ci-bot' });
    await row.waitFor();
    expect(await row.innerText()).to.contain(token.slice(-4));
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove token?' }).getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('changes the password; the new one works at the next log-in', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Password' }).click();
    await page.getByLabel('Current password').fill(adminUser.password);
    await page.getByLabel('New password', { exact: true }).fill('a-brand-new-passphrase');
    await page.getByLabel('Repeat the new password').fill('a-brand-new-passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    adminUser.password = 'a-brand-new-passphrase';
    const login = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: adminUser.username, password: adminUser.password }),
    });
    expect(login.status).to.equal(200);
  });

  it('shows the admin overview to the administrator (server version from /api/v1/info)', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const info = (await (await fetch(`${server.url}/api/v1/info`)).json()) as { info: { version: string } };
    expect(await page.getByTestId('server-version').innerText()).to.equal(info.info.version);
    await screenshot(page, 'admin-overview');
  });

  it('switches to the dark theme with the toggle, and remembers it', async () => {
    const page = admin.page;
    await sidebarRoom(page, 'design-review').click();
    await roomMessages(page, 'can you have a look').waitFor();
    const toggle = page.locator('.sidebar-footer [data-theme-choice]');
    for (let i = 0; i < 3 && (await toggle.getAttribute('data-theme-choice')) !== 'dark'; i++) await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).to.equal('dark');
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('.room-main')!.closest('main')!).backgroundColor || getComputedStyle(document.body).backgroundColor);
    const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(body, `body background ${body} (${background})`).to.equal('rgb(26, 27, 33)');
    await page.mouse.move(0, 0);
    await screenshot(page, 'room-view-dark');
    await page.reload();
    await roomMessages(page, 'can you have a look').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).to.equal('dark');
    // back to following the system
    for (let i = 0; i < 3 && (await toggle.getAttribute('data-theme-choice')) !== 'system'; i++) await toggle.click();
  });

  it('follows the system dark preference on the login page, and logs out', async () => {
    const page = admin.page;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to your workspace' }).waitFor();
    await screenshot(page, 'login');
    const dark = await openUserPage(browser, server.url, { colorScheme: 'dark' });
    await dark.page.goto('/login');
    await dark.page.getByRole('heading', { name: 'Log in to your workspace' }).waitFor();
    expect(await dark.page.evaluate(() => getComputedStyle(document.querySelector('.auth-card')!).backgroundColor)).to.equal('rgb(37, 38, 47)');
    await screenshot(dark.page, 'login-dark');
    await dark.context.close();
  });

  it('is usable at phone width: the sidebar collapses behind a button', async () => {
    const phone = await openUserPage(browser, server.url, { width: 390, height: 844 });
    try {
      await logInInBrowser(phone.page, adminUser);
      const page: Page = phone.page;
      await page.goto(`/room/${teamRoom._id}`);
      await roomMessages(page, 'can you have a look').waitFor();
      const sidebar = page.locator('nav[aria-label="Rooms"]');
      expect(await sidebar.isVisible(), 'sidebar hidden at 390px').to.equal(false);
      // nothing overflows sideways
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
      await screenshot(page, 'phone-room');

      await page.getByRole('button', { name: 'Open the room list' }).click();
      await sidebar.waitFor({ state: 'visible' });
      await screenshot(page, 'phone-sidebar');
      await page.keyboard.press('Escape');
      await sidebar.waitFor({ state: 'hidden' });

      await roomMessages(page, 'can you have a look').getByTestId('thread-summary').click();
      await page.locator('.thread-panel article.message', { hasText: 'it is optional now' }).waitFor();
      await screenshot(page, 'phone-thread');
      expect(phone.errors).to.deep.equal([]);
    } finally {
      await phone.context.close();
    }
  });
});
