import { z } from 'zod';
import { Id, Username } from './common.js';
import type { MessageAttachment } from './messages.js';

const HttpUrl = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL');
const Alias = z.string().trim().min(1).max(80);
const TriggerWord = z.string().min(1).max(64).regex(/^\S+$/, 'no spaces');

export const CreateIncomingWebhookBody = z
  .object({
    type: z.literal('webhook-incoming'),
    name: z.string().trim().min(1).max(100),
    roomId: Id,
    /** the user the hook posts as (must be a member of the room) */
    username: Username,
    alias: Alias.optional(),
    avatar: HttpUrl.optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const CreateOutgoingWebhookBody = z
  .object({
    type: z.literal('webhook-outgoing'),
    name: z.string().trim().min(1).max(100),
    roomIds: z.array(Id).min(1).max(50),
    triggerWords: z.array(TriggerWord).max(20).default([]),
    url: HttpUrl,
    /** the user replies are posted as */
    username: Username,
    alias: Alias.optional(),
    avatar: HttpUrl.optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

export const CreateIntegrationBody = z.discriminatedUnion('type', [CreateIncomingWebhookBody, CreateOutgoingWebhookBody]);
export type CreateIntegrationBody = z.infer<typeof CreateIntegrationBody>;

export const UpdateIntegrationBody = z
  .object({
    integrationId: Id,
    name: z.string().trim().min(1).max(100).optional(),
    roomId: Id.optional(),
    roomIds: z.array(Id).min(1).max(50).optional(),
    triggerWords: z.array(TriggerWord).max(20).optional(),
    url: HttpUrl.optional(),
    username: Username.optional(),
    alias: Alias.nullable().optional(),
    avatar: HttpUrl.nullable().optional(),
    enabled: z.boolean().optional(),
    /** issue a new secret URL (incoming) or signing secret and token (outgoing); the old ones stop working */
    regenerateToken: z.boolean().optional(),
  })
  .strict();
export type UpdateIntegrationBody = z.infer<typeof UpdateIntegrationBody>;

export const IntegrationIdBody = z.object({ integrationId: Id }).strict();
export const IntegrationIdQuery = z.object({ integrationId: Id }).strict();

/** Slack's attachment, the subset OBMeet stores. Unknown keys are dropped; bad links are dropped by the server. */
export const SlackAttachment = z.object({
  fallback: z.string().max(2000).optional(),
  pretext: z.string().max(2000).optional(),
  title: z.string().max(500).optional(),
  title_link: z.string().max(2000).optional(),
  text: z.string().max(8000).optional(),
  color: z.string().max(32).optional(),
  fields: z
    .array(z.object({ title: z.string().max(500).default(''), value: z.string().max(2000).default(''), short: z.boolean().optional() }))
    .max(20)
    .optional(),
});

/** The body of a POST to an incoming webhook (Slack-compatible; other Slack keys are ignored). */
export const IncomingWebhookPayload = z.object({
  text: z.string().max(100_000).optional(),
  attachments: z.array(SlackAttachment).max(20).optional(),
  username: z.string().max(80).optional(),
  icon_url: z.string().max(2000).optional(),
});
export type IncomingWebhookPayload = z.infer<typeof IncomingWebhookPayload>;

/** What an outgoing webhook's receiver may answer to have a reply posted in the room. */
export const OutgoingWebhookResponse = z.object({
  text: z.string().max(100_000).optional(),
  attachments: z.array(SlackAttachment).max(20).optional(),
  username: z.string().max(80).optional(),
  icon_url: z.string().max(2000).optional(),
});

/** The payload POSTed by an outgoing webhook (Slack's outgoing webhook fields). */
export interface OutgoingWebhookPayload {
  token: string;
  channel_id: string;
  channel_name: string;
  /** seconds since the epoch, as in the X-OBMeet-Timestamp header */
  timestamp: number;
  user_id: string;
  user_name: string;
  text: string;
  trigger_word: string;
  message_id: string;
  tmid?: string;
}

export interface IntegrationDto {
  _id: string;
  type: 'webhook-incoming' | 'webhook-outgoing';
  name: string;
  enabled: boolean;
  username: string;
  userId: string;
  alias?: string;
  avatar?: string;
  createdAt: string;
  _updatedAt: string;
  createdBy: { _id: string; username: string };
  // incoming
  roomId?: string;
  // outgoing
  roomIds?: string[];
  triggerWords?: string[];
  url?: string;
  /** the verification token sent in every payload (outgoing) */
  token?: string;
  lastDelivery?: { at: string; ok: boolean; attempts: number; status?: number; error?: string };
}

export type { MessageAttachment };
