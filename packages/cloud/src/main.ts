import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { startCloud } from './cloud.js';

const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
})();
const logger = createLogger(config.logLevel);

try {
  const cloud = await startCloud(config, logger);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await cloud.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  logger.fatal({ err }, 'failed to start');
  process.exit(1);
}
