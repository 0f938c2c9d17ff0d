/**
 * Location sharing in the web client: the composer action exists only while the admin setting
 * `location.sharingEnabled` is on; shared, it is a card with coordinates, accuracy and a link to
 * OpenStreetMap — and the page never contacts a host other than the OBMeet server.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import {
  apiAs,
  captureFailure,
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

describe('browser: sharing a location', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const adminUser = newCredentials('ladmin');
  let admin: { userId: string; authToken: string };
  const roomName = `meetup-${Date.now().toString(36)}`;
  let roomId: string;
  /** every URL the page asked for */
  const requested: string[] = [];

  const asAdmin = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, admin, method, path, body);

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await registerOverApi(server.url, adminUser);
    roomId = (await asAdmin<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [] })).channel._id;
    user = await openUserPage(browser, server.url);
    user.page.on('request', (r) => requested.push(r.url()));
    await user.context.grantPermissions(['geolocation'], { origin: server.url });
    await user.context.setGeolocation({ latitude: 52.520008, longitude: 13.404954, accuracy: 35 });
    await logInInBrowser(user.page, adminUser);
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

  it('offers no "Share location" while the setting is off (the default)', async () => {
    const page = user.page;
    await page.getByRole('button', { name: 'More actions' }).click();
    // aria-busy goes false once the menu has read the settings
    const menu = page.locator('[role=menu][aria-busy=false]');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Upload a file' }).count()).to.equal(1);
    expect(await menu.getByRole('menuitem', { name: 'Share location' }).count()).to.equal(0);
    await page.keyboard.press('Escape');
  });

  it('when enabled, shares the browser’s position as a card linking to OpenStreetMap, with no third-party request', async () => {
    const page = user.page;
    await asAdmin('POST', 'settings/location.sharingEnabled', { value: true });
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Share location' }).click();

    const dialog = page.getByRole('dialog', { name: 'Share your location' });
    await dialog.getByTestId('location-card').waitFor();
    expect(await dialog.innerText()).to.contain('52.52001° N, 13.40495° E');
    await screenshot(page, 'location-dialog');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.locator('.room-main article.message:not(.pending) [data-testid=location-card]');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).to.contain('52.52001° N, 13.40495° E');
    expect(text).to.contain('Accurate to about 35 m');
    const link = card.getByRole('link', { name: 'Open in OpenStreetMap' });
    expect(await link.getAttribute('href')).to.equal('https://www.openstreetmap.org/?mlat=52.520008&mlon=13.404954#map=16/52.520008/13.404954');
    expect(await link.getAttribute('rel')).to.contain('noopener');
    expect(await page.locator('iframe').count(), 'no embedded map').to.equal(0);
    await screenshot(page, 'location-message');

    const stored = (await asAdmin<{ messages: { location?: { lat: number; lng: number; accuracy?: number } }[] }>('GET', `chat.history?roomId=${roomId}&count=10`)).messages.find((m) => m.location);
    expect(stored?.location).to.deep.equal({ lat: 52.520008, lng: 13.404954, accuracy: 35 });

    const hosts = new Set(requested.map((u) => new URL(u).hostname).filter((h) => h !== ''));
    expect([...hosts], 'hosts the page contacted').to.deep.equal(['127.0.0.1']);
  });

  it('hides the action again when the admin turns sharing off', async () => {
    const page = user.page;
    await asAdmin('POST', 'settings/location.sharingEnabled', { value: false });
    await page.getByRole('button', { name: 'More actions' }).click();
    const menu = page.locator('[role=menu][aria-busy=false]');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Upload a file' }).count()).to.equal(1);
    expect(await menu.getByRole('menuitem', { name: 'Share location' }).count()).to.equal(0);
  });
});
