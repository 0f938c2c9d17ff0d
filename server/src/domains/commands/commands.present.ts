import type { CommandDto, EphemeralMessageDto, MessageAttachment } from '@obmeet/contracts';
import type { CommandDefinition } from './commands.model.js';

export function presentCommand(def: CommandDefinition): CommandDto {
  return {
    command: def.command,
    description: def.description,
    params: def.params,
    ...(def.permission ? { permission: def.permission } : {}),
  };
}

/** The sender shown on ephemeral replies. */
export const EPHEMERAL_SENDER = { _id: 'obmeet', username: 'obmeet' } as const;

export function ephemeralMessage(input: {
  _id: string;
  rid: string;
  tmid?: string;
  text: string;
  attachments?: MessageAttachment[];
  command?: string;
  ts: Date;
  replaces?: boolean;
}): EphemeralMessageDto {
  return {
    _id: input._id,
    rid: input.rid,
    ...(input.tmid ? { tmid: input.tmid } : {}),
    msg: input.text,
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    ts: input.ts.toISOString(),
    u: { ...EPHEMERAL_SENDER },
    private: true,
    ...(input.command ? { command: input.command } : {}),
    ...(input.replaces ? { replaces: true } : {}),
  };
}
