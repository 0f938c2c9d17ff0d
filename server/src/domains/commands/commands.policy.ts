import { can, type Actor } from '../accounts/index.js';
import type { CommandDefinition } from './commands.model.js';

/** Who may use a command. What the command then does is checked by the service it calls (same rules as REST). */
export const CommandPolicy = {
  canUse(actor: Actor, def: CommandDefinition): boolean {
    return !def.permission || can(actor, def.permission);
  },
};
