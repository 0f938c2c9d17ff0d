/**
 * The Janus WebRTC gateway from Debian's `janus` package, for tests of meetings routed
 * through an SFU: installed with apt-get when missing, started with a generated
 * configuration (only the VideoRoom plugin and the WebSocket transport, on loopback), and
 * stopped afterwards.
 *
 * Janus gathers ICE candidates only on non-loopback interfaces, so in a network namespace
 * it needs one: `iceInterface` names it (the meeting tests give it a veth that carries
 * only the loopback address 127.0.0.2, see test/browser/netns.ts).
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const JANUS_BINARY = '/usr/bin/janus';
const JANUS_LIB = '/usr/lib/x86_64-linux-gnu/janus';

/** Installs Debian's janus package when it is not there (needs root and the Debian mirror). */
export function ensureJanus(): string {
  if (existsSync(JANUS_BINARY) && existsSync(join(JANUS_LIB, 'plugins', 'libjanus_videoroom.so'))) return JANUS_BINARY;
  console.log('[ensure-janus] installing janus with apt-get (needs root)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update && apt-get install -y --no-install-recommends janus', { stdio: 'inherit', env });
  if (!existsSync(JANUS_BINARY)) throw new Error('janus was installed but /usr/bin/janus does not exist');
  return JANUS_BINARY;
}

export interface RunningJanus {
  /** the WebSocket API (MEETINGS_JANUS_URL) */
  url: string;
  /** media ports Janus uses (a range the OS does not hand out to browsers, so a test can tell Janus's candidates apart) */
  rtpPorts: { min: number; max: number };
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

export async function startJanus(options: { iceInterface?: string; rtpPorts?: { min: number; max: number } } = {}): Promise<RunningJanus> {
  const binary = ensureJanus();
  const dir = mkdtempSync(join(tmpdir(), 'obmeet-janus-'));
  const cfg = join(dir, 'cfg');
  for (const d of [cfg, join(dir, 'plugins'), join(dir, 'transports'), join(dir, 'none')]) mkdirSync(d);
  // only what meetings use: fewer plugins start faster and listen on nothing else
  symlinkSync(join(JANUS_LIB, 'plugins', 'libjanus_videoroom.so'), join(dir, 'plugins', 'libjanus_videoroom.so'));
  symlinkSync(join(JANUS_LIB, 'transports', 'libjanus_websockets.so'), join(dir, 'transports', 'libjanus_websockets.so'));
  const port = await freePort();
  const rtp = options.rtpPorts ?? { min: 20000, max: 20999 };
  const nat = [options.iceInterface ? `ice_enforce_list = "${options.iceInterface}"` : '', 'ignore_mdns = true'].filter(Boolean).join(', ');
  writeFileSync(
    join(cfg, 'janus.jcfg'),
    [
      `general: { configs_folder = "${cfg}", plugins_folder = "${dir}/plugins", transports_folder = "${dir}/transports", events_folder = "${dir}/none", loggers_folder = "${dir}/none", debug_level = 4, server_name = "obmeet-test" }`,
      `media: { rtp_port_range = "${rtp.min}-${rtp.max}" }`,
      `nat: { ${nat} }`,
      'plugins: {}',
      'transports: {}',
      'events: { broadcast = false }',
      'loggers: {}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(cfg, 'janus.plugin.videoroom.jcfg'), 'general: {}\n');
  writeFileSync(join(cfg, 'janus.transport.websockets.jcfg'), `general: { json = "compact", ws = true, ws_port = ${port}, ws_ip = "127.0.0.1", wss = false }\nadmin: { admin_ws = false, admin_wss = false }\n`);

  let output = '';
  const child: ChildProcess = spawn(binary, ['-C', join(cfg, 'janus.jcfg'), '-F', cfg, '--disable-colors'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-200_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 20_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null) throw new Error(`janus exited with code ${child.exitCode}:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`janus did not open its WebSocket port in 20 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `ws://127.0.0.1:${port}/`,
    rtpPorts: rtp,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
