import type { RoleName } from '@obmeet/contracts';

/**
 * The registry of every permission and the workspace roles that hold it.
 * Room-level roles (owner, moderator of one room) are checked by room policies.
 */
export const Permissions = {
  'create-c': ['admin', 'moderator', 'user', 'bot'],
  'create-p': ['admin', 'moderator', 'user', 'bot'],
  'create-d': ['admin', 'moderator', 'user', 'bot', 'guest'],
  'view-c-room': ['admin', 'moderator', 'user', 'bot'],
  'view-joined-room': ['admin', 'moderator', 'user', 'bot', 'guest'],
  'view-directory': ['admin', 'moderator', 'user', 'bot'],
  'view-user-list': ['admin', 'moderator', 'user', 'bot'],
  'edit-other-user-message': ['admin', 'moderator'],
  'delete-other-user-message': ['admin', 'moderator'],
  'add-user-to-any-room': ['admin'],
  'remove-user-from-any-room': ['admin'],
  'edit-any-room': ['admin'],
  'archive-any-room': ['admin'],
  'delete-any-room': ['admin'],
  'post-readonly': ['admin'],
  'pin-message': ['admin', 'moderator', 'user', 'bot'],
  'mention-all': ['admin', 'moderator', 'user', 'bot'],
  'view-user-administration': ['admin'],
  'view-room-administration': ['admin'],
  'create-user': ['admin'],
  'edit-other-user-active-status': ['admin'],
  'assign-roles': ['admin'],
  'manage-settings': ['admin'],
  'view-privileged-setting': ['admin'],
  'create-invite-links': ['admin'],
  'create-personal-access-tokens': ['admin', 'moderator', 'user', 'bot'],
  'manage-incoming-integrations': ['admin'],
  'manage-outgoing-integrations': ['admin'],
  /** register/unregister with the vendor cloud, statistics sharing */
  'manage-cloud': ['admin'],
  'view-outbound-log': ['admin'],
  'view-statistics': ['admin'],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof Permissions;

export function hasPermission(roles: readonly RoleName[], permission: Permission): boolean {
  const allowed: readonly RoleName[] = Permissions[permission];
  return roles.some((r) => allowed.includes(r));
}
