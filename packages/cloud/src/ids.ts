// Ids and secrets are shared with the workspace server. Cloud secrets carry a prefix
// (ort_ registration token, ocs_ client secret, ocv_ console token) so leaked ones are easy to spot.
export { newId, newSecret, sameHash, sha256 } from '@obmeet/service-kit';
