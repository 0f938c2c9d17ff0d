import type { IntegrationDto } from '@obmeet/contracts';
import type { IntegrationDoc } from './integrations.model.js';

/** Never includes the incoming token (only its hash is stored) nor the outgoing signing secret. */
export function presentIntegration(d: IntegrationDoc): IntegrationDto {
  return {
    _id: d._id,
    type: d.type,
    name: d.name,
    enabled: d.enabled,
    userId: d.userId,
    username: d.username,
    ...(d.alias ? { alias: d.alias } : {}),
    ...(d.avatar ? { avatar: d.avatar } : {}),
    createdAt: d.createdAt.toISOString(),
    _updatedAt: d.updatedAt.toISOString(),
    createdBy: d.createdBy,
    ...(d.type === 'webhook-incoming'
      ? { roomId: d.rid }
      : { roomIds: d.rids ?? [], triggerWords: d.triggerWords ?? [], url: d.url, token: d.token }),
    ...(d.lastDelivery
      ? {
          lastDelivery: {
            at: d.lastDelivery.at.toISOString(),
            ok: d.lastDelivery.ok,
            attempts: d.lastDelivery.attempts,
            ...(d.lastDelivery.status !== undefined ? { status: d.lastDelivery.status } : {}),
            ...(d.lastDelivery.error ? { error: d.lastDelivery.error } : {}),
          },
        }
      : {}),
  };
}

/** The secret URL path of an incoming hook. */
export function incomingHookPath(id: string, token: string): string {
  return `/hooks/${id}/${token}`;
}
