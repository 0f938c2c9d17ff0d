import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** Rocket.Chat-style random id: 17 characters from an unambiguous alphabet. */
export function newId(length = 17): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    // rejection sampling keeps the distribution uniform
    if (b < 256 - (256 % ALPHABET.length)) out += ALPHABET[b % ALPHABET.length];
  }
  return out.length === length ? out : newId(length);
}

/** An unguessable secret: 32 random bytes, base64url, optionally with a prefix that makes a leaked one easy to spot. */
export function newSecret(prefix?: string): string {
  const secret = randomBytes(32).toString('base64url');
  return prefix ? `${prefix}_${secret}` : secret;
}

/**
 * SHA-256 of a secret, hex. Enough for 256-bit random secrets (they cannot be brute-forced, and a
 * slow hash per request would only cost CPU); passwords use argon2id instead.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
