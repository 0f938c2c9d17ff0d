/**
 * Message text is rendered as markdown, never as live HTML: scripts, event handlers and
 * `javascript:` links in a message do nothing in the reader's browser, while ordinary
 * markdown (links, code, quotes, emphasis, mentions) still renders.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
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
  send,
  sidebarRoom,
  startServer,
  type TestServer,
  type UserPage,
} from './harness.js';

const PAYLOADS = [
  '<script>window.__xss = "script tag"</script>script-payload',
  '<img src=x onerror="window.__xss = \'img onerror\'">img-payload',
  '[click-js](javascript:window.__xss="markdown js link")',
  '[click-js-mixed-case](JaVaScRiPt:alert(1))',
  '<a href="javascript:alert(2)">html-js-link</a>',
  '<iframe src="javascript:alert(3)"></iframe>iframe-payload',
  '<svg onload="alert(4)"></svg>svg-payload',
  '[click-data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)',
];

describe('browser: markdown is rendered safely', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let reader: UserPage;
  let author: UserPage;
  const authorUser = newCredentials('mallory');
  const readerUser = newCredentials('reader');
  let roomName = '';

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const authorAuth = await registerOverApi(server.url, authorUser);
    await registerOverApi(server.url, readerUser);
    roomName = `safety-${Date.now().toString(36)}`;
    const { channel } = await apiAs<{ channel: { _id: string } }>(server.url, authorAuth, 'POST', 'channels.create', {
      name: roomName,
      members: [readerUser.username],
    });
    // the first payloads are already in the history when the reader opens the room
    for (const msg of PAYLOADS.slice(0, 4)) {
      await apiAs(server.url, authorAuth, 'POST', 'chat.sendMessage', { message: { rid: channel._id, msg } });
    }
    reader = await openUserPage(browser, server.url);
    author = await openUserPage(browser, server.url);
    await logInInBrowser(reader.page, readerUser);
    await logInInBrowser(author.page, authorUser);
    await sidebarRoom(reader.page, roomName).click();
    await sidebarRoom(author.page, roomName).click();
    await roomMessages(reader.page, 'click-js-mixed-case').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { reader: reader?.page, author: author?.page });
  });

  it('does not run scripts from history or from live messages (author and reader)', async () => {
    // the rest arrive live, typed through the composer (pending rendering included)
    for (const msg of PAYLOADS.slice(4)) await send(mainComposer(author.page), msg);
    await send(mainComposer(author.page), `Ordinary **bold** text, \`code\`, a https://example.com link, and @${readerUser.username} is mentioned`);
    await roomMessages(reader.page, 'Ordinary').waitFor();
    await roomMessages(author.page, 'Ordinary').waitFor();

    for (const page of [reader.page, author.page]) {
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).to.equal(undefined);
      const list = page.locator('.room-main .message-list');
      expect(await list.locator('script, iframe, img, svg[onload], [onerror], [onload]').count(), 'no injected elements').to.equal(0);
      // the raw HTML shows up as text instead
      await roomMessages(page, 'script-payload').filter({ hasText: '<script>' }).waitFor();
    }
    expect(reader.dialogs).to.deep.equal([]);
    expect(author.dialogs).to.deep.equal([]);
    expect(reader.errors).to.deep.equal([]);
  });

  it('strips javascript: and data: link targets, and clicking them does nothing', async () => {
    for (const label of ['click-js', 'click-js-mixed-case', 'click-data', 'html-js-link']) {
      const message = roomMessages(reader.page, label).first();
      const hrefs = await message.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const href of hrefs) expect(href ?? '', `link in "${label}"`).not.to.match(/^\s*(javascript|data|vbscript):/i);
    }
    const jsLink = roomMessages(reader.page, 'click-js').first().getByText('click-js', { exact: true });
    if (await jsLink.count()) await jsLink.click();
    await reader.page.waitForTimeout(300);
    expect(await reader.page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).to.equal(undefined);
    expect(reader.dialogs).to.deep.equal([]);
    expect(reader.page.url()).to.match(/\/room\//);
  });

  it('renders ordinary markdown: safe external links, code, emphasis and mentions', async () => {
    const message = roomMessages(reader.page, 'Ordinary').first();
    const link = message.locator('a[href="https://example.com"]');
    expect(await link.getAttribute('target')).to.equal('_blank');
    expect(await link.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(await message.locator('strong', { hasText: 'bold' }).count()).to.equal(1);
    expect(await message.locator('code', { hasText: 'code' }).count()).to.equal(1);
    expect(await message.locator('.mention.mention-me').innerText()).to.equal(`@${readerUser.username}`);
  });
});
