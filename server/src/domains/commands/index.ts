export { CommandsService, type RunInput } from './commands.service.js';
export { builtinCommands } from './commands.builtins.js';
export { CommandPolicy } from './commands.policy.js';
export { presentCommand, ephemeralMessage } from './commands.present.js';
export type { CommandContext, CommandDefinition, CommandReply, FollowUp } from './commands.model.js';
