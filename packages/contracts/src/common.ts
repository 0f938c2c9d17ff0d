import { z } from 'zod';

/** Ids are opaque strings: letters, digits, `_` and `-` only (never objects: no operator injection). */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'invalid id');
export const Username = z
  .string()
  .min(2)
  .max(32)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'letters, digits, dot, dash and underscore; starts with a letter or digit');
export const RoomName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s#@.$\u0000][^\s#@.$\u0000]*$/u, 'no spaces, #, @, . or $')
  // `d:` starts the unique key of a direct message (rooms.model.ts nameKey): a room named so could take its place
  .regex(/^(?![dD]:)/, 'may not start with "d:"');
export const Email = z.string().max(254).email();
export const Password = z.string().min(8).max(256);

/** Rocket.Chat paging: ?count=&offset= (strings in a query). */
export const Paging = z.object({
  count: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const RoleName = z.enum(['admin', 'moderator', 'user', 'guest', 'bot']);
export type RoleName = z.infer<typeof RoleName>;
