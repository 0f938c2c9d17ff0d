import { z } from 'zod';
import { Id } from './common.js';
import type { MessageFile } from './files.js';
import type { MessageLocation } from './location.js';
import type { MessageMeetingDto } from './meetings.js';

/** Message text: a string (never an object), validated for length by the server setting. */
export const MessageText = z.string().max(100_000);
export const EmojiName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^:?[a-z0-9_+-]+:?$/, 'emoji shortcode like :smile:')
  .transform((e) => `:${e.replace(/^:|:$/g, '')}:`);

export const SendMessageBody = z
  .object({
    message: z
      .object({
        _id: Id.optional(),
        rid: Id,
        msg: MessageText,
        tmid: Id.optional(),
        tshow: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** chat.postMessage: roomId or channel (#name / @username). */
export const PostMessageBody = z
  .object({
    roomId: Id.optional(),
    channel: z.string().min(2).max(80).optional(),
    text: MessageText,
    tmid: Id.optional(),
  })
  .strict()
  .refine((b) => Boolean(b.roomId) !== Boolean(b.channel), { message: 'give exactly one of roomId or channel' });

export const UpdateMessageBody = z.object({ roomId: Id, msgId: Id, text: MessageText }).strict();
export const DeleteMessageBody = z.object({ roomId: Id, msgId: Id }).strict();
export const ReactBody = z
  .object({ messageId: Id, emoji: EmojiName, shouldReact: z.boolean().optional() })
  .strict();
export const MessageIdBody = z.object({ messageId: Id }).strict();
export const GetMessageQuery = z.object({ msgId: Id }).strict();
export const ThreadMessagesQuery = z.object({
  tmid: Id,
  count: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const HistoryQuery = z.object({
  roomId: Id,
  /** newest-first page: messages with seq < before (cursor from the previous page) */
  before: z.coerce.number().int().min(1).optional(),
  /** around-a-message page (jump to a message) */
  around: Id.optional(),
  count: z.coerce.number().int().min(1).max(200).default(50),
});
export const SyncQuery = z.object({
  roomId: Id,
  /** the change cursor a client last saw (room.lastChange) */
  since: z.coerce.number().int().min(0),
  count: z.coerce.number().int().min(1).max(500).default(200),
});
export const MarkReadBody = z.object({ rid: Id }).strict();

export interface MessageDto {
  _id: string;
  rid: string;
  seq: number;
  msg: string;
  t?: string; // system message type (uj, ul, au, ru, r, room_changed_topic, ...)
  u: { _id: string; username: string; name?: string };
  ts: string;
  _updatedAt: string;
  change: number;
  editedAt?: string;
  editedBy?: { _id: string; username: string };
  tmid?: string;
  tshow?: boolean;
  tcount?: number;
  tlm?: string;
  replies?: string[];
  reactions?: Record<string, { usernames: string[] }>;
  mentions?: { _id: string; username: string }[];
  pinned?: boolean;
  starred?: { _id: string }[];
  deleted?: boolean;
  /** name shown instead of the poster's (webhooks, bots) */
  alias?: string;
  /** avatar URL shown instead of the poster's (http/https only) */
  avatar?: string;
  /** Slack-style attachments (webhooks, bots, commands) */
  attachments?: MessageAttachment[];
  /** an action message (`/me waves`) */
  action?: boolean;
  /** set on messages posted by an integration (`i` is its id); outgoing webhooks skip them */
  bot?: { i: string };
  /** an uploaded file (download at `/file-upload/<_id>/<name>`); its attachment has the image details */
  file?: MessageFile;
  /** a shared location; the attachment links to OpenStreetMap */
  location?: MessageLocation;
  /** a meeting message (`/meet`, meetings.create/schedule): the server keeps it up to date */
  meeting?: MessageMeetingDto;
}

export interface MessageAttachment {
  title?: string;
  /** http or https only */
  title_link?: string;
  text?: string;
  pretext?: string;
  fallback?: string;
  /** #rgb, #rrggbb, or good / warning / danger */
  color?: string;
  fields?: { title: string; value: string; short?: boolean }[];
  /** file attachments (set by the server for uploads only, never from a client or webhook body) */
  type?: 'file';
  /** same-origin download link of the file */
  title_link_download?: boolean;
  image_url?: string;
  image_type?: string;
  image_size?: number;
  image_dimensions?: { width: number; height: number };
}

export interface HistoryPage {
  messages: MessageDto[];
  /** cursor for the next older page (null at the start of the room) */
  before: number | null;
  /** true when newer messages exist after the page (around-pages) */
  hasMoreAfter: boolean;
  lastChange: number;
}

export interface SyncResult {
  /** changed or new messages (deleted ones have deleted: true), in change order, each once */
  updated: MessageDto[];
  deleted: { _id: string; change: number }[];
  cursor: number;
  /** true when more changes remain: call again with `since: cursor` */
  more: boolean;
}
