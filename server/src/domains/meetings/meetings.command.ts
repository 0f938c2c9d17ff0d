import type { CommandDefinition } from '../commands/index.js';
import { joinPath } from './meetings.present.js';
import type { MeetingsService } from './meetings.service.js';

/** `/meet [title]`: starts a meeting in the room; the meeting message is posted by the service. */
export function meetCommand(meetings: MeetingsService): CommandDefinition {
  return {
    command: 'meet',
    description: 'Start a meeting in this room',
    params: '[title]',
    owner: 'meetings',
    async handler(ctx) {
      const title = ctx.params.trim().slice(0, 200);
      const m = await meetings.create(ctx.actor, { rid: ctx.room._id, ...(title ? { title } : {}) });
      return { response_type: 'ephemeral', text: `Meeting started: ${meetings.options.siteUrl}${joinPath(m.token!)}` };
    },
  };
}
