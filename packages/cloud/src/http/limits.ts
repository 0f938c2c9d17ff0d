import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Errors } from '../errors.js';

/** Consumes points or throws a 429 with Retry-After. */
export async function consume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (res) {
    if (res instanceof Error) throw res;
    const ms = (res as { msBeforeNext?: number }).msBeforeNext ?? 60_000;
    throw Errors.rateLimited(Math.max(1, Math.ceil(ms / 1000)));
  }
}
