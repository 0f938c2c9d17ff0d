import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCodes } from '@obmeet/contracts';

/**
 * Services throw these; one middleware maps them to HTTP (architecture rule 6). Each service
 * narrows `C` to the error codes it may answer with (its subclass), the middleware takes any.
 */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly errorType: C,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorMiddlewareOptions {
  /** what may be logged of a request path (a path can hold a secret, e.g. a webhook token) */
  loggablePath?: (path: string) => string;
  /** extra headers for an error answer, e.g. WWW-Authenticate */
  headersFor?: (err: AppError) => Record<string, string> | undefined;
}

/** Maps every error to one shape: status + { success: false, error, errorType, details? }. */
export function errorMiddleware(logger: Logger, options: ErrorMiddlewareOptions = {}) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSec?: unknown } | undefined)?.retryAfterSec;
      if (err.status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      for (const [name, value] of Object.entries(options.headersFor?.(err) ?? {})) res.setHeader(name, value);
      res.status(err.status).json({ success: false, error: err.message, errorType: err.errorType, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    const e = err as { type?: string; status?: number };
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
    logger.error({ err, path: options.loggablePath ? options.loggablePath(req.path) : req.path }, 'unhandled error');
    res.status(500).json({ success: false, error: 'Internal server error', errorType: ErrorCodes.internal });
  };
}

export function notFoundMiddleware(_req: Request, res: Response): void {
  res.status(404).json({ success: false, error: 'No such endpoint', errorType: ErrorCodes.notFound });
}
