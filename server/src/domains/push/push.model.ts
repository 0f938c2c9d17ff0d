import type { PushPreference, StoredPushTokenType } from '@obmeet/contracts';

/**
 * A device's push token. The token value is unique across the workspace: the same device
 * logging in as another user moves the token to that user (a phone notifies one account).
 */
export interface PushTokenDoc {
  _id: string;
  value: string;
  type: StoredPushTokenType;
  appName: string;
  userId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A user's default push preference; only users who changed it have a document. */
export interface PushPrefsDoc {
  _id: string; // the user id
  pushNotifications: PushPreference;
  updatedAt: Date;
}

export const PUSH_TOKENS = 'push_tokens';
export const PUSH_PREFS = 'push_prefs';

/** Each user keeps at most this many devices; registering one more drops the least recently registered. */
export const MAX_TOKENS_PER_USER = 20;

export const pushIndexes = [
  { collection: PUSH_TOKENS, key: { value: 1 }, unique: true, name: 'value_unique' },
  { collection: PUSH_TOKENS, key: { userId: 1 }, unique: false, name: 'user' },
] as const;
