import type { Request, Router } from 'express';
import type { ZodTypeAny, z } from 'zod';
import { RoomAutocompleteSelector, SearchQuery, UserAutocompleteSelector } from '@obmeet/contracts';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';

/** `?selector=<JSON>`: parsed, then checked with its schema. */
function selector<S extends ZodTypeAny>(req: Request, schema: S): z.infer<S> {
  const raw = req.query.selector;
  if (raw === undefined) return parse(schema, {});
  if (typeof raw !== 'string' || raw.length > 1000) throw Errors.invalid('selector must be a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw Errors.invalid('selector must be a JSON object');
  }
  return parse(schema, value);
}

export function searchRoutes(r: Router): void {
  r.get('/chat.search', requireAuth, route(async (req) => {
    const q = parse(SearchQuery, req.query);
    const { messages, hasMore } = await req.workspace.search.search(actor(req), q);
    return { messages, count: messages.length, offset: q.offset, hasMore };
  }));

  r.get('/rooms.autocomplete.channelAndPrivate', requireAuth, route(async (req) => {
    const { name } = selector(req, RoomAutocompleteSelector);
    return { items: await req.workspace.search.autocompleteRooms(actor(req), name) };
  }));

  r.get('/users.autocomplete', requireAuth, route(async (req) => {
    const { term } = selector(req, UserAutocompleteSelector);
    return { items: await req.workspace.search.autocompleteUsers(actor(req), term) };
  }));
}
