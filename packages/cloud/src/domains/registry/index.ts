export { RegistryService, type RegistryHooks, type RegistryEvent } from './registry.service.js';
export { RegistryStore } from './registry.store.js';
export { registryRoutes } from './registry.routes.js';
export { presentWorkspace } from './registry.present.js';
export { registryIndexes, type WorkspaceDoc } from './registry.model.js';
