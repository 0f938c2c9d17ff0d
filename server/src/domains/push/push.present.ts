import type { PushTokenDto } from '@obmeet/contracts';
import type { PushTokenDoc } from './push.model.js';

export function presentPushToken(t: PushTokenDoc): PushTokenDto {
  return {
    _id: t._id,
    type: t.type,
    value: t.value,
    appName: t.appName,
    createdAt: t.createdAt.toISOString(),
    _updatedAt: t.updatedAt.toISOString(),
  };
}
