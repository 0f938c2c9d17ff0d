export { PushService, type RetryPolicy } from './push.service.js';
export { PushStore } from './push.store.js';
export { pushRoutes } from './push.routes.js';
export { pushIndexes } from './push.model.js';
export { REJECTED_CODES, TRANSIENT_CODES, type PushMessage, type PushOutcome, type PushTransport } from './push.transport.js';
