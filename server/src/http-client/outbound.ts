import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one HTTP client for calls the workspace makes to addresses its users chose (outgoing
 * webhooks, later apps' HTTP). It refuses private, loopback, link-local, unique-local, multicast,
 * unspecified and IPv4-mapped addresses after resolving the name and again on every redirect,
 * unless the admin allowed that host name. The connection goes to exactly the address that was
 * checked (a fixed `lookup` on the agent), so DNS cannot answer differently between the check and
 * the connect. Responses are limited in size and time.
 *
 * Calls to the vendor cloud do not use this: they go through `egress/`.
 */

export interface OutboundRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface OutboundOptions {
  /** host names (or IP literals) the admin allowed explicitly: their addresses are not checked */
  allowedHosts?: readonly string[];
  maxResponseBytes?: number;
  /** for the whole exchange, redirects included */
  timeoutMs?: number;
  maxRedirects?: number;
  /** name resolution (tests may replace it); answers every address of the name */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the URL that answered, after redirects */
  url: string;
  redirects: number;
}

export type RefusalReason = 'scheme' | 'credentials' | 'address' | 'resolve' | 'redirects' | 'too-large' | 'timeout';

/** The request was not sent (or was cut off) by policy, not by the remote side. */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export const OUTBOUND_DEFAULTS = { maxResponseBytes: 1024 * 1024, timeoutMs: 5000, maxRedirects: 3 } as const;

/** Parses `integrations.allowedHosts`: comma-separated host names, case-insensitive. */
export function parseAllowedHosts(setting: string): string[] {
  return setting
    .split(',')
    .map((h) => normaliseHost(h.trim()))
    .filter(Boolean);
}

function normaliseHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/** True when the address is ordinary public unicast; every special range is refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  // IPv4-mapped (::ffff:a.b.c.d), 6to4, Teredo, NAT64 and reserved ranges are not "unicast" either
  return ip.range() === 'unicast';
}

const defaultResolve = async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family }));

/** Resolves and checks one URL; returns the addresses to connect to. */
async function checkTarget(url: URL, allowed: ReadonlySet<string>, resolve: NonNullable<OutboundOptions['resolve']>) {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused('scheme', `Only http and https URLs are allowed`);
  if (url.username || url.password) throw new OutboundRefused('credentials', 'URLs with credentials are not allowed');
  // the WHATWG parser already turned 127.1, 0x7f000001, 2130706433 and friends into dotted quads
  const host = normaliseHost(url.hostname);
  const isAllowed = allowed.has(host);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new OutboundRefused('resolve', `Could not resolve ${host}`);
    }
    if (!addresses.length) throw new OutboundRefused('resolve', `Could not resolve ${host}`);
  }
  if (!isAllowed) {
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw new OutboundRefused('address', `Refused: ${host} is a private, loopback or otherwise internal address`);
  }
  // IPv4 first, so a server listening on 127.0.0.1 only is found before ::1
  addresses.sort((a, b) => a.family - b.family);
  return { host, addresses };
}

/** A lookup that answers only the addresses that were checked, whatever the name. */
function pinnedLookup(addresses: { address: string; family: number }[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    const wanted = options?.family === 4 || options?.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const list = wanted.length ? wanted : addresses;
    if (options?.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  }) as unknown as LookupFunction;
}

function sendOnce(
  url: URL,
  addresses: { address: string; family: number }[],
  req: OutboundRequest & { method: string },
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const agent = new lib.Agent({ keepAlive: false, lookup: pinnedLookup(addresses), maxSockets: 1 });
    const headers: Record<string, string | number> = { 'user-agent': 'OBMeet-Webhooks/1', ...(req.headers ?? {}) };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = lib.request(url, { method: req.method, headers, agent, signal }, (res) => {
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        res.destroy();
        reject(new OutboundRefused('too-large', `The response is larger than ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          res.destroy();
          reject(new OutboundRefused('too-large', `The response is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', (err) => {
      agent.destroy();
      reject(err);
    });
    r.on('close', () => agent.destroy());
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/**
 * Sends a request under the rules above. Redirects are followed by hand (at most `maxRedirects`),
 * each hop checked like the first. Throws OutboundRefused when policy stops it, other errors for
 * network failures; any HTTP status is a normal result.
 */
export async function outboundRequest(request: OutboundRequest, options: OutboundOptions = {}): Promise<OutboundResponse> {
  const maxBytes = options.maxResponseBytes ?? OUTBOUND_DEFAULTS.maxResponseBytes;
  const timeoutMs = options.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs;
  const maxRedirects = options.maxRedirects ?? OUTBOUND_DEFAULTS.maxRedirects;
  const allowed = new Set((options.allowedHosts ?? []).map(normaliseHost));
  const resolve = options.resolve ?? defaultResolve;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new OutboundRefused('scheme', 'Not a valid URL');
    }
    let current: OutboundRequest & { method: string } = { ...request, method: request.method ?? 'GET' };
    for (let hop = 0; ; hop++) {
      const { addresses } = await checkTarget(url, allowed, resolve);
      if (controller.signal.aborted) throw new OutboundRefused('timeout', `No answer within ${timeoutMs} ms`);
      let res;
      try {
        res = await sendOnce(url, addresses, current, maxBytes, controller.signal);
      } catch (err) {
        if (controller.signal.aborted) throw new OutboundRefused('timeout', `No answer within ${timeoutMs} ms`);
        throw err;
      }
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(res.status) && location) {
        if (hop >= maxRedirects) throw new OutboundRefused('redirects', `More than ${maxRedirects} redirects`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new OutboundRefused('scheme', 'Redirect to an invalid URL');
        }
        // as browsers do: 303 (and 301/302 after a POST) continue with a GET without a body
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && current.method !== 'GET')) {
          const headers = { ...(current.headers ?? {}) };
          for (const k of Object.keys(headers)) if (k.toLowerCase().startsWith('content-')) delete headers[k];
          current = { ...current, method: 'GET', body: undefined, headers };
        }
        url = next;
        continue;
      }
      return { ...res, url: url.toString(), redirects: hop };
    }
  } finally {
    clearTimeout(timer);
  }
}
