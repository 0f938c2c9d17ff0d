import { runService } from '@obmeet/service-kit';
import { loadConfig } from './config/config.js';
import { missingGoMessage } from './db/embedded.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

await runService({
  loadConfig,
  createLogger: (config) => createLogger(config.logLevel),
  start: startServer,
  // without Go (and without MONGO_URL) the embedded database cannot be built: say so plainly
  plainFailure: async (err) => {
    const message = (err as Error)?.message ?? String(err);
    return message === (await missingGoMessage()) ? message : undefined;
  },
});
