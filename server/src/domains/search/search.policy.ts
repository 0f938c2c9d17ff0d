import { can, type Actor } from '../accounts/index.js';
import type { RoomDoc } from '../rooms/index.js';

/** Which rooms a search may look into: the caller's rooms, and public channels when they may view them. */
export const SearchPolicy = {
  mayReadUnjoined(actor: Actor, room: RoomDoc): boolean {
    return room.t === 'c' && can(actor, 'view-c-room');
  },
  maySearchDirectory(actor: Actor): boolean {
    return can(actor, 'view-c-room') && can(actor, 'view-directory');
  },
};
