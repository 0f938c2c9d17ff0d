export { CloudLinkService } from './cloudlink.service.js';
export { CloudLinkStore } from './cloudlink.store.js';
export { cloudlinkIndexes, OUTBOUND_LOG, CLOUD_STATE, type OutboundLogDoc, type CloudRegistrationDoc } from './cloudlink.model.js';
export { EgressClient, type EgressRequest, type EgressPurpose, type EgressOptions } from './egress.js';
export { SecretBox, loadSecretsKey, SECRETS_KEY_FILE, type SealedSecret } from './secrets.js';
export { cloudlinkRoutes } from './cloudlink.routes.js';
