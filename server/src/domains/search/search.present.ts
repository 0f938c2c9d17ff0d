import type { RoomAutocompleteItem, UserAutocompleteItem } from '@obmeet/contracts';
import type { UserDoc } from '../accounts/index.js';
import type { RoomDoc } from '../rooms/index.js';

export function presentRoomItem(r: RoomDoc): RoomAutocompleteItem {
  return { _id: r._id, name: r.name ?? '', ...(r.fname ? { fname: r.fname } : {}), t: r.t as 'c' | 'p' };
}

export function presentUserItem(u: UserDoc): UserAutocompleteItem {
  return { _id: u._id, username: u.username, name: u.name, ...(u.status ? { status: u.status } : {}), ...(u.avatarUrl ? { avatarUrl: u.avatarUrl } : {}) };
}
