import { Errors } from '../../errors.js';
import type { UserDoc } from './accounts.model.js';
import { hasPermission, type Permission } from './permissions.js';

/** The caller of a service method: who, with which roles. */
export interface Actor {
  userId: string;
  username: string;
  roles: UserDoc['roles'];
  sessionId?: string;
}

export function can(actor: Actor, permission: Permission): boolean {
  return hasPermission(actor.roles, permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw Errors.forbidden(`Permission "${permission}" is required`);
}

export function actorOf(user: UserDoc, sessionId?: string): Actor {
  return { userId: user._id, username: user.username, roles: user.roles, sessionId };
}
