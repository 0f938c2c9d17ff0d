/**
 * The Integrations admin page against the real server: an administrator creates an incoming
 * webhook in the browser, a tool POSTs to its secret URL and the message appears in the room;
 * the URL is regenerated (the old one stops working); an outgoing webhook is created, disabled
 * and deleted.
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

interface Integration {
  _id: string;
  name: string;
  type: string;
  enabled: boolean;
  roomIds?: string[];
  triggerWords?: string[];
  url?: string;
}

describe('browser: webhook integrations (admin)', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const adminUser = newCredentials('iadmin');
  let admin: { userId: string; authToken: string };
  const roomName = `deploys-${Date.now().toString(36)}`;
  let roomId: string;
  let hookUrl: string;

  const asAdmin = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, admin, method, path, body);
  const postToHook = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await registerOverApi(server.url, adminUser);
    roomId = (await asAdmin<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [] })).channel._id;
    user = await openUserPage(browser, server.url);
    await logInInBrowser(user.page, adminUser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { user: user?.page });
    expect(user.errors, 'errors in the page').to.deep.equal([]);
  });

  it('creates an incoming webhook and shows its secret URL once', async () => {
    const page = user.page;
    await page.goto('/admin/integrations');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await page.getByText('No incoming webhooks yet.').waitFor();
    await page.getByRole('button', { name: 'New incoming webhook' }).click();

    const dialog = page.getByRole('dialog', { name: 'New incoming webhook' });
    await dialog.getByLabel('Name', { exact: true }).fill('CI builds');
    await dialog.getByLabel('Posts to room').fill(roomName.slice(0, 8));
    await dialog.getByRole('option', { name: roomName }).click();
    await dialog.getByRole('list', { name: 'Selected rooms' }).getByText(roomName).waitFor();
    // posts as the admin by default
    expect(await dialog.getByRole('list', { name: 'Selected people' }).innerText()).to.contain('Iadmin Tester');
    await dialog.getByLabel('Display name (optional)').fill('CI');
    await screenshot(page, 'integrations-new-incoming');
    await dialog.getByRole('button', { name: 'Create' }).click();

    const secrets = page.getByRole('dialog', { name: 'Webhook URL' });
    hookUrl = await secrets.getByTestId('webhook-url').innerText();
    expect(hookUrl).to.match(new RegExp(`^${server.url.replace(/\./g, '\\.')}/hooks/[^/]+/[^/]+$`));
    expect(await secrets.locator('pre').innerText()).to.contain(hookUrl);
    await screenshot(page, 'integrations-webhook-url');
    await secrets.getByRole('button', { name: 'Done' }).click();
    await secrets.waitFor({ state: 'detached' });

    const row = page.locator('tr[data-integration-name="CI builds"]');
    await row.waitFor();
    expect(await row.innerText()).to.contain(roomName);
    // the URL is never shown again
    expect(await page.locator('.integrations-page').innerText()).to.not.contain(hookUrl);
  });

  it('a POST to the webhook URL appears in the room as a bot message', async () => {
    const page = user.page;
    const r = await postToHook(hookUrl, { text: 'Build *42* passed', attachments: [{ title: 'Pipeline 42', text: 'All 311 tests green', color: 'good' }] });
    expect(r.status).to.equal(200);
    await sidebarRoom(page, roomName).click();
    const message = page.locator('.room-main article.message', { hasText: 'Build 42 passed' });
    await message.waitFor();
    expect(await message.locator('.message-author').innerText()).to.equal('CI');
    expect(await message.locator('.tag').textContent()).to.equal('Bot');
    expect(await message.locator('.attachment').innerText()).to.contain('All 311 tests green');
    await screenshot(page, 'integrations-webhook-message');
  });

  it('regenerates the URL: the old one stops working, the new one posts', async () => {
    const page = user.page;
    await page.goto('/admin/integrations');
    const row = page.locator('tr[data-integration-name="CI builds"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit incoming webhook' });
    await dialog.getByRole('button', { name: 'Regenerate URL' }).click();
    await page.getByRole('dialog', { name: 'Regenerate the URL?' }).getByRole('button', { name: 'Regenerate' }).click();
    const secrets = page.getByRole('dialog', { name: 'Webhook URL' });
    const newUrl = await secrets.getByTestId('webhook-url').innerText();
    expect(newUrl).to.not.equal(hookUrl);
    await secrets.getByRole('button', { name: 'Done' }).click();

    expect((await postToHook(hookUrl, { text: 'from the old URL' })).status).to.equal(404);
    expect((await postToHook(newUrl, { text: 'from the new URL' })).status).to.equal(200);
    const texts = (await asAdmin<{ messages: { msg: string }[] }>('GET', `chat.history?roomId=${roomId}&count=20`)).messages.map((m) => m.msg);
    expect(texts).to.include('from the new URL');
    expect(texts).to.not.include('from the old URL');
  });

  it('creates, disables and deletes an outgoing webhook', async () => {
    const page = user.page;
    await page.getByRole('button', { name: 'New outgoing webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New outgoing webhook' });
    await dialog.getByLabel('Name', { exact: true }).fill('Deploy bot');
    await dialog.getByLabel('Rooms to watch').fill(roomName.slice(0, 8));
    await dialog.getByRole('option', { name: roomName }).click();
    await dialog.getByLabel('URL to POST messages to').fill('https://hooks.example.test/obmeet');
    await dialog.getByLabel('Trigger words').fill('!deploy, !status');
    await dialog.getByRole('button', { name: 'Create' }).click();

    const secrets = page.getByRole('dialog', { name: 'Webhook secret' });
    expect(await secrets.getByTestId('webhook-secret').innerText()).to.match(/^\S{16,}$/);
    await secrets.getByRole('button', { name: 'Done' }).click();

    const row = page.locator('tr[data-integration-name="Deploy bot"]');
    await row.waitFor();
    expect(await row.innerText()).to.contain('triggers: !deploy, !status');
    expect(await row.innerText()).to.contain('Never');
    await screenshot(page, 'integrations-list');

    const stored = async () => (await asAdmin<{ integrations: Integration[] }>('GET', 'integrations.list')).integrations.find((i) => i.name === 'Deploy bot');
    const created = await stored();
    expect(created).to.include({ type: 'webhook-outgoing', enabled: true, url: 'https://hooks.example.test/obmeet' });
    expect(created?.roomIds).to.deep.equal([roomId]);
    expect(created?.triggerWords).to.deep.equal(['!deploy', '!status']);

    await row.getByRole('checkbox', { name: 'Deploy bot enabled' }).click();
    await eventually(async () => (await stored())?.enabled === false, 'the hook is disabled');
    await eventually(async () => !(await row.getByRole('checkbox', { name: 'Deploy bot enabled' }).isChecked()), 'the checkbox shows it');

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete webhook?' }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await stored()).to.equal(undefined);
  });
});
