/**
 * Runs a command inside a fresh network namespace that has only a loopback interface, so
 * nothing it starts (server, embedded database, browsers) can reach or even name another
 * address: every WebRTC ICE candidate has to be a loopback one. Needs root (`ip netns`).
 * The namespace is deleted afterwards, also when the command fails or times out.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface NamespaceRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** True when this process may create network namespaces (root with iproute2). */
export function canUseNetworkNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The interface `mediaInterface` adds: Janus gathers ICE candidates only on a non-loopback interface. */
export const MEDIA_INTERFACE = 'obm0';
export const MEDIA_INTERFACE_ADDRESS = '127.0.0.2';

export async function runInLoopbackNamespace(
  command: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; echoStderr?: boolean; mediaInterface?: boolean },
): Promise<NamespaceRun> {
  const ns = `obmeet-${randomBytes(4).toString('hex')}`;
  ip('netns', 'add', ns);
  try {
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    if (options.mediaInterface) {
      // a veth pair that stays inside the namespace: its only address is a loopback one, and no
      // IPv6 link-local address is generated, so every address in the namespace is still loopback
      ip('-n', ns, 'link', 'add', MEDIA_INTERFACE, 'type', 'veth', 'peer', 'name', 'obm1');
      for (const dev of [MEDIA_INTERFACE, 'obm1']) ip('-n', ns, 'link', 'set', dev, 'addrgenmode', 'none');
      ip('-n', ns, 'addr', 'add', `${MEDIA_INTERFACE_ADDRESS}/32`, 'dev', MEDIA_INTERFACE);
      for (const dev of [MEDIA_INTERFACE, 'obm1']) ip('-n', ns, 'link', 'set', dev, 'up');
    }
    // its own process group, so a timeout can end everything it started (server, database, browsers)
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (options.echoStderr) process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((ok) => child.once('close', (c, s) => ok([c, s])));
    clearTimeout(timer);
    // whatever the script left running (it should have stopped everything itself)
    killGroup(child.pid, 'SIGKILL');
    return { code, signal, stdout, stderr, timedOut };
  } finally {
    try {
      ip('netns', 'del', ns);
    } catch {
      /* already gone */
    }
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group has exited */
  }
}

/** Names of the network namespaces that exist now (the test checks its own is gone). */
export function listNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}
