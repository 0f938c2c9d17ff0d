import type { RoomType } from '@obmeet/contracts';

export interface RoomDoc {
  _id: string;
  t: RoomType;
  name?: string;
  fname?: string;
  /** unique key: lower-cased name for channels and groups, `d:<sorted user ids>` for direct messages */
  nameKey: string;
  topic?: string;
  announcement?: string;
  ro: boolean;
  archived: boolean;
  /** creator */
  u: { _id: string; username: string };
  /** direct messages: the participants */
  uids?: string[];
  usernames?: string[];
  usersCount: number;
  /** main-stream messages ever posted (thread replies not shown in the room excluded): drives unread counts */
  msgs: number;
  /** last per-room message sequence number handed out */
  lastSeq: number;
  /** last per-room change number handed out (every message create/edit/delete/reaction) */
  lastChange: number;
  lastMessage?: { _id: string; msg: string; u: { _id: string; username: string }; ts: Date };
  createdAt: Date;
  updatedAt: Date;
}

export type RoomRole = 'owner' | 'moderator';

/** A member's subscription to a room. `_id` is `<rid>_<userId>`, so it is found by id. */
export interface SubscriptionDoc {
  _id: string;
  rid: string;
  t: RoomType;
  name: string;
  fname?: string;
  u: { _id: string; username: string };
  roles: RoomRole[];
  open: boolean;
  f: boolean;
  muted: boolean;
  /** push preference for this room (push domain); absent: the user's default */
  pushNotifications?: 'all' | 'mentions' | 'nothing';
  /** the room's `msgs` when the member last read it */
  readMsgCount: number;
  readSeq: number;
  userMentions: number;
  groupMentions: number;
  ls?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const ROOMS = 'rooms';
export const SUBSCRIPTIONS = 'subscriptions';

export function subscriptionId(rid: string, userId: string): string {
  return `${rid}_${userId}`;
}

export const roomIndexes = [
  { collection: ROOMS, key: { nameKey: 1 }, unique: true, name: 'nameKey_unique' },
  { collection: SUBSCRIPTIONS, key: { 'u._id': 1 }, unique: false, name: 'user' },
  { collection: SUBSCRIPTIONS, key: { rid: 1 }, unique: false, name: 'rid' },
] as const;
