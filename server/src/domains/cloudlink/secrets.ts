import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An AES-256-GCM ciphertext as stored in the database (base64 fields). */
export interface SealedSecret {
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  ct: string;
}

/**
 * Encrypts secrets the workspace must keep (the cloud client secret) so a database dump or
 * backup alone does not reveal them. The key lives outside the database: config SECRETS_KEY, or
 * a key file generated once in DATA_DIR with mode 0600.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('secrets key must be 32 bytes');
  }

  /** `context` is bound as additional data: a ciphertext copied to another record does not decrypt. */
  seal(plain: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return { alg: 'aes-256-gcm', iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ct: ct.toString('base64') };
  }

  open(sealed: SealedSecret, context: string): string {
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
    d.setAAD(Buffer.from(context));
    d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(sealed.ct, 'base64')), d.final()]).toString('utf8');
  }
}

export const SECRETS_KEY_FILE = 'secrets.key';

/** The 32-byte key: from `configured` (64 hex chars or base64), else `DATA_DIR/secrets.key` (created with 0600 if missing). */
export function loadSecretsKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = /^[0-9a-fA-F]{64}$/.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes: 64 hex characters or base64');
    return key;
  }
  const file = join(dataDir, SECRETS_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': never overwrite a key another process just wrote (losing it would lose the secrets)
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte hex key`);
  return key;
}
