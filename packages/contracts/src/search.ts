import { z } from 'zod';
import { Id } from './common.js';

/**
 * chat.search: `searchText` holds words (all must match; case and accents ignored; the last word
 * also matches as a prefix) and operators: `from:@user`, `in:#room`, `has:file`,
 * `has:location`, `before:YYYY-MM-DD`, `after:YYYY-MM-DD`, `on:YYYY-MM-DD` (days in UTC).
 */
export const SearchQuery = z.object({
  roomId: Id.optional(),
  searchText: z.string().max(500),
  count: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});

/** `?selector={"name":"abc"}` (JSON in the query string, as Rocket.Chat). */
export const RoomAutocompleteSelector = z.object({ name: z.string().max(64).default('') }).passthrough();
/** `?selector={"term":"abc"}` */
export const UserAutocompleteSelector = z.object({ term: z.string().max(64).default('') }).passthrough();

export interface RoomAutocompleteItem {
  _id: string;
  name: string;
  fname?: string;
  t: 'c' | 'p';
}
export interface UserAutocompleteItem {
  _id: string;
  username: string;
  name: string;
  status?: string;
  avatarUrl?: string;
}
