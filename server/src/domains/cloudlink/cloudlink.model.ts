import type { EgressPurposeName, OutboundOutcome } from '@obmeet/contracts';
import type { SealedSecret } from './secrets.js';

/** The workspace's cloud registration: one document (`_id: 'registration'`). The client secret is only stored sealed. */
export interface CloudRegistrationDoc {
  _id: 'registration';
  workspaceId: string;
  /** AES-256-GCM of the client secret, bound to the workspace id */
  sealedSecret: SealedSecret;
  cloudUrl: string;
  registeredAt: Date;
  secretRotatedAt: Date;
  /** set when the cloud refused the credentials (revoked from the vendor console or by the cloud) */
  revokedAt?: Date;
  lastCheck?: { at: Date; result: 'active' | 'revoked' | 'unreachable' | 'error'; message?: string };
}

export interface OutboundLogDoc {
  _id: string;
  at: Date;
  method: 'GET' | 'POST' | 'DELETE';
  endpoint: string;
  purpose: EgressPurposeName;
  auth: 'workspace' | 'none';
  payload?: string;
  payloadSummary?: { head: string; sha256: string; bytes: number };
  bytes: number;
  outcome: OutboundOutcome;
  status?: number;
  errorType?: string;
  error?: string;
  durationMs?: number;
}

export const CLOUD_STATE = 'cloud_state';
export const OUTBOUND_LOG = 'outbound_log';

export const cloudlinkIndexes = [{ collection: OUTBOUND_LOG, key: { at: -1 }, name: 'at_desc', unique: false }];
