export { IntegrationsService, matchTrigger, signBody, type IntegrationsOptions } from './integrations.service.js';
export { IntegrationsStore } from './integrations.store.js';
export { IntegrationsPolicy } from './integrations.policy.js';
export { presentIntegration, incomingHookPath } from './integrations.present.js';
export { integrationIndexes, type IntegrationDoc } from './integrations.model.js';
