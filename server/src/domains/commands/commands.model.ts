import type { EphemeralMessageDto, MessageAttachment, MessageDto } from '@obmeet/contracts';
import type { Actor, Permission } from '../accounts/index.js';
import type { RoomDoc } from '../rooms/index.js';

/**
 * Slash commands are not stored: the registry lives in memory, one per workspace, filled by the
 * built-ins at start and by meetings and apps when they load. These are its shapes.
 */

/** What a handler answers: Slack's `response_type` (default `ephemeral`) and the text. */
export interface CommandReply {
  response_type?: 'ephemeral' | 'in_channel';
  text: string;
  attachments?: MessageAttachment[];
  /** in_channel only: post as an action message (`/me`) */
  action?: boolean;
}

/**
 * Slack's `response_url`, in process: lets a handler answer later (slow work) or more than once.
 * Valid for FOLLOW_UP_TTL_MS and FOLLOW_UP_MAX_USES uses.
 */
export interface FollowUp {
  /** posts another reply (ephemeral: a new one only the caller sees; in_channel: a new message) */
  post(reply: CommandReply): Promise<EphemeralMessageDto | MessageDto>;
  /** replaces the previous reply of the same kind (ephemeral: same `_id`; in_channel: edits the message), else posts */
  replace(reply: CommandReply): Promise<EphemeralMessageDto | MessageDto>;
  readonly expiresAt: Date;
}

export interface CommandContext {
  actor: Actor;
  /** the room the command was typed in (the caller may read it) */
  room: RoomDoc;
  command: string;
  params: string;
  tmid?: string;
  triggerId?: string;
  followUp: FollowUp;
}

export interface CommandDefinition {
  /** the name without the slash, lower case */
  command: string;
  description: string;
  /** hint shown after the name, e.g. "@user" */
  params: string;
  /** a workspace permission the caller needs; room-level rules are checked by the services the handler calls */
  permission?: Permission;
  /** who registered it: 'builtin', 'meetings', 'app:<id>' */
  owner?: string;
  handler(ctx: CommandContext): Promise<CommandReply>;
}

export const FOLLOW_UP_TTL_MS = 30 * 60_000;
export const FOLLOW_UP_MAX_USES = 5;
/** a handler slower than this gets a "working…" reply and answers through its follow-up */
export const DEFAULT_ACK_MS = 2500;
