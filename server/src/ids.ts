// Ids and secrets are shared with the vendor cloud service.
export { newId, newSecret, sha256 } from '@obmeet/service-kit';
