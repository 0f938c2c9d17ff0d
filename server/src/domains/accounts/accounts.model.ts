import type { RoleName } from '@obmeet/contracts';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface UserDoc {
  _id: string;
  username: string;
  /** lower-cased username, unique */
  usernameKey: string;
  name: string;
  email: string;
  /** lower-cased email, unique */
  emailKey: string;
  emailVerified: boolean;
  roles: RoleName[];
  type: 'user' | 'bot';
  active: boolean;
  avatarUrl?: string;
  passwordHash?: string;
  status: PresenceStatus;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt?: Date;
}

/** A login session or a personal access token. `_id` is the SHA-256 of the token: tokens are never stored. */
export interface SessionDoc {
  _id: string;
  userId: string;
  kind: 'login' | 'pat';
  /** personal access token name (kind = pat) */
  name?: string;
  lastTokenPart: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt?: Date;
}

/** Invite for invite-only registration. `_id` is the SHA-256 of the invite token. */
export interface InviteDoc {
  _id: string;
  createdBy: string;
  remaining: number;
  createdAt: Date;
}

export const USERS = 'users';
export const SESSIONS = 'sessions';
export const INVITES = 'invites';

export const accountIndexes = [
  { collection: USERS, key: { usernameKey: 1 }, unique: true, name: 'usernameKey_unique' },
  { collection: USERS, key: { emailKey: 1 }, unique: true, name: 'emailKey_unique' },
  { collection: SESSIONS, key: { userId: 1 }, unique: false, name: 'userId' },
] as const;
