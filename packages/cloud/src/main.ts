import { runService } from '@obmeet/service-kit';
import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { startCloud } from './cloud.js';

await runService({ loadConfig, createLogger: (config) => createLogger(config.logLevel), start: startCloud });
