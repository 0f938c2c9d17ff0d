/**
 * The admin pages in a real browser against a real server: settings that take effect,
 * users that can (not) log in, the room list, and what non-admins see.
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
  signUpInBrowser,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';

interface Setting {
  _id: string;
  value?: unknown;
}

async function loginStatus(baseURL: string, user: string, password: string): Promise<number> {
  const r = await fetch(`${baseURL}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  return r.status;
}

describe('browser: administration', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let admin: UserPage;
  let other: UserPage | undefined;
  const adminUser = newCredentials('boss');
  const bobUser = newCredentials('bob');
  const carolUser = newCredentials('carol');
  let bob: { userId: string; authToken: string };
  let carol: { userId: string; authToken: string };

  const asBob = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, bob, method, path, body);
  const asCarol = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, carol, method, path, body);
  const publicSetting = async (key: string) => (await asBob<{ settings: Setting[] }>('GET', 'settings')).settings.find((s) => s._id === key)?.value;

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await openUserPage(browser, server.url);
    await signUpInBrowser(admin.page, adminUser); // the first account: the administrator
    bob = await registerOverApi(server.url, bobUser);
    carol = await registerOverApi(server.url, carolUser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { admin: admin?.page, other: other?.page });
    expect(admin.errors, 'errors in the admin page').to.deep.equal([]);
    if (other) {
      expect(other.errors, 'errors in the other page').to.deep.equal([]);
      await other.context.close();
      other = undefined;
    }
  });

  it('a non-admin sees no admin entry and gets "not allowed" on every admin URL', async () => {
    other = await openUserPage(browser, server.url);
    await logInInBrowser(other.page, bobUser);
    await other.page.locator('.sidebar-footer').waitFor();
    expect(await other.page.getByRole('link', { name: 'Administration' }).count()).to.equal(0);
    for (const path of ['/admin', '/admin/settings', '/admin/users', '/admin/rooms']) {
      await other.page.goto(path);
      await other.page.getByRole('heading', { name: 'Administrators only' }).waitFor();
      expect(await other.page.locator('table, .setting-row').count(), path).to.equal(0);
    }
    // and the server refuses the calls themselves
    const res = await fetch(`${server.url}/api/v1/rooms.adminRooms`, { headers: { 'x-user-id': bob.userId, 'x-auth-token': bob.authToken } });
    expect(res.status).to.equal(403);
  });

  it('settings: switching location sharing on takes effect for everyone; a bad value shows the server’s reason; reset restores the default', async () => {
    const page = admin.page;
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.locator('.sub-nav').getByRole('link', { name: 'Settings' }).click();
    const row = page.locator('[data-setting="location.sharingEnabled"]');
    await row.waitFor();
    expect(await publicSetting('location.sharingEnabled')).to.equal(false);
    const toggle = row.locator('input[type=checkbox]');
    expect(await toggle.isChecked()).to.equal(false);
    await toggle.click();
    await row.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(await toggle.isChecked()).to.equal(true);
    // the public settings every client reads now say so (the server caches for up to 2 s)
    await eventually(async () => (await publicSetting('location.sharingEnabled')) === true, 'location sharing is on for bob');
    await screenshot(page, 'admin-settings');

    // out of range: the server refuses, the page shows why, nothing changes
    const maxLength = page.locator('[data-setting="messages.maxLength"]');
    await maxLength.locator('input').fill('0');
    await maxLength.getByRole('button', { name: 'Save' }).click();
    await maxLength.getByRole('alert').filter({ hasText: 'greater than or equal to 1' }).waitFor();
    expect(await publicSetting('messages.maxLength')).to.equal(5000);

    // a valid value, then back to the default
    await maxLength.locator('input').fill('1200');
    await maxLength.getByRole('button', { name: 'Save' }).click();
    await maxLength.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await eventually(async () => (await publicSetting('messages.maxLength')) === 1200, 'maxLength is 1200');
    await maxLength.getByRole('button', { name: 'Reset to default' }).click();
    await maxLength.getByRole('status').filter({ hasText: 'Back to the default' }).waitFor();
    expect(await maxLength.locator('input').inputValue()).to.equal('5000');
    await eventually(async () => (await publicSetting('messages.maxLength')) === 5000, 'maxLength is back to 5000');

    // an enum is a select with the registry's choices
    const registration = page.locator('[data-setting="accounts.registration"] select');
    expect(await registration.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).to.deep.equal(['open', 'invite', 'closed']);
  });

  it('users: an admin creates a user who can then log in', async () => {
    const page = admin.page;
    await page.goto('/admin/users');
    const dana = newCredentials('dana');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.locator('form[aria-label="New user"]');
    await form.getByLabel('Full name').fill(dana.name);
    await form.getByLabel('Username').fill(dana.username);
    await form.getByLabel('Email').fill(dana.email);
    await form.getByLabel('Initial password').fill(dana.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByLabel('Search users').fill(dana.username);
    const row = page.locator(`tr[data-username="${dana.username}"]`);
    await row.waitFor();
    expect(await row.textContent()).to.include(dana.email).and.to.include('Never');

    other = await openUserPage(browser, server.url);
    await logInInBrowser(other.page, dana);
    await other.page.locator('.sidebar-footer', { hasText: dana.username }).waitFor();

    // and the admin now sees when they last logged in
    await page.getByLabel('Search users').fill('');
    await page.getByLabel('Search users').fill(dana.username);
    await eventually(async () => !(await row.textContent())?.includes('Never'), 'last login shows');
  });

  it('users: a deactivated user cannot log in until activated again; roles can be changed', async () => {
    const page = admin.page;
    await page.goto('/admin/users');
    await page.getByLabel('Search users').fill(carolUser.username);
    const row = page.locator(`tr[data-username="${carolUser.username}"]`);
    await row.getByRole('button', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('dialog', { name: `Deactivate @${carolUser.username}?` });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByTestId('user-status').filter({ hasText: 'Deactivated' }).waitFor();
    expect(await loginStatus(server.url, carolUser.username, carolUser.password)).to.be.within(400, 499);
    // the session carol had is over as well
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { 'x-user-id': carol.userId, 'x-auth-token': carol.authToken } });
    expect(me.status).to.equal(401);
    await screenshot(page, 'admin-users');

    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByRole('button', { name: 'Deactivate' }).waitFor();
    expect(await loginStatus(server.url, carolUser.username, carolUser.password)).to.equal(200);
    carol = (await (await fetch(`${server.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: carolUser.username, password: carolUser.password }) })).json()).data;

    await row.getByRole('button', { name: 'Roles' }).click();
    const roles = page.getByRole('dialog', { name: `Roles of @${carolUser.username}` });
    await roles.getByLabel(/Moderator/).check();
    await roles.getByRole('button', { name: 'Save roles' }).click();
    await roles.waitFor({ state: 'detached' });
    await row.locator('.tag', { hasText: 'moderator' }).waitFor();
    expect((await asCarol<{ roles: string[] }>('GET', 'me')).roles).to.have.members(['user', 'moderator']);
  });

  it('rooms: lists rooms the admin is not in, filters by type and name, archives and deletes', async () => {
    const tag = Date.now().toString(36);
    const open = (await asCarol<{ channel: { _id: string; name: string } }>('POST', 'channels.create', { name: `ops-${tag}`, members: [bobUser.username] })).channel;
    const secret = (await asCarol<{ group: { _id: string; name: string } }>('POST', 'groups.create', { name: `hush-${tag}`, members: [] })).group;
    await asCarol('POST', 'chat.sendMessage', { message: { rid: open._id, msg: 'one' } });
    await asCarol('POST', 'im.create', { username: bobUser.username });

    const page = admin.page;
    await page.goto('/admin/rooms');
    await page.getByLabel('Search rooms').fill(tag);
    const openRow = page.locator(`tr[data-room-name="${open.name}"]`);
    const secretRow = page.locator(`tr[data-room-name="${secret.name}"]`);
    await openRow.waitFor();
    await secretRow.waitFor();
    expect(await openRow.getByTestId('room-members').textContent()).to.equal('2');
    expect(await secretRow.getByRole('button', { name: 'Open' }).count(), 'a private group the admin is not in').to.equal(0);

    // type filter: without channels only the group remains
    await page.getByRole('checkbox', { name: 'Channels', exact: true }).uncheck();
    await openRow.waitFor({ state: 'detached' });
    await secretRow.waitFor();
    await page.getByRole('checkbox', { name: 'Channels', exact: true }).check();
    await openRow.waitFor();

    // direct messages are found by participant
    await page.getByLabel('Search rooms').fill(carolUser.username);
    await page.locator('tr', { hasText: `@${bobUser.username}` }).filter({ hasText: 'Direct message' }).waitFor();
    await page.getByLabel('Search rooms').fill(tag);

    await secretRow.getByRole('button', { name: 'Archive' }).click();
    await secretRow.locator('.tag', { hasText: 'Archived' }).waitFor();
    const info = await asCarol<{ group: { archived: boolean } }>('GET', `groups.info?roomId=${secret._id}`);
    expect(info.group.archived).to.equal(true);
    await screenshot(page, 'admin-rooms');

    await openRow.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${open.name}?` });
    await confirm.getByRole('button', { name: 'Delete for everyone' }).click();
    await openRow.waitFor({ state: 'detached' });
    const lookup = await fetch(`${server.url}/api/v1/channels.info?roomId=${open._id}`, { headers: { 'x-user-id': carol.userId, 'x-auth-token': carol.authToken } });
    expect(lookup.status).to.equal(404);

    // Open goes to the channel
    const general = (await asCarol<{ channel: { _id: string; name: string } }>('POST', 'channels.create', { name: `lobby-${tag}`, members: [] })).channel;
    await page.getByLabel('Search rooms').fill(`lobby-${tag}`);
    await page.locator(`tr[data-room-name="${general.name}"]`).getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`**/room/${general._id}`);
  });
});
