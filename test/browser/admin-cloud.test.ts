/**
 * The admin pages of the data-flow features, against a real vendor cloud on loopback: workspace
 * info (same figures as the statistics builder), statistics sharing (the exact preview, on/off),
 * cloud registration (register, unregister) and the outbound data log.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { CloudRegistrationDto, OutboundLogResult, StatisticsInfoDto, StatisticsPreviewDto, StatisticsSharingDto } from '@obmeet/contracts';
import { startRecordedCloud, type Cloud } from '../dataflow/helpers.js';
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
} from './harness.js';

describe('browser: workspace info, statistics sharing, cloud registration and the outbound log', function () {
  this.timeout(90_000);

  let cloud: Cloud;
  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const adminCreds = newCredentials('cadmin');
  let admin: { userId: string; authToken: string };
  const asAdmin = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, admin, method, path, body);

  before(async function () {
    this.timeout(120_000);
    cloud = await startRecordedCloud();
    [server, browser] = await Promise.all([startServer({ CLOUD_URL: cloud.url }), launchBrowser()]);
    admin = await registerOverApi(server.url, adminCreds); // the first account is the administrator
    await asAdmin('POST', 'channels.create', { name: `info-${Date.now().toString(36)}`, members: [] });
    user = await openUserPage(browser, server.url);
    await logInInBrowser(user.page, adminCreds);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await cloud?.close();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { user: user?.page });
    expect(user.errors, 'errors in the page').to.deep.equal([]);
  });

  it('workspace info shows the statistics builder’s totals, versions and charts', async () => {
    const page = user.page;
    await page.goto(`${server.url}/admin/info`);
    await page.getByTestId('info-users-total').waitFor();
    const { info } = await asAdmin<{ info: StatisticsInfoDto }>('GET', 'statistics.info');
    const text = async (id: string) => (await page.getByTestId(`info-${id}`).innerText()).trim();
    expect(await text('users-total')).to.equal(String(info.document.users.total));
    expect(await text('rooms-channels')).to.equal(String(info.document.rooms.channels));
    expect(await text('messages-total')).to.equal(String(info.document.messages.total));
    expect(await text('server-version')).to.equal(info.local.serverVersion);
    // the tests run on FerretDB, which also answers with a MongoDB-compatible version
    expect(info.local.database.kind).to.equal('ferretdb');
    expect(info.document.platform.database.kind).to.equal('ferretdb');
    expect(await text('database')).to.equal(`FerretDB ${info.local.database.version}`);
    expect(await page.getByTestId('chart-messages').count()).to.equal(1);
    expect(await page.getByTestId('chart-active-users').count()).to.equal(1);
    expect(await page.getByRole('table', { name: 'Users by role' }).innerText()).to.contain('admin');
    await screenshot(page, 'admin-info');
  });

  it('statistics: shows exactly the preview document; switching on needs a confirmation and survives a reload; off again', async () => {
    const page = user.page;
    await page.goto(`${server.url}/admin/statistics`);
    const pre = page.getByTestId('statistics-preview');
    await pre.waitFor();
    const { preview } = await asAdmin<{ preview: StatisticsPreviewDto }>('GET', 'statistics.preview');
    expect(JSON.parse(await pre.innerText())).to.deep.equal(preview.document);
    expect(await page.getByTestId('sharing-state').innerText()).to.contain('Sharing is off');

    await page.getByRole('button', { name: 'Switch sharing on…' }).click();
    await page.getByRole('dialog', { name: 'Share statistics with the vendor?' }).getByRole('button', { name: 'Share daily' }).click();
    await eventually(async () => (await page.getByTestId('sharing-state').innerText()).includes('Sharing is on'), 'sharing shows on');
    await page.reload();
    await eventually(async () => (await page.getByTestId('sharing-state').innerText().catch(() => '')).includes('Sharing is on'), 'still on after reload');
    expect((await asAdmin<{ sharing: StatisticsSharingDto }>('GET', 'statistics.sharing')).sharing.enabled).to.equal(true);
    await screenshot(page, 'admin-statistics');

    await page.getByRole('button', { name: 'Switch sharing off' }).click();
    await eventually(async () => (await page.getByTestId('sharing-state').innerText()).includes('Sharing is off'), 'sharing shows off');
    expect((await asAdmin<{ sharing: StatisticsSharingDto }>('GET', 'statistics.sharing')).sharing.enabled).to.equal(false);
  });

  it('cloud registration: a bad token shows the cloud’s refusal; a real one registers; the log lists it; unregister', async () => {
    const page = user.page;
    await page.goto(`${server.url}/admin/cloud`);
    const state = page.getByTestId('registration-state');
    await state.waitFor();
    expect(await state.innerText()).to.contain('Unregistered');

    await page.getByLabel('Registration token').fill('ort_' + 'x'.repeat(43));
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('alert').waitFor();
    expect(await state.innerText()).to.contain('Unregistered');

    await page.getByLabel('Registration token').fill(await cloud.registrationToken());
    await page.getByRole('button', { name: 'Register' }).click();
    await eventually(async () => (await state.innerText()).includes('Registered as workspace'), 'registered');
    const { registration } = await asAdmin<{ registration: CloudRegistrationDto }>('GET', 'cloud.registration');
    expect(registration.state).to.equal('registered');
    expect(await state.innerText()).to.contain(registration.workspaceId!);
    await screenshot(page, 'admin-cloud-registered');

    // the outbound log lists what was sent (purpose registration), newest first
    await page.goto(`${server.url}/admin/outbound`);
    const rows = page.getByTestId('outbound-entry');
    await rows.first().waitFor();
    const log = await asAdmin<OutboundLogResult>('GET', 'outbound.log?count=50');
    expect(await rows.count()).to.equal(log.entries.length);
    expect(await rows.first().innerText()).to.contain('registration');
    await rows.first().getByRole('button', { name: 'Show' }).click();
    expect(JSON.parse(await page.getByTestId('outbound-payload').innerText())).to.deep.equal(JSON.parse(log.entries[0]!.payload!));
    await page.getByLabel('Purpose').selectOption('push');
    await page.getByText('Nothing has been sent.').waitFor();
    await screenshot(page, 'admin-outbound-log');

    await page.goto(`${server.url}/admin/cloud`);
    await page.getByRole('button', { name: 'Unregister…' }).click();
    await page.getByRole('dialog', { name: 'Unregister this workspace?' }).getByRole('button', { name: 'Unregister' }).click();
    await eventually(async () => (await state.innerText()).includes('Unregistered'), 'unregistered again');
    expect((await asAdmin<{ registration: CloudRegistrationDto }>('GET', 'cloud.registration')).registration.state).to.equal('unregistered');
  });

  it('a non-admin sees none of these pages', async () => {
    const other = newCredentials('cuser');
    await registerOverApi(server.url, other);
    const page = (await openUserPage(browser, server.url)).page;
    await logInInBrowser(page, other);
    for (const p of ['info', 'statistics', 'cloud', 'outbound']) {
      await page.goto(`${server.url}/admin/${p}`);
      await page.getByText('Administrators only').waitFor();
      expect(await page.getByTestId('statistics-preview').count()).to.equal(0);
    }
    await page.context().close();
  });
});
