import { ErrorCodes, type CommandDto, type EphemeralMessageDto, type MessageDto, type RunCommandResult } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { AppError, Errors } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { newId } from '../../ids.js';
import type { Actor } from '../accounts/index.js';
import { sanitizeAttachments, type MessagesService } from '../messages/index.js';
import type { RoomDoc, RoomsService } from '../rooms/index.js';
import {
  DEFAULT_ACK_MS,
  FOLLOW_UP_MAX_USES,
  FOLLOW_UP_TTL_MS,
  type CommandDefinition,
  type CommandReply,
  type FollowUp,
} from './commands.model.js';
import { CommandPolicy } from './commands.policy.js';
import { ephemeralMessage, presentCommand } from './commands.present.js';

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface RunInput {
  command: string;
  params: string;
  roomId: string;
  tmid?: string;
  triggerId?: string;
}

/** Where a command's replies go: the caller, the room and thread it ran in. */
interface ReplyTarget {
  actor: Actor;
  room: RoomDoc;
  tmid?: string;
  command: string;
}

/**
 * The workspace's slash commands: a registry (built-ins, meetings and apps register through
 * `register`) and the runner that answers Slack-style, ephemeral or in the room.
 */
export class CommandsService {
  private readonly commands = new Map<string, CommandDefinition>();
  /** how long `run` waits for a handler before answering "working…" (tests shorten it) */
  ackMs = DEFAULT_ACK_MS;

  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  // ---- registry ------------------------------------------------------------------------------

  /** Adds a command; returns a function that removes it again (apps unregister when disabled). */
  register(def: CommandDefinition): () => void {
    const name = def.command.replace(/^\//, '').toLowerCase();
    if (!NAME_RE.test(name)) throw new Error(`Invalid command name "${def.command}"`);
    if (this.commands.has(name)) throw new Error(`The command /${name} is already registered`);
    const entry = { ...def, command: name };
    this.commands.set(name, entry);
    return () => {
      if (this.commands.get(name) === entry) this.commands.delete(name);
    };
  }

  unregister(name: string): void {
    this.commands.delete(name.replace(/^\//, '').toLowerCase());
  }

  has(name: string): boolean {
    return this.commands.has(name.replace(/^\//, '').toLowerCase());
  }

  /** The commands the caller may use, by name, optionally those starting with `query`. */
  list(actor: Actor, opts: { query?: string; offset: number; count: number }): { commands: CommandDto[]; total: number } {
    const q = opts.query?.replace(/^\//, '').toLowerCase();
    const usable = [...this.commands.values()]
      .filter((d) => CommandPolicy.canUse(actor, d) && (!q || d.command.startsWith(q)))
      .sort((a, b) => a.command.localeCompare(b.command));
    return { commands: usable.slice(opts.offset, opts.offset + opts.count).map(presentCommand), total: usable.length };
  }

  // ---- running -------------------------------------------------------------------------------

  async run(actor: Actor, input: RunInput): Promise<RunCommandResult> {
    const def = this.commands.get(input.command);
    if (!def) throw Errors.of(ErrorCodes.notFound, `There is no command /${input.command}`, 404);
    const { room } = await this.rooms.requireReadable(actor, input.roomId);
    if (!CommandPolicy.canUse(actor, def)) throw Errors.forbidden(`You may not use /${def.command}`);
    if (input.tmid) {
      const parent = await this.messages.getMessage(actor, input.tmid);
      if (parent.rid !== room._id) throw Errors.notFound('Thread');
    }
    const target: ReplyTarget = { actor, room, tmid: input.tmid, command: def.command };
    const followUp = this.followUp(target);

    const settled = def
      .handler({ actor, room, command: def.command, params: input.params.trim(), tmid: input.tmid, triggerId: input.triggerId, followUp })
      .then(
        (reply) => ({ ok: true as const, reply }),
        (err: unknown) => ({ ok: false as const, err }),
      );
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([settled, new Promise<null>((r) => (timer = setTimeout(() => r(null), this.ackMs)))]);
    clearTimeout(timer);

    if (first) {
      if (!first.ok) throw first.err;
      return this.deliverFirst(target, followUp, first.reply);
    }

    // slow: answer now, deliver the handler's reply through the follow-up when it comes
    const pending = await followUp.post({ response_type: 'ephemeral', text: `Working on /${def.command}…` });
    void settled.then(async (r) => {
      try {
        if (r.ok) await followUp.replace(r.reply);
        else await followUp.replace({ response_type: 'ephemeral', text: r.err instanceof AppError ? r.err.message : `/${def.command} failed` });
      } catch {
        // the caller may have left the room meanwhile: nothing else to tell them
      }
    });
    return { response_type: 'ephemeral', message: pending as EphemeralMessageDto, pending: true };
  }

  private async deliverFirst(target: ReplyTarget, followUp: FollowUp, reply: CommandReply): Promise<RunCommandResult> {
    const out = await followUp.post(reply);
    return reply.response_type === 'in_channel'
      ? { response_type: 'in_channel', message: out as MessageDto }
      : { response_type: 'ephemeral', message: out as EphemeralMessageDto };
  }

  /** Sends a reply only `userId` sees, on their sockets (and returns it for the HTTP answer). */
  sendEphemeral(userId: string, message: EphemeralMessageDto): EphemeralMessageDto {
    this.events.emit('message.ephemeral', { userId, message });
    return message;
  }

  private followUp(target: ReplyTarget): FollowUp {
    const expiresAt = new Date(this.clock.now().getTime() + FOLLOW_UP_TTL_MS);
    let uses = 0;
    // the latest reply of each kind, which `replace` swaps
    const last: { ephemeral?: string; in_channel?: string } = {};
    const use = () => {
      if (this.clock.now() > expiresAt || uses >= FOLLOW_UP_MAX_USES) throw Errors.forbidden('This command can no longer reply');
      uses++;
    };
    const deliver = async (reply: CommandReply, replace: boolean): Promise<EphemeralMessageDto | MessageDto> => {
      use();
      const kind = reply.response_type ?? 'ephemeral';
      if (kind === 'ephemeral') {
        const same = replace && last.ephemeral !== undefined;
        const id = same ? last.ephemeral! : newId();
        last.ephemeral = id;
        return this.sendEphemeral(
          target.actor.userId,
          ephemeralMessage({
            _id: id,
            rid: target.room._id,
            tmid: target.tmid,
            text: reply.text,
            attachments: sanitizeAttachments(reply.attachments),
            command: target.command,
            ts: this.clock.now(),
            replaces: same,
          }),
        );
      }
      if (replace && last.in_channel) {
        return this.messages.update(target.actor, target.room._id, last.in_channel, reply.text);
      }
      const message = await this.messages.send(target.actor, {
        rid: target.room._id,
        msg: reply.text,
        ...(target.tmid ? { tmid: target.tmid } : {}),
        ...(reply.attachments?.length ? { attachments: reply.attachments } : {}),
        ...(reply.action ? { action: true } : {}),
      });
      last.in_channel = message._id;
      return message;
    };
    return {
      expiresAt,
      post: (reply) => deliver(reply, false),
      replace: (reply) => deliver(reply, true),
    };
  }
}
