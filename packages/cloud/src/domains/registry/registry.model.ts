/** A single-use registration token made in the vendor console. `_id` is its SHA-256. */
export interface RegistrationTokenDoc {
  _id: string;
  accountId: string;
  label?: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  workspaceId?: string;
}

/** A registered self-managed workspace. Only the SHA-256 of its client secret is stored. */
export interface WorkspaceDoc {
  _id: string;
  accountId: string;
  label?: string;
  status: 'active' | 'revoked';
  /** absent once revoked */
  secretHash?: string;
  registeredAt: Date;
  secretRotatedAt: Date;
  revokedAt?: Date;
}

export const REGISTRATION_TOKENS = 'registration_tokens';
export const WORKSPACES = 'workspaces';

export const registryIndexes = [
  { collection: REGISTRATION_TOKENS, key: { expiresAt: 1 }, unique: false, name: 'expiresAt' },
  { collection: WORKSPACES, key: { accountId: 1 }, unique: false, name: 'accountId' },
] as const;
