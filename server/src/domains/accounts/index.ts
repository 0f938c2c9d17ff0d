export { AccountsService } from './accounts.service.js';
export { AccountsStore } from './accounts.store.js';
export { presentUser } from './accounts.present.js';
export { actorOf, can, requirePermission, type Actor } from './accounts.policy.js';
export { Permissions, hasPermission, type Permission } from './permissions.js';
export type { UserDoc, SessionDoc } from './accounts.model.js';
export { accountIndexes } from './accounts.model.js';
