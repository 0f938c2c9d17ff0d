/**
 * A person whose network drops sees a "Reconnecting…" banner, and after it comes back
 * sees everything that happened meanwhile (new messages, edits, deletions, reactions,
 * thread replies, unread counts in other rooms) exactly once, without reloading.
 * A message sent while offline is marked failed and can be retried.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
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
interface Message {
  _id: string;
}

describe('browser: going offline and coming back', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let bob: UserPage;
  const aliceUser = newCredentials('alice');
  const bobUser = newCredentials('bob');
  let alice: { userId: string; authToken: string };
  let room: Room;
  let otherRoom: Room;
  let toEdit: Message;
  let toDelete: Message;
  let toReact: Message;
  let threadParent: Message;

  const asAlice = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(server.url, alice, method, path, body);
  const aliceSays = async (rid: string, msg: string, extra: Record<string, unknown> = {}) =>
    (await asAlice<{ message: Message }>('POST', 'chat.sendMessage', { message: { rid, msg, ...extra } })).message;

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    alice = await registerOverApi(server.url, aliceUser);
    await registerOverApi(server.url, bobUser);
    room = (await asAlice<{ channel: Room }>('POST', 'channels.create', { name: `ops-${Date.now().toString(36)}`, members: [bobUser.username] })).channel;
    otherRoom = (await asAlice<{ channel: Room }>('POST', 'channels.create', { name: `side-${Date.now().toString(36)}`, members: [bobUser.username] })).channel;
    toEdit = await aliceSays(room._id, 'Original wording that will be edited');
    toDelete = await aliceSays(room._id, 'A message that will be deleted');
    toReact = await aliceSays(room._id, 'A message that gets a reaction');
    threadParent = await aliceSays(room._id, 'A message that gets a thread');

    bob = await openUserPage(browser, server.url);
    await logInInBrowser(bob.page, bobUser);
    await sidebarRoom(bob.page, room.name).click();
    await roomMessages(bob.page, 'A message that gets a thread').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { bob: bob?.page });
    expect(bob.errors, 'errors in bob’s page').to.deep.equal([]);
  });

  it('shows a "Reconnecting…" banner and stops receiving while offline', async () => {
    await bob.context.setOffline(true);
    const banner = bob.page.getByTestId('reconnecting-banner');
    await banner.waitFor();
    expect(await banner.innerText()).to.contain('Reconnecting');
    await screenshot(bob.page, 'reconnecting-banner');

    // everything below happens while bob is away
    await aliceSays(room._id, 'Missed message one');
    await aliceSays(room._id, 'Missed message two');
    await asAlice('POST', 'chat.update', { roomId: room._id, msgId: toEdit._id, text: 'Edited wording while bob was away' });
    await asAlice('POST', 'chat.delete', { roomId: room._id, msgId: toDelete._id });
    await asAlice('POST', 'chat.react', { messageId: toReact._id, emoji: ':rocket:' });
    await aliceSays(room._id, 'A reply bob missed', { tmid: threadParent._id });
    await aliceSays(otherRoom._id, 'Something in the other room');
    await aliceSays(room._id, 'Missed message three');

    await bob.page.waitForTimeout(800);
    expect(await roomMessages(bob.page, 'Missed message').count(), 'nothing arrives while offline').to.equal(0);
  });

  it('marks a message sent while offline as failed, with Retry', async () => {
    await send(mainComposer(bob.page), 'Sent by bob while offline');
    const failed = bob.page.locator('article.message.pending[data-status="failed"]', { hasText: 'Sent by bob while offline' });
    await failed.waitFor();
    await failed.getByRole('button', { name: 'Retry' }).waitFor();
  });

  it('catches up after reconnecting: every missed change, each exactly once', async () => {
    await bob.context.setOffline(false);
    await bob.page.getByTestId('reconnecting-banner').waitFor({ state: 'detached' });

    for (const text of ['Missed message one', 'Missed message two', 'Missed message three']) {
      await roomMessages(bob.page, text).waitFor();
    }
    await roomMessages(bob.page, 'Edited wording while bob was away').locator('.edited-marker').waitFor();
    await eventually(async () => (await roomMessages(bob.page, 'A message that will be deleted').count()) === 0, 'the deleted message is gone');
    await roomMessages(bob.page, 'A message that gets a reaction').locator('button.reaction[data-emoji=":rocket:"]').waitFor();
    await roomMessages(bob.page, 'A message that gets a thread').getByTestId('thread-summary').filter({ hasText: '1 reply' }).waitFor();
    await sidebarRoom(bob.page, otherRoom.name).getByTestId('unread-badge').filter({ hasText: /^1$/ }).waitFor();

    // no duplicates, in order, and no stale versions
    const texts = await bob.page.locator('.room-main article.message:not(.pending) .message-body').allInnerTexts();
    const missed = texts.filter((t) => t.startsWith('Missed message'));
    expect(missed).to.deep.equal(['Missed message one', 'Missed message two', 'Missed message three']);
    expect(texts.filter((t) => t.includes('Original wording'))).to.deep.equal([]);
    expect(texts.filter((t) => t.includes('A reply bob missed')), 'thread replies stay in the thread').to.deep.equal([]);
  });

  it('delivers a retried message once', async () => {
    const failed = bob.page.locator('article.message.pending', { hasText: 'Sent by bob while offline' });
    await failed.getByRole('button', { name: 'Retry' }).click();
    await roomMessages(bob.page, 'Sent by bob while offline').waitFor();
    await failed.waitFor({ state: 'detached' });
    expect(await roomMessages(bob.page, 'Sent by bob while offline').count()).to.equal(1);

    const history = await asAlice<{ messages: { msg: string }[] }>('GET', `chat.history?roomId=${room._id}&count=50`);
    expect(history.messages.filter((m) => m.msg === 'Sent by bob while offline')).to.have.length(1);
  });

  it('keeps receiving live events after the reconnect, without duplicates', async () => {
    await aliceSays(room._id, 'Live again after the reconnect');
    await roomMessages(bob.page, 'Live again after the reconnect').waitFor();
    await bob.page.waitForTimeout(500);
    expect(await roomMessages(bob.page, 'Live again after the reconnect').count()).to.equal(1);
    expect(await roomMessages(bob.page, 'Missed message one').count()).to.equal(1);
  });
});
