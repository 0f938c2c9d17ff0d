import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../logger.js';

/** Repository root, from server/dist/src/db/embedded.js. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

interface FerretdbLib {
  ferretdbBinaryPath(): string;
  ensureFerretdb(): Promise<string>;
  MISSING_GO_MESSAGE: string;
}

async function loadLib(): Promise<FerretdbLib> {
  return (await import(pathToFileURL(join(repoRoot, 'scripts', 'ferretdb-lib.mjs')).href)) as FerretdbLib;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB v1 with its SQLite backend in `<dataDir>/db` on a free loopback port,
 * telemetry disabled, and returns its connection string. Builds the binary first if needed
 * (Go module proxy only); without Go it fails with a message that says what to install.
 */
export async function startEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const lib = await loadLib();
  let bin = lib.ferretdbBinaryPath();
  if (!existsSync(bin)) bin = await lib.ensureFerretdb();

  const dbDir = resolve(dataDir, 'db');
  const stateDir = resolve(dataDir, 'ferretdb-state');
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dbDir}/`,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
      '--log-format=json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let exited = false;
  let stderrTail = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderrTail = (stderrTail + b.toString()).slice(-4000);
  });
  child.stdout?.resume();
  child.once('exit', (code) => {
    exited = true;
    if (code) logger.error({ code }, 'embedded database exited');
  });

  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`FerretDB failed to start: ${stderrTail.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('FerretDB did not start listening within 30 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  logger.info({ port, dataDir: dbDir }, 'embedded database (FerretDB, SQLite) started');

  return {
    url: `mongodb://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function missingGoMessage(): Promise<string> {
  return (await loadLib()).MISSING_GO_MESSAGE;
}
