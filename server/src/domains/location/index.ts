export { LocationService } from './location.service.js';
export { openStreetMapUrl } from './location.present.js';
