import { ErrorCodes } from '@obmeet/contracts';
import { AppError } from '../../errors.js';
import { matchesPatterns, type DetectedType } from './files.types.js';

/** What may be uploaded. Who may upload is the room's posting rule (RoomPolicy.assertCanPost). */
export const FilePolicy = {
  assertTypeAllowed(detected: DetectedType, settings: { allowedTypes: string; blockedTypes: string }): void {
    if (!detected.matchesName) {
      throw new AppError(ErrorCodes.unsupportedMediaType, `The file's content (${detected.type}) does not match its name`, 415);
    }
    if (matchesPatterns(detected.type, settings.blockedTypes)) {
      throw new AppError(ErrorCodes.unsupportedMediaType, `Files of type ${detected.type} are not allowed`, 415);
    }
    if (settings.allowedTypes.trim() && !matchesPatterns(detected.type, settings.allowedTypes)) {
      throw new AppError(ErrorCodes.unsupportedMediaType, `Files of type ${detected.type} are not allowed`, 415);
    }
  },
  tooLarge(max: number): AppError {
    return new AppError(ErrorCodes.payloadTooLarge, `The file is larger than ${max} bytes`, 413);
  },
};
