/**
 * Push notification preferences in the web client: the account default (Preferences tab) and a
 * room's own setting and mute (room info panel). What the pages save is what the server then
 * uses to decide who is pushed (test/dataflow/push.test.ts proves that part end to end).
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

describe('browser: notification preferences', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const creds = newCredentials('notif');
  let auth: { userId: string; authToken: string };
  const roomName = `alerts-${Date.now().toString(36)}`;
  let roomId: string;
  const asUser = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, auth, method, path, body);

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    auth = await registerOverApi(server.url, creds);
    roomId = (await asUser<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [] })).channel._id;
    user = await openUserPage(browser, server.url);
    await logInInBrowser(user.page, creds);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { user: user?.page });
    expect(user.errors, 'errors in the page').to.deep.equal([]);
  });

  it('the account default starts at "mentions", is saved when changed, and survives a reload', async () => {
    const page = user.page;
    await page.goto(`${server.url}/account/preferences`);
    const section = page.getByRole('region', { name: 'Notifications' });
    expect(await section.getByRole('radio', { name: /Mentions and direct messages/ }).isChecked()).to.equal(true);
    await section.getByText('All messages').click();
    await section.getByRole('status').waitFor();
    expect((await asUser<{ preferences: { pushNotifications: string } }>('GET', 'push.preferences')).preferences.pushNotifications).to.equal('all');
    await page.reload();
    await eventually(async () => section.getByRole('radio', { name: /All messages/ }).isChecked(), 'the saved default shows after reload');
    await screenshot(page, 'notifications-account');
  });

  it('a room overrides the default in its info panel, and muting the room says it sends nothing', async () => {
    const page = user.page;
    await page.goto(server.url);
    await sidebarRoom(page, roomName).click();
    await page.getByRole('button', { name: 'Room info' }).click();
    const select = page.getByRole('combobox', { name: 'Push notifications for this room' });
    expect(await select.inputValue()).to.equal('default');
    expect(await page.getByTestId('push-effective').innerText()).to.contain('all messages');
    await select.selectOption('nothing');
    await eventually(async () => (await page.getByTestId('push-effective').innerText()).includes('nothing'), 'the room setting applies');
    const saved = await asUser<{ notifications: { mobilePushNotifications: string; effective: string } }>('GET', `rooms.getNotification?roomId=${roomId}`);
    expect(saved.notifications).to.include({ mobilePushNotifications: 'nothing', effective: 'nothing' });

    await page.getByRole('button', { name: 'Mute room' }).click();
    await eventually(async () => (await page.getByTestId('push-effective').innerText()).startsWith('Muted'), 'the mute shows');
    expect(await select.isDisabled()).to.equal(true);
    const after = await asUser<{ notifications: { disableNotifications: boolean } }>('GET', `rooms.getNotification?roomId=${roomId}`);
    expect(after.notifications.disableNotifications).to.equal(true);
    await screenshot(page, 'notifications-room');
  });
});
