/** A vendor account: a workspace administrator who registers workspaces ("account data"). */
export interface AccountDoc {
  _id: string;
  email: string;
  /** lower-cased email, unique */
  emailKey: string;
  name?: string;
  passwordHash: string;
  createdAt: Date;
  lastLoginAt?: Date;
}

/** A console session. `_id` is the SHA-256 of the bearer token: tokens are never stored. */
export interface ConsoleSessionDoc {
  _id: string;
  accountId: string;
  createdAt: Date;
  expiresAt: Date;
}

export const ACCOUNTS = 'accounts';
export const CONSOLE_SESSIONS = 'console_sessions';

export const accountIndexes = [
  { collection: ACCOUNTS, key: { emailKey: 1 }, unique: true, name: 'emailKey_unique' },
  { collection: CONSOLE_SESSIONS, key: { accountId: 1 }, unique: false, name: 'accountId' },
  { collection: CONSOLE_SESSIONS, key: { expiresAt: 1 }, unique: false, name: 'expiresAt' },
] as const;
