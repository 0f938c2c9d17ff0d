import { PUSH_PAYLOAD_MAX_BYTES, type MessageDto, type PushBatchBody, type PushContentMode } from '@obmeet/contracts';
import type { RoomDoc } from '../rooms/index.js';

/** What a notification says, built from the message and its room. */
export interface NotificationText {
  title: string;
  body: string;
}

const BODY_MAX_BYTES = 2000;

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character, marking the cut with an ellipsis. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max - 3) break;
    out += ch;
    bytes += b;
  }
  return `${out}…`;
}

function senderName(m: MessageDto): string {
  return m.alias ?? m.u.username;
}

function roomLabel(room: RoomDoc): string {
  return `#${room.fname ?? room.name ?? room._id}`;
}

function messageText(m: MessageDto): string {
  if (m.msg.trim()) return m.msg;
  if (m.file) return `sent a file: ${m.file.name}`;
  if (m.location) return 'shared a location';
  return 'sent an attachment';
}

/** Full text: what the device shows, and what `push.get` returns to the device in id-only mode. */
export function fullNotification(m: MessageDto, room: RoomDoc): NotificationText {
  const text = messageText(m);
  if (room.t === 'd') return { title: senderName(m), body: truncateBytes(text, BODY_MAX_BYTES) };
  return { title: roomLabel(room), body: truncateBytes(`${senderName(m)}: ${text}`, BODY_MAX_BYTES) };
}

/** Sender and room only: never a word of the message. */
export function senderNotification(m: MessageDto, room: RoomDoc): NotificationText {
  if (room.t === 'd') return { title: senderName(m), body: 'New message' };
  return { title: roomLabel(room), body: `New message from ${senderName(m)}` };
}

/**
 * The part of a push that is the same for every token, per the admin's content mode. In `id`
 * mode only the message and room ids leave the workspace (a data message: the app fetches the
 * message through `push.get`).
 */
export function pushPayload(mode: PushContentMode, m: MessageDto, room: RoomDoc): Omit<PushBatchBody, 'tokens'> {
  const data = { messageId: m._id, rid: m.rid };
  const options = { priority: 'high' as const };
  if (mode === 'id') return { data, options };
  const n = mode === 'full' ? fullNotification(m, room) : senderNotification(m, room);
  const notification = { title: truncateBytes(n.title, 256), body: n.body };
  // FCM's limit covers notification + data together
  const bytes = Buffer.byteLength(JSON.stringify({ n: notification, d: data }), 'utf8');
  if (bytes > PUSH_PAYLOAD_MAX_BYTES) notification.body = truncateBytes(notification.body, Math.max(100, BODY_MAX_BYTES - (bytes - PUSH_PAYLOAD_MAX_BYTES)));
  return { notification, data, options };
}
