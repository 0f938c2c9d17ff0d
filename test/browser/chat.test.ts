/**
 * Two people in two browser profiles use the real server: first-run sign-up, a channel,
 * real-time chat both ways, unread and mention badges, a thread, reactions, edit, delete
 * and typing — every change arriving without a reload.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import {
  captureFailure,
  eventually,
  launchBrowser,
  mainComposer,
  newCredentials,
  openUserPage,
  roomMessages,
  screenshot,
  send,
  sidebarRoom,
  signUpInBrowser,
  startServer,
  threadComposer,
  type TestServer,
  type UserPage,
} from './harness.js';

describe('browser: two people chatting in real time', function () {
  this.timeout(60_000);

  let server: TestServer;
  let browser: Browser;
  let alice: UserPage;
  let bob: UserPage;
  const aliceUser = newCredentials('alice');
  const bobUser = newCredentials('bob');
  const channel = `plans-${Date.now().toString(36)}`;

  before(async function () {
    this.timeout(90_000);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    alice = await openUserPage(browser, server.url);
    bob = await openUserPage(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    await captureFailure(this.currentTest, { alice: alice?.page, bob: bob?.page });
    // a script error in either page fails the test that caused it
    expect(alice.errors, 'errors in alice’s page').to.deep.equal([]);
    expect(bob.errors, 'errors in bob’s page').to.deep.equal([]);
  });

  async function hoverAndClick(page: Page, messageText: string, action: string) {
    const message = roomMessages(page, messageText).first();
    await message.hover();
    await message.getByRole('button', { name: action, exact: true }).click();
  }

  it('offers first-run setup, and the first account becomes the administrator', async () => {
    await alice.page.goto('/');
    await alice.page.getByTestId('first-run-note').waitFor();
    expect(await alice.page.getByTestId('first-run-note').innerText()).to.match(/becomes its\s+administrator/);
    await signUpInBrowser(alice.page, aliceUser);
    await alice.page.getByRole('link', { name: 'Administration' }).waitFor();
  });

  it('a second person signs up normally (no first-run note, not an admin)', async () => {
    await bob.page.goto('/signup');
    await bob.page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await bob.page.getByTestId('first-run-note').count()).to.equal(0);
    await signUpInBrowser(bob.page, bobUser);
    expect(await bob.page.getByRole('link', { name: 'Administration' }).count()).to.equal(0);
  });

  it('creates a channel with a member, who sees it appear without a reload', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Create channel' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create a channel' });
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill(channel);
    await dialog.getByLabel('Topic').fill('Where we plan the next release');
    await dialog.getByLabel('Add members').fill(bobUser.username.slice(0, 6));
    await dialog.getByRole('option', { name: new RegExp(bobUser.username) }).click();
    await dialog.locator('.chip', { hasText: bobUser.name }).waitFor();
    await screenshot(page, 'create-channel-dialog');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();

    await page.getByTestId('room-title').filter({ hasText: channel }).waitFor();
    await sidebarRoom(page, channel).waitFor();
    // bob never reloads: the channel arrives over the socket
    await sidebarRoom(bob.page, channel).waitFor();
  });

  it('delivers messages both ways in real time, each exactly once', async () => {
    await sidebarRoom(bob.page, channel).click();
    await bob.page.getByTestId('room-title').filter({ hasText: channel }).waitFor();

    await send(mainComposer(alice.page), 'Hello Bob, **welcome** to the plan');
    await roomMessages(bob.page, 'Hello Bob').waitFor();
    await send(mainComposer(bob.page), 'Hi Alice, glad to be here');
    await roomMessages(alice.page, 'Hi Alice').waitFor();

    for (const p of [alice.page, bob.page]) {
      expect(await roomMessages(p, 'Hello Bob').count()).to.equal(1);
      expect(await roomMessages(p, 'Hi Alice').count()).to.equal(1);
    }
    // markdown is rendered
    expect(await roomMessages(bob.page, 'Hello Bob').locator('strong', { hasText: 'welcome' }).count()).to.equal(1);
  });

  it('shows who is typing', async () => {
    await mainComposer(alice.page).fill('I am writing someth');
    await bob.page.getByTestId('typing-indicator').filter({ hasText: `${aliceUser.username} is typing` }).waitFor();
    await mainComposer(alice.page).fill('');
  });

  it('raises unread and mention badges in the sidebar and clears them when the room is opened', async () => {
    // bob leaves the room for the directory; the sidebar stays visible
    await bob.page.getByRole('link', { name: 'Browse all channels' }).click();
    await bob.page.getByRole('heading', { name: 'Channel directory' }).waitFor();
    const bobRoomLink = sidebarRoom(bob.page, channel);
    expect(await bobRoomLink.getByTestId('unread-badge').count()).to.equal(0);

    await send(mainComposer(alice.page), 'First thing while you are away');
    await send(mainComposer(alice.page), 'Second thing while you are away');
    await bobRoomLink.getByTestId('unread-badge').filter({ hasText: /^2$/ }).waitFor();

    await send(mainComposer(alice.page), `@${bobUser.username} please look at this`);
    await bobRoomLink.getByTestId('mention-badge').filter({ hasText: '@1' }).waitFor();
    // the mention count and the message travel as two events: wait for both
    await eventually(async () => (await bobRoomLink.getAttribute('aria-label'))?.includes('3 unread') ?? false, 'the sidebar says 3 unread');

    await bobRoomLink.click();
    await bob.page.getByTestId('new-messages-divider').waitFor();
    // the divider sits right above the first message bob has not read
    const afterDivider = bob.page.locator('[data-testid="new-messages-divider"] + article.message');
    expect(await afterDivider.innerText()).to.contain('First thing while you are away');
    await eventually(async () => (await bobRoomLink.locator('.badge').count()) === 0, 'the badges are cleared');
    // the mention is highlighted for bob
    await roomMessages(bob.page, 'please look at this').locator('.mention-me').waitFor();
  });

  it('replies in a thread, and the reply reaches the other person', async () => {
    await hoverAndClick(alice.page, 'Hello Bob', 'Reply in thread');
    const panel = alice.page.locator('.thread-panel');
    await panel.waitFor();
    expect(await panel.locator('.thread-parent').innerText()).to.contain('Hello Bob');
    await send(threadComposer(alice.page), 'A reply that belongs in the thread');
    await panel.locator('article.message:not(.pending)', { hasText: 'A reply that belongs in the thread' }).waitFor();

    // bob sees the thread summary update live, opens it and answers
    const summary = roomMessages(bob.page, 'Hello Bob').getByTestId('thread-summary');
    await summary.filter({ hasText: '1 reply' }).waitFor();
    // thread replies stay out of the main list
    expect(await roomMessages(bob.page, 'A reply that belongs in the thread').count()).to.equal(0);
    await summary.click();
    const bobPanel = bob.page.locator('.thread-panel');
    await bobPanel.locator('article.message', { hasText: 'A reply that belongs in the thread' }).waitFor();
    await send(threadComposer(bob.page), 'Answering inside the thread');
    await panel.locator('article.message', { hasText: 'Answering inside the thread' }).waitFor();
    await roomMessages(alice.page, 'Hello Bob').getByTestId('thread-summary').filter({ hasText: '2 replies' }).waitFor();
    await screenshot(alice.page, 'thread-panel');
    await alice.page.getByRole('button', { name: 'Close thread' }).click();
    await bob.page.getByRole('button', { name: 'Close thread' }).click();
  });

  it('adds and toggles emoji reactions, seen by both', async () => {
    await hoverAndClick(bob.page, 'Hello Bob', 'Add reaction');
    await bob.page.getByRole('dialog', { name: 'Pick a reaction' }).locator('[data-emoji=":tada:"]').click();

    const aliceReaction = roomMessages(alice.page, 'Hello Bob').locator('button.reaction[data-emoji=":tada:"]');
    await aliceReaction.locator('.reaction-count', { hasText: /^1$/ }).waitFor();
    expect(await aliceReaction.getAttribute('aria-pressed')).to.equal('false');
    await aliceReaction.click();

    const bobReaction = roomMessages(bob.page, 'Hello Bob').locator('button.reaction[data-emoji=":tada:"]');
    await bobReaction.locator('.reaction-count', { hasText: /^2$/ }).waitFor();
    await aliceReaction.and(alice.page.locator('[aria-pressed="true"]')).waitFor();

    // bob takes his back
    await bobReaction.click();
    await aliceReaction.locator('.reaction-count', { hasText: /^1$/ }).waitFor();
  });

  it('edits an own message; the other person sees the new text and the edited marker', async () => {
    await hoverAndClick(alice.page, 'Hello Bob', 'Edit');
    const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Hello Bob, the plan changed');
    await editor.press('Enter');

    const edited = roomMessages(bob.page, 'the plan changed');
    await edited.waitFor();
    await edited.locator('.edited-marker').waitFor();
    expect(await roomMessages(bob.page, 'welcome to the plan').count()).to.equal(0);
    // bob cannot edit alice's message
    await edited.hover();
    expect(await edited.getByRole('button', { name: 'Edit', exact: true }).count()).to.equal(0);
  });

  it('deletes an own message for everyone', async () => {
    await hoverAndClick(bob.page, 'Hi Alice', 'Delete');
    const confirm = bob.page.getByRole('dialog', { name: 'Delete message' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(async () => (await roomMessages(alice.page, 'Hi Alice').count()) === 0, 'alice no longer sees the deleted message');
    await eventually(async () => (await roomMessages(bob.page, 'Hi Alice').count()) === 0, 'bob no longer sees the deleted message');
    await screenshot(alice.page, 'room-view');
  });

  it('pins a message for everyone and stars it for oneself', async () => {
    await hoverAndClick(alice.page, 'the plan changed', 'Pin');
    await roomMessages(bob.page, 'the plan changed').locator('.flag', { hasText: 'Pinned' }).waitFor();

    await hoverAndClick(bob.page, 'the plan changed', 'Star');
    await roomMessages(bob.page, 'the plan changed').locator('.flag', { hasText: 'Starred' }).waitFor();
    // a star is personal: alice does not see bob's
    await alice.page.waitForTimeout(300);
    expect(await roomMessages(alice.page, 'the plan changed').locator('.flag', { hasText: 'Starred' }).count()).to.equal(0);

    await hoverAndClick(alice.page, 'the plan changed', 'Unpin');
    await roomMessages(bob.page, 'the plan changed').locator('.flag', { hasText: 'Pinned' }).waitFor({ state: 'detached' });
  });

  it('keeps everything after a reload (the server is the source of truth)', async () => {
    await bob.page.reload();
    await roomMessages(bob.page, 'the plan changed').waitFor();
    expect(await roomMessages(bob.page, 'Hi Alice').count()).to.equal(0);
    expect(await roomMessages(bob.page, 'First thing while you are away').count()).to.equal(1);
    await roomMessages(bob.page, 'Hello Bob').getByTestId('thread-summary').filter({ hasText: '2 replies' }).waitFor();
  });

  it('shows presence in the member list: online, then offline when the other person leaves', async () => {
    await alice.page.getByRole('button', { name: 'Members' }).click();
    const bobEntry = alice.page.locator(`aside[aria-label="Members"] .member[data-username="${bobUser.username}"]`);
    await bobEntry.locator('.presence[data-status="online"]').waitFor();
    await bob.context.close();
    await bobEntry.locator('.presence[data-status="offline"]').waitFor();
  });
});
