import { z } from 'zod';
import { Id } from './common.js';

/**
 * Meetings: REST bodies (zod) and the wire shapes of meetings, participants and their socket
 * events. A meeting is reached by its id (members) or by its unguessable join token (the link).
 */

/** an id or a join token (both url-safe) */
const Key = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'invalid meeting key');
const Title = z.string().trim().min(1).max(200);
/** a participant id: one per join (a reconnecting tab gets a new one) */
const ParticipantId = Id;

export const CreateMeetingBody = z.object({ rid: Id, title: Title.optional(), guestsAllowed: z.boolean().optional() }).strict();
export type CreateMeetingBody = z.infer<typeof CreateMeetingBody>;

export const ScheduleMeetingBody = z
  .object({
    rid: Id,
    title: Title,
    /** ISO 8601 with an offset or Z */
    start: z.string().datetime({ offset: true }),
    durationMinutes: z.number().int().min(1).max(24 * 60),
    invitees: z.object({ users: z.array(Id).max(200).default([]), rooms: z.array(Id).max(20).default([]) }).strict().default({ users: [], rooms: [] }),
    guestsAllowed: z.boolean().optional(),
  })
  .strict();
export type ScheduleMeetingBody = z.infer<typeof ScheduleMeetingBody>;

export const UpdateMeetingBody = z
  .object({
    meetingId: Id,
    title: Title.optional(),
    start: z.string().datetime({ offset: true }).optional(),
    durationMinutes: z.number().int().min(1).max(24 * 60).optional(),
    invitees: z.object({ users: z.array(Id).max(200).default([]), rooms: z.array(Id).max(20).default([]) }).strict().optional(),
    guestsAllowed: z.boolean().optional(),
  })
  .strict();
export type UpdateMeetingBody = z.infer<typeof UpdateMeetingBody>;

export const MeetingIdBody = z.object({ meetingId: Id }).strict();
export const MeetingKeyQuery = z.object({ key: Key }).strict();

export const GuestInfo = z.object({ name: z.string().trim().min(1).max(100), email: z.string().trim().email().max(200) }).strict();

export const JoinMeetingBody = z
  .object({ key: Key, audio: z.boolean(), video: z.boolean(), guest: GuestInfo.optional() })
  .strict();
export type JoinMeetingBody = z.infer<typeof JoinMeetingBody>;

/** `guestToken`: guests have no session; their leave/media calls carry it */
export const LeaveMeetingBody = z.object({ meetingId: Id, participantId: ParticipantId, guestToken: z.string().max(200).optional() }).strict();
export const MeetingMediaBody = z
  .object({ meetingId: Id, participantId: ParticipantId, audio: z.boolean(), video: z.boolean(), guestToken: z.string().max(200).optional() })
  .strict();

export const ModerateAction = z.enum(['mute', 'remove', 'lock', 'unlock', 'end', 'admit', 'deny']);
export type ModerateAction = z.infer<typeof ModerateAction>;
export const ModerateMeetingBody = z
  .object({ meetingId: Id, action: ModerateAction, participantId: ParticipantId.optional() })
  .strict()
  .refine((b) => !['mute', 'remove', 'admit', 'deny'].includes(b.action) || !!b.participantId, { message: 'participantId is required for this action', path: ['participantId'] });

export const ListMeetingsQuery = z
  .object({
    rid: Id.optional(),
    mine: z.union([z.literal('true'), z.literal(true)]).optional(),
    count: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine((q) => !!q.rid !== !!q.mine, { message: 'Give either rid or mine' });

/** socket: this socket carries that participant (after joining, and after every reconnect) */
export const MeetingAttachEvent = z.object({ meetingId: Id, participantId: ParticipantId }).strict();
/** socket: a signalling payload (offer/answer/candidate) for one participant of the same meeting */
export const MeetingSignalEvent = z.object({ meetingId: Id, to: ParticipantId, data: z.unknown() }).strict();
/**
 * socket: media through the SFU (meetings routed through Janus). `publish` sends our offer and
 * answers with the gateway's answer; `subscribe` to another participant's feed answers with the
 * gateway's offer; `start` sends our answer to it. Descriptions carry their ICE candidates.
 */
export const MeetingSfuEvent = z
  .object({
    meetingId: Id,
    op: z.enum(['publish', 'subscribe', 'start']),
    feed: ParticipantId.optional(),
    jsep: z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(100_000) }).strict().optional(),
  })
  .strict()
  .refine((e) => (e.op === 'publish' ? !!e.jsep && e.jsep.type === 'offer' : !!e.feed) && (e.op !== 'start' || e.jsep?.type === 'answer'), {
    message: 'publish needs an offer; subscribe needs a feed; start needs a feed and an answer',
  });
