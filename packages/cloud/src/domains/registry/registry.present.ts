import type { CloudWorkspace } from '@obmeet/contracts';
import type { WorkspaceDoc } from './registry.model.js';

/** Workspace document → API shape (never the secret hash). */
export function presentWorkspace(w: WorkspaceDoc): CloudWorkspace {
  return {
    workspaceId: w._id,
    ...(w.label ? { label: w.label } : {}),
    status: w.status,
    registeredAt: w.registeredAt.toISOString(),
    secretRotatedAt: w.secretRotatedAt.toISOString(),
    ...(w.revokedAt ? { revokedAt: w.revokedAt.toISOString() } : {}),
  };
}
