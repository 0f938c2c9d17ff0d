import { ErrorCodes } from '@obmeet/contracts';
import { Errors } from '../../errors.js';
import { can, type Actor } from '../accounts/accounts.policy.js';
import type { RoomDoc, SubscriptionDoc } from './rooms.model.js';

/** Room-level rules, shared by REST, sockets and (later) apps. */
export const RoomPolicy = {
  canRead(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null): boolean {
    if (sub) return true;
    return room.t === 'c' && can(actor, 'view-c-room');
  },
  isRoomModerator(actor: Actor, sub: SubscriptionDoc | null): boolean {
    return Boolean(sub && (sub.roles.includes('owner') || sub.roles.includes('moderator')));
  },
  isOwner(sub: SubscriptionDoc | null): boolean {
    return Boolean(sub?.roles.includes('owner'));
  },
  assertCanPost(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null): void {
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    if (room.ro && !RoomPolicy.isRoomModerator(actor, sub) && !can(actor, 'post-readonly')) {
      throw Errors.of(ErrorCodes.roomReadOnly, 'This room is read-only', 403);
    }
  },
  assertCanInvite(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null): void {
    if (room.t === 'd') throw Errors.invalid('Members of a direct message cannot be changed');
    if (room.archived) throw Errors.of(ErrorCodes.roomArchived, 'This room is archived', 403);
    if (can(actor, 'add-user-to-any-room')) return;
    if (!sub) throw Errors.of(ErrorCodes.notMember, 'You are not a member of this room', 403);
    if (actor.roles.includes('guest') && !actor.roles.includes('user')) throw Errors.forbidden('Guests cannot add members');
    if (room.t === 'p' && !RoomPolicy.isRoomModerator(actor, sub)) throw Errors.forbidden('Only owners and moderators can add members');
  },
  assertCanKick(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null, target: SubscriptionDoc): void {
    if (room.t === 'd') throw Errors.invalid('Members of a direct message cannot be changed');
    if (can(actor, 'remove-user-from-any-room')) return;
    if (!RoomPolicy.isRoomModerator(actor, sub)) throw Errors.forbidden('Only owners and moderators can remove members');
    if (target.roles.includes('owner') && !RoomPolicy.isOwner(sub)) throw Errors.forbidden('Only an owner can remove an owner');
  },
  assertCanEdit(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null): void {
    if (room.t === 'd') throw Errors.invalid('Direct messages have no name or topic');
    if (can(actor, 'edit-any-room')) return;
    if (!RoomPolicy.isRoomModerator(actor, sub)) throw Errors.forbidden('Only owners and moderators can change the room');
  },
  assertCanArchiveOrDelete(actor: Actor, room: RoomDoc, sub: SubscriptionDoc | null, what: 'archive' | 'delete'): void {
    if (can(actor, what === 'archive' ? 'archive-any-room' : 'delete-any-room')) return;
    if (room.t === 'd' && what === 'delete') throw Errors.forbidden('Only an admin can delete a direct message');
    if (!RoomPolicy.isOwner(sub)) throw Errors.forbidden(`Only an owner or an admin can ${what} the room`);
  },
};
