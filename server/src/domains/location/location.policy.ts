import { ErrorCodes } from '@obmeet/contracts';
import { AppError } from '../../errors.js';

export const LocationPolicy = {
  assertEnabled(enabled: boolean): void {
    if (!enabled) throw new AppError(ErrorCodes.locationDisabled, 'Location sharing is disabled on this workspace', 403);
  },
};
