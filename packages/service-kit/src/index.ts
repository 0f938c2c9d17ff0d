export { AppError, errorMiddleware, notFoundMiddleware, type ErrorMiddlewareOptions } from './errors.js';
export { connectMongo, databaseNameFromUrl, ensureIndexes, isDuplicateKey, pingDb, type IndexDecl } from './mongo.js';
export { newId, newSecret, sameHash, sha256 } from './ids.js';
export { HttpMetrics } from './http-metrics.js';
export { runService } from './process.js';
