import type { ErrorBody } from '@obmeet/contracts';

export const API_BASE = '/api/v1';

/** A failed REST call: HTTP status plus the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorType: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True when the call never reached the server (offline, aborted, DNS...). */
export function isNetworkError(e: unknown): boolean {
  return !(e instanceof ApiError);
}

type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** abort after this many milliseconds */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Listeners told about 401s, so the app can drop a session the server no longer knows. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = `${API_BASE}/${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/**
 * One REST call. Auth is the httpOnly session cookie, so every call sends credentials
 * for the same origin; nothing token-like is kept in JavaScript.
 */
export async function request<T>(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<T> {
  const controller = new AbortController();
  const timer = options.timeoutMs ? setTimeout(() => controller.abort(), options.timeoutMs) : undefined;
  options.signal?.addEventListener('abort', () => controller.abort());
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: controller.signal,
    });
  } finally {
    if (timer) clearTimeout(timer);
  }

  let payload: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  const body = payload as (Partial<ErrorBody> & { success?: boolean; status?: string; message?: string }) | null;
  if (!response.ok || body?.success === false || body?.status === 'error') {
    // only "you are not logged in" ends the session, not e.g. a wrong password in a form
    const notLoggedIn = response.status === 401 && (!body?.errorType || body.errorType === 'error-unauthorized');
    if (notLoggedIn && path !== 'login') unauthorizedListeners.forEach((l) => l());
    throw new ApiError(
      response.status,
      body?.error ?? body?.message ?? `Request failed (${response.status})`,
      body?.errorType ?? (response.status === 404 ? 'error-not-found' : 'error-unknown'),
    );
  }
  return payload as T;
}

export const get = <T>(path: string, query?: Record<string, QueryValue>, options: RequestOptions = {}) =>
  request<T>('GET', path, { ...options, query });
export const post = <T>(path: string, body: unknown = {}, options: RequestOptions = {}) =>
  request<T>('POST', path, { ...options, body });

/** A user-facing sentence for any error thrown by the API client. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof DOMException && e.name === 'AbortError') return 'The server did not answer in time.';
  if (e instanceof TypeError) return 'Could not reach the server. Check your connection.';
  return e instanceof Error ? e.message : String(e);
}
