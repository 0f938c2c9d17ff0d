/**
 * Browser test harness: starts a real OBMeet server (its own data directory and embedded
 * database) that serves the production client build, and drives Debian's Chromium with
 * playwright-core. Never downloads a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `node server/dist/src/main.js` on a free port with a fresh data directory; `env` adds or overrides variables (e.g. CLOUD_URL). */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const main = join(repoRoot, 'server', 'dist', 'src', 'main.js');
  const clientIndex = join(repoRoot, 'client', 'dist', 'index.html');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  if (!existsSync(clientIndex)) throw new Error(`${clientIndex} is missing: run \`npm run build -w @obmeet/client\` first`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'obmeet-browser-'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SITE_URL: url,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.BROWSER_TEST_LOG_LEVEL ?? 'warn',
      // every test signs users up and in from one address
      LOGIN_MAX_PER_IP_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    try {
      const r = await fetch(`${url}/api/v1/info`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server did not answer /api/v1/info within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `extraArgs`: more Chromium switches (the meeting tests add fake camera and microphone). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`node test/browser/ensure-chromium.mjs\``);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** uncaught page errors: a test fails when there are any */
  errors: string[];
  /** alert/confirm/prompt dialogs the page tried to open */
  dialogs: string[];
}

/** A fresh browser profile (its own cookies), watching for script errors and dialogs. */
export async function openUserPage(browser: Browser, baseURL: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<UserPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  // fail fast: every wait in these tests is for something that takes milliseconds
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, errors, dialogs };
}

export interface Credentials {
  name: string;
  username: string;
  email: string;
  password: string;
}

let counter = 0;
export function newCredentials(prefix: string): Credentials {
  const username = `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
  return { name: `${prefix[0].toUpperCase()}${prefix.slice(1)} Tester`, username, email: `${username}@example.test`, password: 'correct-horse-battery' };
}

/** Signs up through the UI (the form logs in afterwards) and waits for the workspace. */
export async function signUpInBrowser(page: Page, user: Credentials): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Full name').fill(user.name);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.locator('form[aria-label="Sign up"] button[type=submit]').click();
  await page.locator('.workspace').waitFor(); // the signed-in layout (its sidebar is hidden at phone width)
}

export async function logInInBrowser(page: Page, user: Credentials): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.locator('form[aria-label="Log in"] button[type=submit]').click();
  await page.locator('.workspace').waitFor(); // the signed-in layout (its sidebar is hidden at phone width)
}

/** Creates an account over REST (faster than the UI when the sign-up is not under test). */
export async function registerOverApi(baseURL: string, user: Credentials): Promise<{ userId: string; authToken: string }> {
  const reg = await fetch(`${baseURL}/api/v1/users.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, email: user.email, pass: user.password, name: user.name }),
  });
  if (!reg.ok) throw new Error(`users.register failed: ${reg.status} ${await reg.text()}`);
  const login = await fetch(`${baseURL}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: user.username, password: user.password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const body = (await login.json()) as { data: { userId: string; authToken: string } };
  return body.data;
}

/** REST as a user (token headers), for setting up state the test is not about. */
export async function apiAs<T = Record<string, unknown>>(
  baseURL: string,
  auth: { userId: string; authToken: string },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const r = await fetch(`${baseURL}/api/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-user-id': auth.userId, 'x-auth-token': auth.authToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} failed: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

// ---- page helpers ---------------------------------------------------------------------------

export function sidebarRoom(page: Page, name: string): Locator {
  return page.locator(`nav[aria-label="Rooms"] a[data-room-name="${name}"]`);
}

export function mainComposer(page: Page): Locator {
  return page.locator('.room-main .composer textarea');
}

export function threadComposer(page: Page): Locator {
  return page.locator('.thread-panel .composer textarea');
}

/** Messages in the room's main list whose text contains `text` (confirmed ones, not pending). */
export function roomMessages(page: Page, text: string): Locator {
  return page.locator('.room-main article.message:not(.pending)', { hasText: text });
}

export async function send(composer: Locator, text: string): Promise<void> {
  await composer.fill(text);
  await composer.press('Enter');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // let transitions and fonts settle so the picture shows the final state
  await page.waitForTimeout(150);
  await page.screenshot({ path });
  return path;
}

/** Saves a picture of each page when a test failed, to see what the user saw. */
export async function captureFailure(test: Mocha.Runnable | undefined, pages: Record<string, Page | undefined>): Promise<void> {
  if (!test || test.state !== 'failed') return;
  const slug = test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  const dir = join(repoRoot, 'test-output', 'failures');
  mkdirSync(dir, { recursive: true });
  for (const [who, page] of Object.entries(pages)) {
    if (page && !page.isClosed()) await page.screenshot({ path: join(dir, `${slug}-${who}.png`) }).catch(() => undefined);
  }
}

/** Polls until `check` returns true (for state that has no single element to wait for). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
