import { z } from 'zod';
import { Id, Paging, RoomName, Username } from './common.js';

export const RoomType = z.enum(['c', 'p', 'd']);
export type RoomType = z.infer<typeof RoomType>;

export const CreateRoomBody = z
  .object({
    name: RoomName,
    members: z.array(Username).max(500).default([]),
    readOnly: z.boolean().default(false),
    topic: z.string().max(500).optional(),
  })
  .strict();
export type CreateRoomBody = z.infer<typeof CreateRoomBody>;

/** `roomId` or `roomName`, as Rocket.Chat accepts either. */
export const RoomRef = z.union([z.object({ roomId: Id }).strict(), z.object({ roomName: RoomName }).strict()]);
export type RoomRef = z.infer<typeof RoomRef>;
export const RoomRefQuery = z.union([z.object({ roomId: Id }), z.object({ roomName: RoomName })]);

export const RoomUserBody = z.object({ roomId: Id, userId: Id }).strict();
export const RenameBody = z.object({ roomId: Id, name: RoomName }).strict();
export const SetTopicBody = z.object({ roomId: Id, topic: z.string().max(500) }).strict();
export const SetAnnouncementBody = z.object({ roomId: Id, announcement: z.string().max(2000) }).strict();
export const SetReadOnlyBody = z.object({ roomId: Id, readOnly: z.boolean() }).strict();
export const RoomIdBody = z.object({ roomId: Id }).strict();
export const CreateImBody = z.union([
  z.object({ username: Username }).strict(),
  z.object({ usernames: z.string().max(2000) }).strict(), // comma separated, Rocket.Chat style
]);
export const SubscriptionFlagsBody = z
  .object({
    roomId: Id,
    favorite: z.boolean().optional(),
    muted: z.boolean().optional(),
    open: z.boolean().optional(),
  })
  .strict();

export interface LastMessageDto {
  _id: string;
  msg: string;
  u: { _id: string; username: string };
  ts: string;
}

export interface RoomDto {
  _id: string;
  t: RoomType;
  name?: string;
  fname?: string;
  topic?: string;
  announcement?: string;
  ro: boolean;
  archived: boolean;
  u: { _id: string; username: string };
  usernames?: string[];
  uids?: string[];
  usersCount: number;
  msgs: number;
  lastSeq: number;
  lastChange: number;
  lastMessage?: LastMessageDto;
  ts: string;
  _updatedAt: string;
}

export interface SubscriptionDto {
  _id: string;
  rid: string;
  t: RoomType;
  name: string;
  fname?: string;
  u: { _id: string; username: string };
  roles: ('owner' | 'moderator')[];
  open: boolean;
  f: boolean;
  muted: boolean;
  unread: number;
  userMentions: number;
  groupMentions: number;
  readSeq: number;
  ls?: string;
  ts: string;
  _updatedAt: string;
}

export interface MemberDto {
  _id: string;
  username: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  roles: ('owner' | 'moderator')[];
}

/**
 * `GET rooms.adminRooms` (admins): every room of the workspace. `types` is a comma-separated
 * list (`c,p`) or repeated parameter; `filter` matches names (and usernames of direct messages).
 */
export const AdminRoomsQuery = Paging.extend({
  types: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(RoomType).min(1).max(3))
    .optional(),
  filter: z.string().max(100).optional(),
}).strict();
