export { PushService, type PushOptions, type PushOutcome } from './push.service.js';
export { PushStore } from './push.store.js';
export { pushIndexes, type PushTokenDoc, type PushPrefsDoc } from './push.model.js';
export { presentPushToken } from './push.present.js';
export { pushPayload, fullNotification, senderNotification, truncateBytes } from './push.content.js';
export { nobodyActive, unregisteredGateway, type PresencePort, type PushGateway } from './push.gateway.js';
