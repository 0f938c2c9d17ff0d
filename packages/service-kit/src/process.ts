import type { Logger } from 'pino';

/**
 * The entry point of a service process: load the configuration (a bad one is a plain message on
 * stderr and exit 1), start, stop cleanly on SIGINT/SIGTERM.
 */
export async function runService<C>(o: {
  loadConfig: () => C;
  createLogger: (config: C) => Logger;
  start: (config: C, logger: Logger) => Promise<{ close(): Promise<void> }>;
  /** a start failure that is the user's to fix: print it plainly instead of a fatal log */
  plainFailure?: (err: unknown) => Promise<string | undefined>;
}): Promise<void> {
  let config: C;
  try {
    config = o.loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = o.createLogger(config);
  try {
    const service = await o.start(config, logger);
    const stop = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await service.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    const plain = await o.plainFailure?.(err);
    if (plain) console.error(plain);
    else logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
}
