import { Errors } from '../../errors.js';
import { can, type Actor } from '../accounts/index.js';
import type { IntegrationType } from './integrations.model.js';

const PERMISSION = {
  'webhook-incoming': 'manage-incoming-integrations',
  'webhook-outgoing': 'manage-outgoing-integrations',
} as const;

export const IntegrationsPolicy = {
  canManage(actor: Actor, type: IntegrationType): boolean {
    return can(actor, PERMISSION[type]);
  },
  assertCanManage(actor: Actor, type: IntegrationType): void {
    if (!IntegrationsPolicy.canManage(actor, type)) throw Errors.forbidden(`Permission "${PERMISSION[type]}" is required`);
  },
  manageableTypes(actor: Actor): IntegrationType[] {
    return (['webhook-incoming', 'webhook-outgoing'] as const).filter((t) => IntegrationsPolicy.canManage(actor, t));
  },
};
