/**
 * Incoming and outgoing webhooks, one collection (as Rocket.Chat), told apart by `type`.
 * An incoming hook keeps only the SHA-256 of its URL token. An outgoing hook keeps its signing
 * secret in clear (it must sign every delivery) and never shows it again after creation.
 */
export type IntegrationType = 'webhook-incoming' | 'webhook-outgoing';

export interface LastDelivery {
  at: Date;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface IntegrationDoc {
  _id: string;
  type: IntegrationType;
  name: string;
  enabled: boolean;
  /** the user the hook posts as */
  userId: string;
  username: string;
  alias?: string;
  avatar?: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: { _id: string; username: string };
  // incoming
  rid?: string;
  tokenHash?: string;
  // outgoing
  rids?: string[];
  triggerWords?: string[];
  url?: string;
  /** Slack's verification token, sent in every payload */
  token?: string;
  /** the HMAC-SHA256 key for X-OBMeet-Signature */
  secret?: string;
  lastDelivery?: LastDelivery;
}

export const INTEGRATIONS_COLLECTION = 'integrations';

export const integrationIndexes = [
  { collection: INTEGRATIONS_COLLECTION, key: { type: 1, enabled: 1 }, unique: false, name: 'type_enabled' },
] as const;
