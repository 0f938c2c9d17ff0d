import type { MeetingDto, MeetingServerEvents } from './meetings.js';
import { z } from 'zod';
import { Id } from './common.js';
import type { MessageDto, SyncResult } from './messages.js';
import type { EphemeralMessageDto } from './commands.js';
import type { MemberDto, RoomDto, SubscriptionDto } from './rooms.js';

/** Events from server to client. Every one is for a room the user belongs to, or for the user. */
export interface ServerToClientEvents extends MeetingServerEvents {
  'message.created': (m: MessageDto) => void;
  'message.updated': (m: MessageDto) => void;
  'message.deleted': (e: { _id: string; rid: string; change: number }) => void;
  'reaction.changed': (m: MessageDto) => void;
  'thread.updated': (e: { rid: string; tmid: string; tcount: number; tlm: string; replies: string[] }) => void;
  'room.changed': (r: RoomDto) => void;
  'room.removed': (e: { rid: string }) => void;
  'membership.changed': (e: { rid: string; userId: string; username: string; action: 'added' | 'removed' }) => void;
  'subscription.changed': (s: SubscriptionDto) => void;
  'typing': (e: { rid: string; username: string; typing: boolean; tmid?: string }) => void;
  'presence': (e: { userId: string; username: string; status: 'online' | 'away' | 'offline' }) => void;
  'notification': (e: { rid: string; messageId: string; kind: 'mention' | 'dm'; from: string }) => void;
  'session.revoked': () => void;
  /** a reply only this user sees (slash commands); `replaces: true` swaps an earlier one with the same _id */
  'message.ephemeral': (m: EphemeralMessageDto) => void;
}

export const TypingEvent = z.object({ rid: Id, typing: z.boolean(), tmid: Id.optional() }).strict();
export const PresenceEvent = z.object({ status: z.enum(['online', 'away']) }).strict();

export type Ack<T> = (r: { success: true; result: T } | { success: false; error: string; errorType: string }) => void;

export interface ClientToServerEvents {
  'message.send': (body: unknown, ack: Ack<MessageDto>) => void;
  'typing': (body: unknown) => void;
  'presence.set': (body: unknown) => void;
  'room.sync': (body: unknown, ack: Ack<SyncResult>) => void;
  'members.list': (body: unknown, ack: Ack<MemberDto[]>) => void;
  /** the ack carries the meeting as it is now (what the socket missed while away) */
  'meeting.attach': (body: unknown, ack?: Ack<{ attached: boolean; meeting: MeetingDto }>) => void;
  /** the optional ack tells whether it was relayed (addressee in the same meeting) */
  'meeting.signal': (body: unknown, ack?: Ack<{ relayed: boolean }>) => void;
  /** media through the SFU: the gateway's answer (publish) or offer (subscribe) */
  'meeting.sfu': (body: unknown, ack: Ack<{ jsep?: { type: 'offer' | 'answer'; sdp: string } }>) => void;
}
