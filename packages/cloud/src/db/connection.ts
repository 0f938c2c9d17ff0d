// One client per cloud process; the database name comes from CLOUD_MONGO_URL. Shared with the workspace server.
export { connectMongo, ensureIndexes, isDuplicateKey, pingDb, type IndexDecl } from '@obmeet/service-kit';
