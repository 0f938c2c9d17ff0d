import type { MessageDto, RoomAutocompleteItem, UserAutocompleteItem } from '@obmeet/contracts';
import { get } from './http';

type Ok<T> = { success: true } & T;

export const searchApi = {
  /** words plus operators (from:@user in:#room has:file has:location on:/before:/after:YYYY-MM-DD), newest first */
  messages: (searchText: string, options: { roomId?: string; count?: number; offset?: number } = {}) =>
    get<Ok<{ messages: MessageDto[]; count: number; offset: number; hasMore: boolean }>>('chat.search', {
      searchText,
      roomId: options.roomId,
      count: options.count ?? 20,
      offset: options.offset ?? 0,
    }),
  rooms: (name: string) =>
    get<Ok<{ items: RoomAutocompleteItem[] }>>('rooms.autocomplete.channelAndPrivate', { selector: JSON.stringify({ name }) }),
  users: (term: string) => get<Ok<{ items: UserAutocompleteItem[] }>>('users.autocomplete', { selector: JSON.stringify({ term }) }),
};
