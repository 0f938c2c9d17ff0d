/** What the gateway hands to a transport: no tokens in it, and it is never stored or logged. */
export interface PushMessage {
  notification?: { title?: string; body?: string };
  data?: Record<string, string>;
  options?: { priority?: 'normal' | 'high'; ttlSeconds?: number; collapseKey?: string };
}

export type PushOutcome = { ok: true } | { ok: false; code: string };

/** Delivers one message to up to 500 tokens; one outcome per token, in order. */
export interface PushTransport {
  send(tokens: string[], message: PushMessage): Promise<PushOutcome[]>;
  close(): Promise<void>;
}

/** FCM said this token is gone or never was: the workspace must delete it. */
export const REJECTED_CODES: ReadonlySet<string> = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  'messaging/invalid-argument',
]);

/** Worth another try after a pause (5xx, quota, network). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'messaging/server-unavailable',
  'messaging/internal-error',
  'messaging/message-rate-exceeded',
  'messaging/unknown-error',
  'app/network-error',
  'app/network-timeout',
]);
