import type { MeetingStatus } from '@obmeet/contracts';

/** One join of a participant: a socket disconnect or a leave closes it; a reconnect opens a new one. */
export interface MeetingSessionDoc {
  /** the live participant id (a join / attach) this session belongs to */
  pid: string;
  joinedAt: Date;
  leftAt?: Date | null;
}

/** A person in the meeting record: a user (keyed by userId) or a guest (keyed by guestKey). */
export interface ParticipantRecordDoc {
  /** userId, or `guest:<id>` */
  key: string;
  userId?: string;
  username?: string;
  name: string;
  email?: string;
  guest?: boolean;
  sessions: MeetingSessionDoc[];
  /** closed sessions only (open ones are added when presented) */
  attendanceMs: number;
}

/** Someone in the meeting now (or a guest in the lobby). */
export interface LiveParticipantDoc {
  _id: string;
  key: string;
  userId?: string;
  username?: string;
  name: string;
  email?: string;
  guest?: boolean;
  audio: boolean;
  video: boolean;
  /** the socket that carries it; null between a disconnect and a re-attach */
  socketId?: string | null;
  joinedAt: Date;
  /** guests: hash of the token their socket authenticates with */
  guestTokenHash?: string;
}

export interface MeetingDoc {
  _id: string;
  rid: string;
  /** the unguessable key of the join link */
  token: string;
  msgId?: string;
  title: string;
  status: MeetingStatus;
  sequence: number;
  organiser: { _id: string; username: string; name?: string };
  moderators: string[];
  scheduledStart?: Date | null;
  durationMinutes?: number | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  /** users invited directly, and rooms whose members are invited */
  invitees: string[];
  inviteeRooms: string[];
  guestsAllowed: boolean;
  locked: boolean;
  recording: boolean;
  /** 'sfu' once the meeting went over the mesh limit with Janus configured (it stays so); absent: mesh */
  media?: 'mesh' | 'sfu';
  recordings: Array<{ _id: string; url: string; size: number }>;
  /** user ids (and guest keys) a moderator removed: they cannot rejoin */
  removed: string[];
  live: LiveParticipantDoc[];
  lobby: LiveParticipantDoc[];
  /** participants whose socket went away: a reconnect (meeting.attach with the same id) brings them back */
  gone: LiveParticipantDoc[];
  /** organiser, invited users and every user who attended (the user's meeting list) */
  userIds: string[];
  participants: ParticipantRecordDoc[];
  peakConcurrent: number;
  /** set when the last participant left: the meeting ends itself after the grace period */
  emptySince?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MEETINGS = 'meetings';

export const meetingIndexes = [
  { collection: MEETINGS, key: { token: 1 }, unique: true, name: 'meeting_token' },
  { collection: MEETINGS, key: { rid: 1, createdAt: -1 }, unique: false, name: 'meeting_room' },
  { collection: MEETINGS, key: { status: 1, emptySince: 1 }, unique: false, name: 'meeting_status' },
  { collection: MEETINGS, key: { userIds: 1 }, unique: false, name: 'meeting_users' },
  { collection: MEETINGS, key: { inviteeRooms: 1 }, unique: false, name: 'meeting_invitee_rooms' },
] as const;
