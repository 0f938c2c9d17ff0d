export { startServer, VERSION, type RunningServer } from './server.js';
export { loadConfig, type Config } from './config/config.js';
export { createLogger } from './logger.js';
export { Workspace } from './workspace/workspace.js';
export { connectMongo } from './db/connection.js';
export { startEmbeddedDatabase, freeLoopbackPort, repoRoot } from './db/embedded.js';
export type { Clock } from './clock.js';
