// Child processes for integration tests: real server processes (node server/dist/src/main.js) and a
// private redis-server. Every child is started in its own process group and killed (group-wide, so
// an embedded FerretDB started by a server dies with it) by stopAllChildren() or at process exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@obmeet/test-kit';

/** Repository root, from server/dist/test/integration/processes.js. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const serverMain = join(repoRoot, 'server', 'dist', 'src', 'main.js');

const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

process.once('exit', () => {
  for (const c of children) killGroup(c, 'SIGKILL');
});

/** True while any process of the child's group is alive (a server and the FerretDB it started). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      ok({ code, signal });
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** everything the process printed so far (stdout + stderr), last 64 kB */
  output(): string;
  /** SIGKILL to the server alone (as a crash would) and wait for it */
  crash(): Promise<void>;
  /** a signal to the server alone, then wait for its exit */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group (cleanup) */
  kill(): Promise<void>;
}

/** Spawns a process with output captured, in its own process group, tracked for cleanup. */
export function spawnTracked(args: string[], env: Record<string, string>): { child: ChildProcess; output(): string } {
  const child = spawn(process.execPath, args, { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-65536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

/** Starts `node server/dist/src/main.js` and waits until GET /health answers. */
export async function startServerProcess(env: Record<string, string>, opts: { port?: number; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    ...(process.env.FERRETDB_BIN ? { FERRETDB_BIN: process.env.FERRETDB_BIN } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    SITE_URL: url,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'obmeet-proc-')),
    ...env,
  };
  const { child, output } = spawnTracked([serverMain], fullEnv);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`server process did not become ready on ${url}:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    child,
    output,
    crash: async () => {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    },
    stop: async (signal = 'SIGTERM', timeoutMs = 10_000) => {
      child.kill(signal);
      return waitForExit(child, timeoutMs);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGKILL');
        await waitForExit(child, 5000).catch(() => undefined);
      } else if (child.pid !== undefined && groupAlive(child.pid)) {
        killGroup(child, 'SIGKILL'); // e.g. an orphaned embedded FerretDB
      }
    },
  };
}

export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A private redis-server on a free loopback port, no persistence. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: 'ignore',
    detached: true,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const failed = new Promise<never>((_, fail) => child.once('error', (err) => fail(new Error(`redis-server could not start: ${err.message}`))));
  await Promise.race([waitForPort(port, 10_000), failed]);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGKILL');
        await waitForExit(child, 5000).catch(() => undefined);
      }
    },
  };
}

/** Reads one Prometheus sample value from GET /metrics. */
export async function metric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  if (!m) throw new Error(`metric ${name} not found`);
  return Number(m[1]);
}
