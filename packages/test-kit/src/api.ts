import { io, type Socket } from 'socket.io-client';
import { randomBytes } from 'node:crypto';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small REST client for tests: Rocket.Chat-style auth headers, JSON in and out. */
export class ApiClient {
  userId?: string;
  token?: string;
  cookie?: string;

  constructor(readonly baseUrl: string) {}

  withAuth(userId: string, token: string): ApiClient {
    const c = new ApiClient(this.baseUrl);
    c.userId = userId;
    c.token = token;
    return c;
  }

  async request<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.userId && this.token) {
      headers['x-user-id'] = this.userId;
      headers['x-auth-token'] = this.token;
    }
    if (this.cookie) headers.cookie = this.cookie;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, query?: Record<string, string | number | boolean | undefined>) {
    const qs = query
      ? '?' + new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()
      : '';
    return this.request<T>('GET', `/api/v1/${path}${qs}`);
  }

  post<T = any>(path: string, body: unknown = {}) {
    return this.request<T>('POST', `/api/v1/${path}`, body);
  }
}

export function uniqueName(prefix = 'u'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export interface TestUser {
  _id: string;
  username: string;
  password: string;
  token: string;
  api: ApiClient;
}

/** Registers a user over HTTP and logs in. The first user of a workspace becomes its admin. */
export async function registerUser(baseUrl: string, opts: { username?: string; password?: string } = {}): Promise<TestUser> {
  const anon = new ApiClient(baseUrl);
  const username = opts.username ?? uniqueName('user');
  const password = opts.password ?? `pw-${randomBytes(6).toString('hex')}`;
  const reg = await anon.post('users.register', { username, email: `${username}@example.test`, pass: password, name: `Name ${username}` });
  if (reg.status !== 200) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  return loginUser(baseUrl, username, password);
}

export async function loginUser(baseUrl: string, username: string, password: string): Promise<TestUser> {
  const anon = new ApiClient(baseUrl);
  const login = await anon.post('login', { user: username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const { userId, authToken } = login.body.data;
  return { _id: userId, username, password, token: authToken, api: anon.withAuth(userId, authToken) };
}

/** A connected socket.io client authenticated with the user's token. */
export async function connectSocket(baseUrl: string, user: { _id: string; token: string }, opts: { transports?: string[] } = {}): Promise<Socket> {
  const socket = io(baseUrl, {
    auth: { userId: user._id, token: user.token },
    transports: opts.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', (err) => fail(err));
  });
  return socket;
}

/** Resolves with the next event of that name (or rejects after timeoutMs). */
export function nextEvent<T = any>(socket: Socket, event: string, timeoutMs = 3000, filter: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      fail(new Error(`no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      ok(payload);
    };
    socket.on(event, listener);
  });
}

/** Collects every event of that name until stopped. */
export function collectEvents<T = any>(socket: Socket, event: string): { items: T[]; stop(): void } {
  const items: T[] = [];
  const listener = (p: T) => items.push(p);
  socket.on(event, listener);
  return { items, stop: () => socket.off(event, listener) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
