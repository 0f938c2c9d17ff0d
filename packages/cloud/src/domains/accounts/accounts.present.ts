import type { CloudAccount } from '@obmeet/contracts';
import type { AccountDoc } from './accounts.model.js';

/** Account document → API shape (never the password hash). */
export function presentAccount(a: AccountDoc): CloudAccount {
  return { id: a._id, email: a.email, ...(a.name ? { name: a.name } : {}), createdAt: a.createdAt.toISOString() };
}
