import type { RoomDto, SubscriptionDto } from '@obmeet/contracts';
import type { IconName } from '../../components/Icon';

/** The name people see: display name first, then the unique name; a person's full name for a direct message. */
export function roomTitle(
  sub: SubscriptionDto | undefined,
  room: RoomDto | undefined,
  me?: string,
  users?: Record<string, { name: string }>,
): string {
  const partner = directPartner(sub, room, me);
  if (partner && users?.[partner]?.name) return users[partner].name;
  if (sub) return sub.fname || sub.name;
  if (!room) return 'Room';
  if (room.t === 'd') return (room.usernames ?? []).filter((u) => u !== me).join(', ') || room.fname || 'Direct message';
  return room.fname || room.name || 'Room';
}

export function roomIcon(t: RoomDto['t']): IconName {
  return t === 'c' ? 'hash' : t === 'p' ? 'lock' : 'at';
}

/** For a one-to-one direct room, the other person's username (for avatar and presence). */
export function directPartner(sub: SubscriptionDto | undefined, room: RoomDto | undefined, me?: string): string | undefined {
  if (room?.t === 'd') {
    const others = (room.usernames ?? []).filter((u) => u !== me);
    if (others.length === 1) return others[0];
    if (others.length === 0 && room.usernames?.length === 1) return room.usernames[0];
    return undefined;
  }
  if (sub?.t === 'd' && !sub.name.includes(',')) return sub.name;
  return undefined;
}

export function canModerate(sub: SubscriptionDto | undefined, isAdmin: boolean): boolean {
  return isAdmin || Boolean(sub?.roles?.includes('owner') || sub?.roles?.includes('moderator'));
}

export function canPost(room: RoomDto | undefined, sub: SubscriptionDto | undefined, isAdmin: boolean): { ok: boolean; reason?: string } {
  if (!room) return { ok: false };
  if (room.archived) return { ok: false, reason: 'This room is archived. You can read its history, but no one can post.' };
  if (!sub) return { ok: false, reason: 'Join this channel to take part in the conversation.' };
  if (room.ro && !canModerate(sub, isAdmin)) return { ok: false, reason: 'This room is read-only. Only its owners and moderators can post.' };
  return { ok: true };
}
