import { ErrorCodes, type ErrorCode } from '@obmeet/contracts';
import { AppError as ServiceError } from '@obmeet/service-kit';

/** Services throw these; one middleware maps them to HTTP (architecture rule 6). */
export class AppError extends ServiceError<ErrorCode> {}

export const Errors = {
  invalid: (message: string, details?: unknown) => new AppError(ErrorCodes.invalidInput, message, 400, details),
  unauthorized: (message = 'You must be logged in') => new AppError(ErrorCodes.unauthorized, message, 401),
  forbidden: (message = 'Not allowed') => new AppError(ErrorCodes.forbidden, message, 403),
  notFound: (what: string) => new AppError(ErrorCodes.notFound, `${what} not found`, 404),
  conflict: (code: ErrorCode, message: string) => new AppError(code, message, 409),
  rateLimited: (retryAfterSec: number) =>
    new AppError(ErrorCodes.rateLimited, `Too many attempts; try again in ${retryAfterSec} s`, 429, { retryAfterSec }),
  of: (code: ErrorCode, message: string, status = 400) => new AppError(code, message, status),
};
