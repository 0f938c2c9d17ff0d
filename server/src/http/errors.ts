import { errorMiddleware as serviceErrorMiddleware } from '@obmeet/service-kit';
import type { Logger } from '../logger.js';

export { notFoundMiddleware } from '@obmeet/service-kit';

/** Maps every error to one shape: status + { success: false, error, errorType }. */
export function errorMiddleware(logger: Logger) {
  // the path may hold a webhook token: log the route shape only
  return serviceErrorMiddleware(logger, { loggablePath: (path) => path.replace(/^\/hooks\/([^/]+)\/[^/]+/, '/hooks/$1/[redacted]') });
}
