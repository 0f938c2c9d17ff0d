import type { NextFunction, Request, Response } from 'express';
import { ErrorCodes } from '@obmeet/contracts';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Maps every error to one shape: status + { success: false, error, errorType }. */
export function errorMiddleware(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof AppError) {
      if (err.status === 429 && typeof (err.details as { retryAfterSec?: number })?.retryAfterSec === 'number') {
        res.setHeader('Retry-After', String((err.details as { retryAfterSec: number }).retryAfterSec));
      }
      res.status(err.status).json({ success: false, error: err.message, errorType: err.errorType, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ success: false, error: 'The request body is too large', errorType: ErrorCodes.payloadTooLarge });
      return;
    }
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ success: false, error: 'The request body is not valid JSON', errorType: ErrorCodes.invalidInput });
      return;
    }
    if (e?.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ success: false, error: 'Bad request', errorType: ErrorCodes.invalidInput });
      return;
    }
    // the path may hold a webhook token: log the route shape only
    logger.error({ err, path: req.path.replace(/^\/hooks\/([^/]+)\/[^/]+/, '/hooks/$1/[redacted]') }, 'unhandled error');
    res.status(500).json({ success: false, error: 'Internal server error', errorType: ErrorCodes.internal });
  };
}

export function notFoundMiddleware(_req: Request, res: Response): void {
  res.status(404).json({ success: false, error: 'No such endpoint', errorType: ErrorCodes.notFound });
}
