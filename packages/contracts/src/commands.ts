import { z } from 'zod';
import { Id, Paging } from './common.js';
import type { MessageAttachment, MessageDto } from './messages.js';

/** A command name as typed after `/`: lower-case letters, digits, `-` and `_`. */
export const CommandName = z
  .string()
  .min(1)
  .max(32)
  .transform((c) => c.replace(/^\//, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a command name like "topic"'));

export const CommandsListQuery = Paging.extend({ query: z.string().max(32).optional() });

export const RunCommandBody = z
  .object({
    command: CommandName,
    params: z.string().max(5000).default(''),
    roomId: Id,
    tmid: Id.optional(),
    triggerId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/).optional(),
  })
  .strict();
export type RunCommandBody = z.infer<typeof RunCommandBody>;

export interface CommandDto {
  command: string;
  description: string;
  params: string;
  permission?: string;
}

/** What only the caller sees (Slack's `ephemeral` response), delivered in the HTTP reply and on `message.ephemeral`. */
export interface EphemeralMessageDto {
  _id: string;
  rid: string;
  tmid?: string;
  msg: string;
  attachments?: MessageAttachment[];
  ts: string;
  u: { _id: string; username: string };
  private: true;
  /** the command that produced it, without the slash */
  command?: string;
  /** true when this replaces an earlier ephemeral message with the same `_id` (a follow-up) */
  replaces?: boolean;
}

/** The result of `commands.run`. */
export type RunCommandResult =
  | { response_type: 'ephemeral'; message: EphemeralMessageDto; pending?: true }
  | { response_type: 'in_channel'; message: MessageDto };
