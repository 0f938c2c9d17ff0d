import type { UserDto } from '@obmeet/contracts';
import type { UserDoc } from './accounts.model.js';

/** User document → contract. Never the password hash; email only for the user or an admin. */
export function presentUser(u: UserDoc, opts: { withEmail: boolean }): UserDto {
  return {
    _id: u._id,
    username: u.username,
    name: u.name,
    ...(opts.withEmail ? { emails: [{ address: u.email, verified: u.emailVerified }] } : {}),
    roles: u.roles,
    type: u.type,
    active: u.active,
    ...(u.avatarUrl ? { avatarUrl: u.avatarUrl } : {}),
    status: u.status,
    createdAt: u.createdAt.toISOString(),
    // `withEmail` is the admin (or own) view; when someone last logged in is not for everyone
    ...(opts.withEmail && u.lastLoginAt ? { lastLogin: u.lastLoginAt.toISOString() } : {}),
  };
}
