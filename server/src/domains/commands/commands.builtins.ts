import { Errors } from '../../errors.js';
import type { AccountsService, UserDoc } from '../accounts/index.js';
import type { MessagesService } from '../messages/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { CommandDefinition, CommandReply } from './commands.model.js';

const SHRUG = '¯\\_(ツ)_/¯';
const TOPIC_MAX = 500;

/** `@name` or `name` → name; anything else is a usage error. */
function usernameParam(raw: string | undefined, usage: string): string {
  const name = raw?.replace(/^@/, '');
  if (!name || !/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(name)) throw Errors.invalid(`Usage: ${usage}`);
  return name;
}

function roomParam(raw: string | undefined, usage: string): string {
  const name = raw?.replace(/^#/, '');
  if (!name || /\s/.test(name)) throw Errors.invalid(`Usage: ${usage}`);
  return name;
}

const ephemeral = (text: string): CommandReply => ({ response_type: 'ephemeral', text });

/**
 * The built-in commands. Each one calls the same service method as the REST endpoint it mirrors,
 * so permissions and side effects (system messages, events) are the same.
 */
export function builtinCommands(deps: { rooms: RoomsService; messages: MessagesService; accounts: AccountsService }): CommandDefinition[] {
  const { rooms, messages, accounts } = deps;

  const requireUser = async (username: string): Promise<UserDoc> => {
    const user = await accounts.findByUsername(username);
    if (!user) throw Errors.notFound(`User @${username}`);
    return user;
  };

  return [
    {
      command: 'join',
      description: 'Join a channel',
      params: '#channel',
      permission: 'view-c-room',
      async handler({ actor, params }) {
        const name = roomParam(params.split(/\s+/)[0], '/join #channel');
        const room = await rooms.roomByName(name).catch(() => {
          throw Errors.notFound(`Channel #${name}`);
        });
        await rooms.join(actor, room._id).catch((err: unknown) => {
          // a private group you may not see must look like one that does not exist
          if ((err as { status?: number }).status === 404) throw Errors.notFound(`Channel #${name}`);
          throw err;
        });
        return ephemeral(`You joined #${room.name ?? name}.`);
      },
    },
    {
      command: 'leave',
      description: 'Leave this room',
      params: '',
      async handler({ actor, room }) {
        await rooms.leave(actor, room._id);
        return ephemeral(room.t === 'd' ? 'The conversation is hidden.' : `You left #${room.name ?? ''}.`);
      },
    },
    {
      command: 'invite',
      description: 'Invite a user to this room',
      params: '@user',
      async handler({ actor, room, params }) {
        const names = params.split(/\s+/).filter(Boolean);
        if (!names.length) throw Errors.invalid('Usage: /invite @user');
        const users = [];
        for (const n of names.slice(0, 20)) users.push(await requireUser(usernameParam(n, '/invite @user')));
        for (const u of users) await rooms.invite(actor, room._id, u._id);
        return ephemeral(`Invited ${users.map((u) => `@${u.username}`).join(', ')}.`);
      },
    },
    {
      command: 'kick',
      description: 'Remove a user from this room',
      params: '@user',
      async handler({ actor, room, params }) {
        const user = await requireUser(usernameParam(params.split(/\s+/)[0], '/kick @user'));
        await rooms.kick(actor, room._id, user._id);
        return ephemeral(`Removed @${user.username}.`);
      },
    },
    {
      command: 'topic',
      description: 'Set the topic of this room',
      params: 'text',
      async handler({ actor, room, params }) {
        if (params.length > TOPIC_MAX) throw Errors.invalid(`A topic has at most ${TOPIC_MAX} characters`);
        await rooms.setTopic(actor, room._id, params);
        return ephemeral(params ? `Topic set to: ${params}` : 'Topic cleared.');
      },
    },
    {
      command: 'me',
      description: 'Post an action message',
      params: 'text',
      async handler({ params }) {
        if (!params) throw Errors.invalid('Usage: /me text');
        return { response_type: 'in_channel', text: params, action: true };
      },
    },
    {
      command: 'shrug',
      description: `Append ${SHRUG} to your message`,
      params: 'text',
      async handler({ params }) {
        return { response_type: 'in_channel', text: params ? `${params} ${SHRUG}` : SHRUG };
      },
    },
    {
      command: 'mute',
      description: 'Mute notifications for this room',
      params: '',
      async handler({ actor, room }) {
        await rooms.setFlags(actor, room._id, { muted: true });
        return ephemeral('Notifications for this room are muted.');
      },
    },
    {
      command: 'unmute',
      description: 'Unmute notifications for this room',
      params: '',
      async handler({ actor, room }) {
        await rooms.setFlags(actor, room._id, { muted: false });
        return ephemeral('Notifications for this room are on again.');
      },
    },
    {
      command: 'archive',
      description: 'Archive this room (or #room)',
      params: '[#room]',
      async handler({ actor, room, params }) {
        let target = room;
        if (params) {
          const name = roomParam(params.split(/\s+/)[0], '/archive [#room]');
          target = await rooms.roomByName(name);
          await rooms.requireReadable(actor, target._id);
        }
        await rooms.setArchived(actor, target._id, true);
        return ephemeral(`#${target.name ?? ''} is archived.`);
      },
    },
    {
      command: 'msg',
      description: 'Send a direct message',
      params: '@user text',
      permission: 'create-d',
      async handler({ actor, params }) {
        const m = /^(\S+)\s+([\s\S]+)$/.exec(params);
        if (!m) throw Errors.invalid('Usage: /msg @user text');
        const user = await requireUser(usernameParam(m[1], '/msg @user text'));
        const dm = await rooms.createDirect(actor, [user.username]);
        await messages.send(actor, { rid: dm._id, msg: m[2]!.trim() });
        return ephemeral(`Sent to @${user.username}.`);
      },
    },
  ];
}
