/**
 * Files in the web client against the real server: the attach menu and file chooser with a
 * caption (progress, then the message with the server's thumbnail), the lightbox, drag and
 * drop, pasting an image, cancel, refused uploads (size, type) and the room's Files panel.
 */
import { expect } from 'chai';
import type { Browser, Page, Route } from 'playwright-core';
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
  screenshot,
  sidebarRoom,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';
import { pngImage } from './images.js';

interface Msg {
  _id: string;
  msg: string;
  file?: { _id: string; name: string; type: string; size: number };
}

describe('browser: uploading and viewing files', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let user: UserPage;
  const adminUser = newCredentials('fadmin');
  let adminAuth: { userId: string; authToken: string };
  const roomName = `files-${Date.now().toString(36)}`;
  let roomId: string;

  const asAdmin = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, adminAuth, method, path, body);
  const history = async () => (await asAdmin<{ messages: Msg[] }>('GET', `chat.history?roomId=${roomId}&count=100`)).messages.filter((m) => !('t' in m && m.t));
  const setSetting = (key: string, value: unknown) => asAdmin('POST', `settings/${key}`, { value });

  /** Holds uploads at the network edge until `release` — so the test can see an upload in flight without timing. */
  async function holdUploads(page: Page) {
    const held: Route[] = [];
    await page.route('**/api/v1/rooms.upload/**', (route) => {
      held.push(route);
    });
    return {
      held,
      async release() {
        await page.unroute('**/api/v1/rooms.upload/**');
        for (const r of held.splice(0)) await r.continue().catch(() => undefined);
      },
    };
  }

  function messageWithFile(page: Page, name: string) {
    return page.locator('.room-main article.message:not(.pending)', { has: page.locator('[data-testid=file-attachment]', { hasText: name }) });
  }

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    adminAuth = await registerOverApi(server.url, adminUser); // the first account: an administrator
    roomId = (await asAdmin<{ channel: { _id: string } }>('POST', 'channels.create', { name: roomName, members: [] })).channel._id;
    user = await openUserPage(browser, server.url);
    await logInInBrowser(user.page, adminUser);
    await sidebarRoom(user.page, roomName).click();
    await mainComposer(user.page).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { user: user?.page });
    expect(user.errors, 'errors in the page').to.deep.equal([]);
  });

  it('uploads an image from the file chooser with a caption: progress, then a preview that opens in a lightbox', async () => {
    const page = user.page;
    await mainComposer(page).fill('Quarterly chart for the review');
    const gate = await holdUploads(page);

    await page.getByRole('button', { name: 'More actions' }).click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('menuitem', { name: 'Upload a file' }).click()]);
    await chooser.setFiles({ name: 'chart.png', mimeType: 'image/png', buffer: pngImage(800, 600) });

    // Slack's dialog: the typed text is the caption, with a local preview of the image
    const dialog = page.getByRole('dialog', { name: 'Upload a file' });
    await dialog.waitFor();
    expect(await dialog.getByLabel(/Add a message/).inputValue()).to.equal('Quarterly chart for the review');
    expect(await dialog.locator('img.upload-choice-preview').getAttribute('src')).to.match(/^blob:/);
    await screenshot(page, 'files-upload-dialog');
    await dialog.getByRole('button', { name: 'Upload' }).click();

    // the upload is in flight (held): a progress bar with a cancel button
    const progress = page.getByTestId('upload-progress').filter({ hasText: 'chart.png' });
    await progress.waitFor();
    await eventually(async () => gate.held.length > 0, 'the upload request was sent');
    expect(await progress.locator('progress').count()).to.equal(1);
    expect(await progress.getByRole('button', { name: 'Cancel upload of chart.png' }).count()).to.equal(1);
    expect(await mainComposer(page).inputValue(), 'the caption left the composer').to.equal('');
    await screenshot(page, 'files-upload-progress');
    await gate.release();

    const message = messageWithFile(page, 'chart.png');
    await message.waitFor();
    await progress.waitFor({ state: 'detached' });
    expect(await message.innerText()).to.contain('Quarterly chart for the review');
    const thumb = message.locator('.file-image-button img');
    expect(await thumb.getAttribute('src')).to.match(/^\/file-upload\/[^/]+\/chart\.png\?thumb=1$/);
    // the thumbnail really loads (cookie-authenticated, same origin) and is scaled down by the server
    await eventually(async () => (await thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))) > 0, 'the thumbnail loaded');
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).to.be.at.most(360);

    await thumb.click();
    const lightbox = page.getByTestId('lightbox');
    await lightbox.waitFor();
    const full = lightbox.locator('.lightbox-stage img');
    expect(await full.getAttribute('src')).to.match(/^\/file-upload\/[^/]+\/chart\.png$/);
    await eventually(async () => (await full.evaluate((img: HTMLImageElement) => img.naturalWidth)) === 800, 'the full image loaded');
    expect(await lightbox.getByRole('link', { name: 'Download' }).getAttribute('download')).to.equal('chart.png');
    await screenshot(page, 'files-lightbox');
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });

    // a click beside the image closes it too
    await thumb.click();
    await lightbox.waitFor();
    await page.mouse.click(20, 400);
    await lightbox.waitFor({ state: 'detached' });

    const stored = (await history()).find((m) => m.file?.name === 'chart.png');
    expect(stored?.msg).to.equal('Quarterly chart for the review');
    expect(stored?.file?.type).to.equal('image/png');
  });

  it('uploads a file dropped on the room (a visible drop zone) and shows it as a card with a download link', async () => {
    const page = user.page;
    const text = 'Meeting notes\n'.repeat(200);
    const transfer = await page.evaluateHandle((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'notes.txt', { type: 'text/plain' }));
      return dt;
    }, text);
    const room = page.locator('.room-main');
    await room.dispatchEvent('dragenter', { dataTransfer: transfer });
    await room.dispatchEvent('dragover', { dataTransfer: transfer });
    const zone = page.locator('.drop-zone.active');
    await zone.waitFor();
    expect(await zone.innerText()).to.contain(`Drop files to upload to #${roomName}`);
    await screenshot(page, 'files-drop-zone');
    await room.dispatchEvent('drop', { dataTransfer: transfer });
    await zone.waitFor({ state: 'detached' });

    const dialog = page.getByRole('dialog', { name: 'Upload a file' });
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('notes.txt');
    await dialog.getByRole('button', { name: 'Upload' }).click();

    const message = messageWithFile(page, 'notes.txt');
    await message.waitFor();
    const card = message.locator('.file-card');
    expect(await card.innerText()).to.match(/notes\.txt[\s\S]*2\.7 KB/);
    const link = card.getByRole('link', { name: 'Download notes.txt' });
    const href = await link.getAttribute('href');
    expect(href).to.match(/^\/file-upload\/[^/]+\/notes\.txt$/);
    // the link works with the page's session cookie
    const body = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(body).to.equal(text);
  });

  it('uploads a file dropped on a thread as a reply in that thread', async () => {
    const page = user.page;
    const parent = (await asAdmin<{ message: Msg }>('POST', 'chat.sendMessage', { message: { rid: roomId, msg: 'Send the signed contract here' } })).message;
    await page.locator(`#msg-${parent._id}`).waitFor();
    await page.goto(`/room/${roomId}/thread/${parent._id}`);
    const thread = page.locator('aside.thread-panel');
    await thread.locator('.composer textarea').waitFor();
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['%PDF-1.4 signed'], 'contract.pdf', { type: 'application/pdf' }));
      return dt;
    });
    await thread.dispatchEvent('dragenter', { dataTransfer: transfer });
    await thread.locator('.drop-zone.active', { hasText: 'Drop files to reply in the thread' }).waitFor();
    await thread.dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByRole('dialog', { name: 'Upload a file' }).getByRole('button', { name: 'Upload' }).click();
    await thread.locator('[data-testid=file-attachment]', { hasText: 'contract.pdf' }).waitFor();
    const reply = (await asAdmin<{ messages: (Msg & { tmid?: string })[] }>('GET', `chat.getThreadMessages?tmid=${parent._id}`)).messages.find((m) => m.file?.name === 'contract.pdf');
    expect(reply?.tmid).to.equal(parent._id);
    await page.goto(`/room/${roomId}`);
    await mainComposer(page).waitFor();
  });

  it('uploads an image pasted from the clipboard', async () => {
    const page = user.page;
    const bytes = [...pngImage(120, 90, 2)];
    await mainComposer(page).focus();
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'image.png', { type: 'image/png' }));
      const target = document.querySelector('.room-main .composer textarea')!;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, bytes);
    const dialog = page.getByRole('dialog', { name: 'Upload a file' });
    await dialog.waitFor();
    await dialog.getByLabel(/Add a message/).fill('Pasted screenshot');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const message = messageWithFile(page, 'image.png');
    await message.waitFor();
    expect(await message.innerText()).to.contain('Pasted screenshot');
    await message.locator('.file-image-button img').waitFor();
  });

  it('cancels an upload in flight: the progress goes away and nothing is posted', async () => {
    const page = user.page;
    const before = (await history()).length;
    const gate = await holdUploads(page);
    await page.getByTestId('file-input').setInputFiles({ name: 'big-report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n' + 'x'.repeat(50_000)) });
    await page.getByRole('dialog', { name: 'Upload a file' }).getByRole('button', { name: 'Upload' }).click();
    const progress = page.getByTestId('upload-progress').filter({ hasText: 'big-report.pdf' });
    await progress.waitFor();
    await eventually(async () => gate.held.length > 0, 'the upload request was sent');
    const aborted = page.waitForEvent('requestfailed', (r) => r.url().includes('/rooms.upload/'));
    await progress.getByRole('button', { name: 'Cancel upload of big-report.pdf' }).click();
    await progress.waitFor({ state: 'detached' });
    // the browser dropped the request (what the server sees is a closed connection, and it keeps nothing)
    expect((await aborted).failure()?.errorText).to.match(/ABORTED|cancel/i);
    await page.unroute('**/api/v1/rooms.upload/**');
    for (const r of gate.held.splice(0)) await r.abort().catch(() => undefined);
    // a message is sent after the upload: this one arriving proves the cancelled upload had its chance
    await asAdmin('POST', 'chat.sendMessage', { message: { rid: roomId, msg: 'after the cancelled upload' } });
    await page.locator('.room-main article.message', { hasText: 'after the cancelled upload' }).waitFor();
    const after = await history();
    expect(after.length).to.equal(before + 1);
    expect(after.some((m) => m.file?.name === 'big-report.pdf')).to.equal(false);
  });

  it('refuses a file over the size limit with a clear error, and posts nothing', async () => {
    const page = user.page;
    await setSetting('files.maxSizeBytes', 2000);
    try {
      const before = (await history()).length;
      let uploadRequests = 0;
      const count = () => uploadRequests++;
      page.on('request', (r) => r.url().includes('/rooms.upload/') && count());
      await page.getByTestId('file-input').setInputFiles({ name: 'too-big.png', mimeType: 'image/png', buffer: pngImage(400, 300, 5) });
      await page.getByRole('dialog', { name: 'Upload a file' }).getByRole('button', { name: 'Upload' }).click();
      const failed = page.locator('[data-testid=upload-progress][data-status=failed]', { hasText: 'too-big.png' });
      await failed.waitFor();
      expect(await failed.getByRole('alert').innerText()).to.match(/too-big\.png” is too large: files can be at most 2\.0 KB here/);
      await page.locator('.toast-error', { hasText: 'too-big.png' }).waitFor();
      await screenshot(page, 'files-too-large');
      await failed.getByRole('button', { name: 'Dismiss too-big.png' }).click();
      await failed.waitFor({ state: 'detached' });
      expect(uploadRequests, 'the client did not send a file the server would refuse').to.equal(0);
      expect((await history()).length).to.equal(before);
    } finally {
      await setSetting('files.maxSizeBytes', 100 * 1024 * 1024);
    }
  });

  it('shows the server’s refusal of a type the admin does not allow, and posts nothing', async () => {
    const page = user.page;
    await setSetting('files.allowedTypes', 'image/*');
    try {
      const before = (await history()).length;
      await page.getByTestId('file-input').setInputFiles({ name: 'script.txt', mimeType: 'text/plain', buffer: Buffer.from('plain words, not an image') });
      await page.getByRole('dialog', { name: 'Upload a file' }).getByRole('button', { name: 'Upload' }).click();
      const failed = page.locator('[data-testid=upload-progress][data-status=failed]', { hasText: 'script.txt' });
      await failed.waitFor();
      expect(await failed.getByRole('alert').innerText()).to.contain('is a type of file this server does not accept');
      await page.locator('.toast-error', { hasText: 'script.txt' }).waitFor();
      expect((await history()).length).to.equal(before);
    } finally {
      await setSetting('files.allowedTypes', '');
    }
  });

  it('lists the room’s files, newest first, with download links and a jump to the message', async () => {
    const page = user.page;
    await page.getByRole('button', { name: 'Files', exact: true }).click();
    const panel = page.locator('aside[aria-label="Files"]');
    await panel.locator('.file-row').first().waitFor();
    const names = await panel.locator('.file-row .file-name').allInnerTexts();
    expect(names).to.deep.equal(['image.png', 'contract.pdf', 'notes.txt', 'chart.png']);
    expect(await panel.innerText()).to.contain('4 files');
    expect(await panel.getByRole('link', { name: 'Download chart.png' }).getAttribute('href')).to.match(/^\/file-upload\/[^/]+\/chart\.png$/);
    await screenshot(page, 'files-panel');
    const chart = (await history()).find((m) => m.file?.name === 'chart.png')!;
    await panel.getByRole('button', { name: 'chart.png', exact: true }).click();
    await eventually(async () => page.url().includes(`msg=${chart._id}`), 'the URL points at the message');
    await page.locator(`#msg-${chart._id}`).waitFor();
  });
});
