export { AccountsService } from './accounts.service.js';
export { AccountsStore } from './accounts.store.js';
export { accountsRoutes } from './accounts.routes.js';
export { presentAccount } from './accounts.present.js';
export { accountIndexes, type AccountDoc } from './accounts.model.js';
