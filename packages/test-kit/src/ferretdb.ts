import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function ferretdbBinary(): string {
  return process.env.FERRETDB_BIN || join(repoRoot, '.tools', 'bin', 'ferretdb');
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const attempt = () => {
      const sock = connect({ host: '127.0.0.1', port }, () => {
        sock.destroy();
        ok();
      });
      sock.once('error', () => {
        if (Date.now() > deadline) fail(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export interface TestDatabase {
  /** connection string without a database name */
  url: string;
  /** a connection string to a new, unique database */
  uniqueUrl(prefix?: string): string;
  stop(): Promise<void>;
}

let shared: Promise<TestDatabase> | undefined;

/**
 * One FerretDB (SQLite backend, temporary directory) per test process; every test server gets
 * its own database in it. Set TEST_MONGO_URL to run the tests against another server instead.
 */
export function testDatabase(): Promise<TestDatabase> {
  shared ??= startFerretdb();
  return shared;
}

async function startFerretdb(): Promise<TestDatabase> {
  const external = process.env.TEST_MONGO_URL;
  if (external) return makeDb(external.replace(/\/$/, '') + '/', async () => undefined);
  const bin = ferretdbBinary();
  if (!existsSync(bin)) throw new Error(`FerretDB binary missing at ${bin}: run \`npm run ensure-db\``);
  const dir = mkdtempSync(join(tmpdir(), 'obmeet-test-db-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', '--log-level=error'],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForPort(port);
  return makeDb(`mongodb://127.0.0.1:${port}/`, stop);
}

function makeDb(url: string, stop: () => Promise<void>): TestDatabase {
  return {
    url,
    uniqueUrl: (prefix = 't') => `${url}${prefix}_${randomBytes(6).toString('hex')}`,
    stop,
  };
}
