// The connection helpers are shared with the vendor cloud service.
export { connectMongo, databaseNameFromUrl, isDuplicateKey, pingDb } from '@obmeet/service-kit';
