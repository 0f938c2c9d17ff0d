import type { IntegrationDto } from '@obmeet/contracts';
import { get, post } from './http';

type Ok<T> = { success: true } & T;

/** What create/update answer; the secrets are only in the answer that issued them. */
export interface IntegrationSecrets {
  integration: IntegrationDto;
  /** incoming: the secret URL */
  token?: string;
  path?: string;
  url?: string;
  /** outgoing: the signing key of X-OBMeet-Signature */
  secret?: string;
}

export interface IncomingWebhookInput {
  type: 'webhook-incoming';
  name: string;
  roomId: string;
  username: string;
  alias?: string;
  avatar?: string;
  enabled?: boolean;
}
export interface OutgoingWebhookInput {
  type: 'webhook-outgoing';
  name: string;
  roomIds: string[];
  triggerWords?: string[];
  url: string;
  username: string;
  alias?: string;
  avatar?: string;
  enabled?: boolean;
}
export interface UpdateIntegrationInput {
  integrationId: string;
  name?: string;
  roomId?: string;
  roomIds?: string[];
  triggerWords?: string[];
  url?: string;
  username?: string;
  alias?: string | null;
  avatar?: string | null;
  enabled?: boolean;
  regenerateToken?: boolean;
}

export const integrationsApi = {
  list: (count = 100, offset = 0) =>
    get<Ok<{ integrations: IntegrationDto[]; count: number; offset: number; total: number }>>('integrations.list', { count, offset }),
  get: (integrationId: string) => get<Ok<{ integration: IntegrationDto }>>('integrations.get', { integrationId }),
  create: (body: IncomingWebhookInput | OutgoingWebhookInput) => post<Ok<IntegrationSecrets>>('integrations.create', body),
  update: (body: UpdateIntegrationInput) => post<Ok<IntegrationSecrets>>('integrations.update', body),
  remove: (integrationId: string) => post<Ok<object>>('integrations.remove', { integrationId }),
};
