import type { MemberDto, RoomDto, SubscriptionDto } from '@obmeet/contracts';
import type { UserDoc } from '../accounts/accounts.model.js';
import type { RoomDoc, SubscriptionDoc } from './rooms.model.js';

export function presentRoom(r: RoomDoc): RoomDto {
  return {
    _id: r._id,
    t: r.t,
    ...(r.name !== undefined ? { name: r.name, fname: r.fname ?? r.name } : {}),
    ...(r.topic ? { topic: r.topic } : {}),
    ...(r.announcement ? { announcement: r.announcement } : {}),
    ro: r.ro,
    archived: r.archived,
    u: r.u,
    ...(r.uids ? { uids: r.uids, usernames: r.usernames } : {}),
    usersCount: r.usersCount,
    msgs: r.msgs,
    lastSeq: r.lastSeq,
    lastChange: r.lastChange,
    ...(r.lastMessage
      ? { lastMessage: { _id: r.lastMessage._id, msg: r.lastMessage.msg, u: r.lastMessage.u, ts: r.lastMessage.ts.toISOString() } }
      : {}),
    ts: r.createdAt.toISOString(),
    _updatedAt: r.updatedAt.toISOString(),
  };
}

/** Unread = main-stream messages posted since the member last read the room. */
export function presentSubscription(s: SubscriptionDoc, room: RoomDoc | null): SubscriptionDto {
  return {
    _id: s._id,
    rid: s.rid,
    t: s.t,
    name: s.name,
    ...(s.fname ? { fname: s.fname } : {}),
    u: s.u,
    roles: s.roles,
    open: s.open,
    f: s.f,
    muted: s.muted,
    unread: room ? Math.max(0, room.msgs - s.readMsgCount) : 0,
    userMentions: s.userMentions,
    groupMentions: s.groupMentions,
    readSeq: s.readSeq,
    ...(s.ls ? { ls: s.ls.toISOString() } : {}),
    ts: s.createdAt.toISOString(),
    _updatedAt: s.updatedAt.toISOString(),
  };
}

export function presentMember(u: UserDoc, s: SubscriptionDoc | undefined): MemberDto {
  return { _id: u._id, username: u.username, name: u.name, status: u.status, roles: s?.roles ?? [] };
}
