import { loadConfig } from './config/config.js';
import { missingGoMessage } from './db/embedded.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

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
  const server = await startServer(config, logger);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  const message = (err as Error).message ?? String(err);
  if (message === (await missingGoMessage())) console.error(message);
  else logger.fatal({ err }, 'failed to start');
  process.exit(1);
}
