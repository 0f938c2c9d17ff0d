import type { Actor } from '../accounts/index.js';

/**
 * What the calendar, CSV export and recordings parts need from the meetings core
 * (meetings.service.ts). The workspace wires it to the core (meetingsPortOf in meetings.adapter.ts), so these
 * parts read meetings through one narrow, tested surface and do not depend on how they are stored.
 */

export interface FactsPerson {
  userId: string;
  username: string;
  name: string;
  email?: string;
}

export interface FactsParticipant {
  userId?: string;
  username?: string;
  name: string;
  email?: string;
  guest: boolean;
  sessions: Array<{ joinedAt: Date; leftAt?: Date | null }>;
  attendanceMs: number;
}

/** A meeting as the calendar, export and recordings see it. */
export interface MeetingFacts {
  id: string;
  rid: string;
  roomName: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  sequence: number;
  scheduledStart?: Date | null;
  durationMinutes?: number | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
  organiser: FactsPerson;
  /** invited users (resolved to people) */
  invitees: FactsPerson[];
  participants: FactsParticipant[];
  /** the client path that joins the meeting (`/meet/<token>`) */
  joinPath: string;
  recording: boolean;
}

export interface MeetingsPort {
  /** the meeting, without any permission check */
  find(meetingId: string): Promise<MeetingFacts | null>;
  /** may open the meeting's calendar file: whoever may see the record, an invitee, a participant or a member of its room */
  canSeeMeeting(actor: Actor, meeting: MeetingFacts): Promise<boolean>;
  /** may see the record, its CSV and recordings: organiser, the room's moderators/owners, admins */
  canSeeRecord(actor: Actor, meeting: MeetingFacts): Promise<boolean>;
  /** a moderator of the meeting */
  isModerator(actor: Actor, meeting: MeetingFacts): Promise<boolean>;
  /** the meetings a user organised, was invited to, or attended */
  meetingsOfUser(userId: string): Promise<MeetingFacts[]>;
  /** the meetings started in a room (throws not-found when the actor may not read the room) */
  meetingsOfRoom(actor: Actor, rid: string): Promise<MeetingFacts[]>;
  /** sets the meeting's `recording` flag and tells everyone in it (meeting.updated) */
  setRecording(meetingId: string, on: boolean): Promise<void>;
  /** adds a finished recording to the meeting record (`recordings: [{url,size}]`) */
  attachRecording(meetingId: string, rec: { _id: string; url: string; size: number }): Promise<void>;
}
