import { errorMiddleware as serviceErrorMiddleware } from '@obmeet/service-kit';
import { CloudErrorCodes } from '@obmeet/contracts';
import type { Logger } from '../logger.js';

export { notFoundMiddleware } from '@obmeet/service-kit';

/** Maps every error to one shape: status + { success: false, error, errorType }. */
export function errorMiddleware(logger: Logger) {
  return serviceErrorMiddleware(logger, {
    headersFor: (err) =>
      err.status === 401 && err.errorType === CloudErrorCodes.invalidWorkspaceCredentials ? { 'WWW-Authenticate': 'Basic realm="obmeet-cloud workspace"' } : undefined,
  });
}