export type MeetingSfuEvent = z.infer<typeof MeetingSfuEvent>;

// ---- wire shapes ----------------------------------------------------------------------------

export type MeetingStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export interface MeetingPerson {
  _id: string;
  username: string;
  name?: string;
}

export interface MeetingSessionDto {
  joinedAt: string;
  leftAt?: string | null;
}

/** A participant in the record: a user or a guest, every join/leave, attendance in ms. */
export interface ParticipantRecordDto {
  userId?: string;
  username?: string;
  name: string;
  email?: string;
  guest?: boolean;
  sessions: MeetingSessionDto[];
  attendanceMs: number;
}

/** Someone in the meeting now (one per join). */
export interface LiveParticipantDto {
  _id: string;
  userId?: string;
  username?: string;
  name: string;
  guest?: boolean;
  moderator?: boolean;
  audio: boolean;
  video: boolean;
}

export interface LobbyGuestDto {
  _id: string;
  name: string;
  email?: string;
}

export interface MeetingDto {
  _id: string;
  /** the join link's key (`/meet/<token>`); only to those who may join */
  token?: string;
  rid: string;
  /** the meeting message; its thread is the in-meeting chat */
  msgId?: string;
  title: string;
  status: MeetingStatus;
  organiser: MeetingPerson;
  /** grows on every change of time, title, invitees, or cancel (iCalendar SEQUENCE) */
  sequence: number;
  scheduledStart?: string;
  durationMinutes?: number;
  startedAt?: string;
  endedAt?: string;
  createdAt: string;
  /** invited user ids and room ids (moderators and record viewers only) */
  invitees?: string[];
  inviteeRooms?: string[];
  locked: boolean;
  guestsAllowed: boolean;
  recording: boolean;
  recordingAllowed?: boolean;
  /** how media flows: peer-to-peer between every pair, or through the SFU (over the mesh limit, with Janus) */
  media: 'mesh' | 'sfu';
  /** user ids of the moderators */
  moderators: string[];
  live: LiveParticipantDto[];
  /** guests waiting (moderators only) */
  lobby?: LobbyGuestDto[];
  /** the record (organiser, room moderators/owners, admins only) */
  participants?: ParticipantRecordDto[];
  participantCount?: number;
  peakConcurrent?: number;
  recordings?: Array<{ url: string; size?: number }>;
}

export interface JoinMeetingResult {
  status: 'joined' | 'lobby';
  participantId: string;
  /** guests: what their socket authenticates with (`auth: { meetingGuestToken }`), scoped to this meeting */
  guestToken?: string;
  iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>;
  video: boolean;
  meeting: MeetingDto;
}

/** What the meeting message carries (MessageDto.meeting) so the timeline draws the meeting card. */
export interface MessageMeetingDto {
  _id: string;
  token: string;
  title: string;
  status: MeetingStatus;
  startedBy: MeetingPerson;
  scheduledStart?: string;
  startedAt?: string;
  endedAt?: string;
  participants: Array<{ username?: string; name: string }>;
}

export interface MeetingServerEvents {
  'meeting.signal': (e: { meetingId: string; from: string; data: unknown }) => void;
  'meeting.updated': (e: { meeting: MeetingDto }) => void;
  'meeting.admitted': (e: JoinMeetingResult) => void;
  'meeting.denied': (e: { meetingId: string }) => void;
  'meeting.removed': (e: { meetingId: string }) => void;
  'meeting.muted': (e: { meetingId: string }) => void;
  /** to an invitee when a meeting is scheduled, changed or cancelled */
  'meeting.invited': (e: { meetingId: string; rid: string; msgId?: string; title: string; status: MeetingStatus; scheduledStart?: string; from: string }) => void;
}
