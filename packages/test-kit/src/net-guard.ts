import net from 'node:net';

/**
 * Records (and refuses) every outgoing TCP connection that is not to loopback, for tests that
 * must prove nothing leaves the machine. Patches `net.Socket.prototype.connect`, which every
 * client (http, https, tls, the mongodb driver) goes through; unix sockets are allowed.
 */
export interface LoopbackGuard {
  /** `host:port` of every refused connection attempt */
  readonly violations: string[];
  uninstall(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export function isLoopbackHost(host: string | undefined | null): boolean {
  if (!host) return true; // net defaults to localhost
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function installLoopbackGuard(): LoopbackGuard {
  const violations: string[] = [];
  const original = net.Socket.prototype.connect;
  const patched = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const first = args[0];
    let host: string | undefined;
    let port: unknown;
    let path: string | undefined;
    if (Array.isArray(first)) {
      // internal normalized form: [options, cb]
      const o = first[0] as { host?: string; port?: unknown; path?: string };
      host = o?.host;
      port = o?.port;
      path = o?.path;
    } else if (first && typeof first === 'object') {
      const o = first as { host?: string; port?: unknown; path?: string };
      host = o.host;
      port = o.port;
      path = o.path;
    } else if (typeof first === 'string' && isNaN(Number(first))) {
      path = first;
    } else {
      port = first;
      host = typeof args[1] === 'string' ? (args[1] as string) : undefined;
    }
    if (!path && !isLoopbackHost(host)) {
      violations.push(`${host}:${String(port)}`);
      const err = Object.assign(new Error(`loopback guard: connection to ${host}:${String(port)} refused`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = patched as typeof original;
  return {
    violations,
    uninstall() {
      if (net.Socket.prototype.connect === (patched as typeof original)) net.Socket.prototype.connect = original;
    },
  };
}
