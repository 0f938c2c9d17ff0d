import { CloudErrorCodes, ErrorCodes, type CloudErrorCode, type ErrorCode } from '@obmeet/contracts';
import { AppError as ServiceError } from '@obmeet/service-kit';

export type AnyErrorCode = ErrorCode | CloudErrorCode;

/** Services throw these; one middleware maps them to HTTP. */
export class AppError extends ServiceError<AnyErrorCode> {}

export const Errors = {
  invalid: (message: string, details?: unknown) => new AppError(ErrorCodes.invalidInput, message, 400, details),
  unauthorized: (message = 'You must be signed in') => new AppError(ErrorCodes.unauthorized, message, 401),
  forbidden: (message = 'Not allowed') => new AppError(ErrorCodes.forbidden, message, 403),
  notFound: (what: string) => new AppError(ErrorCodes.notFound, `${what} not found`, 404),
  conflict: (code: AnyErrorCode, message: string) => new AppError(code, message, 409),
  rateLimited: (retryAfterSec: number) =>
    new AppError(ErrorCodes.rateLimited, `Too many requests; try again in ${retryAfterSec} s`, 429, { retryAfterSec }),
  invalidCredentials: () => new AppError(ErrorCodes.invalidCredentials, 'Incorrect email or password', 401),
  invalidWorkspaceCredentials: () =>
    new AppError(CloudErrorCodes.invalidWorkspaceCredentials, 'Invalid workspace credentials', 401),
  invalidRegistrationToken: (message: string) => new AppError(CloudErrorCodes.invalidRegistrationToken, message, 400),
  of: (code: AnyErrorCode, message: string, status = 400, details?: unknown) => new AppError(code, message, status, details),
};
