import type { LiveParticipantDto, MeetingDto, MessageAttachment, MessageMeetingDto, ParticipantRecordDto } from '@obmeet/contracts';
import type { LiveParticipantDoc, MeetingDoc, ParticipantRecordDoc } from './meetings.model.js';

/** the client path that joins a meeting */
export const joinPath = (token: string) => `/meet/${token}`;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** Closed sessions plus the open one up to `now`. */
export function attendanceMs(p: ParticipantRecordDoc, now: Date): number {
  const open = p.sessions.filter((s) => !s.leftAt).reduce((sum, s) => sum + Math.max(0, now.getTime() - s.joinedAt.getTime()), 0);
  return p.attendanceMs + open;
}

export function presentRecord(p: ParticipantRecordDoc, now: Date): ParticipantRecordDto {
  return {
    ...(p.userId ? { userId: p.userId } : {}),
    ...(p.username ? { username: p.username } : {}),
    name: p.name,
    ...(p.email ? { email: p.email } : {}),
    ...(p.guest ? { guest: true } : {}),
    sessions: p.sessions.map((s) => ({ joinedAt: s.joinedAt.toISOString(), leftAt: s.leftAt ? s.leftAt.toISOString() : null })),
    attendanceMs: attendanceMs(p, now),
  };
}

function presentLive(p: LiveParticipantDoc, m: MeetingDoc): LiveParticipantDto {
  return {
    _id: p._id,
    ...(p.userId ? { userId: p.userId } : {}),
    ...(p.username ? { username: p.username } : {}),
    name: p.name,
    ...(p.guest ? { guest: true } : {}),
    moderator: !!p.userId && m.moderators.includes(p.userId),
    audio: p.audio,
    video: p.video,
  };
}

export interface MeetingView {
  /** may see the join token (members, invitees, participants, guests who came with it) */
  token: boolean;
  /** may see the record (organiser, room owners/moderators, admins) */
  record: boolean;
  /** may see the guests waiting (meeting moderators) */
  lobby: boolean;
  recordingAllowed?: boolean;
}

export function presentMeeting(m: MeetingDoc, view: MeetingView, now: Date): MeetingDto {
  return {
    _id: m._id,
    ...(view.token ? { token: m.token } : {}),
    rid: m.rid,
    ...(m.msgId ? { msgId: m.msgId } : {}),
    title: m.title,
    status: m.status,
    organiser: m.organiser,
    sequence: m.sequence,
    ...(m.scheduledStart ? { scheduledStart: iso(m.scheduledStart) } : {}),
    ...(m.durationMinutes ? { durationMinutes: m.durationMinutes } : {}),
    ...(m.startedAt ? { startedAt: iso(m.startedAt) } : {}),
    ...(m.endedAt ? { endedAt: iso(m.endedAt) } : {}),
    createdAt: m.createdAt.toISOString(),
    // who is invited: for moderators and record viewers only (guests hold the link too)
    ...(view.record || view.lobby ? { invitees: m.invitees, inviteeRooms: m.inviteeRooms } : {}),
    locked: m.locked,
    guestsAllowed: m.guestsAllowed,
    recording: m.recording,
    media: m.media ?? 'mesh',
    ...(view.recordingAllowed !== undefined ? { recordingAllowed: view.recordingAllowed } : {}),
    moderators: m.moderators,
    live: m.live.map((p) => presentLive(p, m)),
    ...(view.lobby ? { lobby: m.lobby.map((g) => ({ _id: g._id, name: g.name, ...(g.email ? { email: g.email } : {}) })) } : {}),
    ...(view.record
      ? {
          participants: m.participants.map((p) => presentRecord(p, now)),
          participantCount: m.participants.length,
          peakConcurrent: m.peakConcurrent,
          recordings: m.recordings.map((r) => ({ url: r.url, size: r.size })),
        }
      : {}),
  };
}

/** What the meeting message carries; the client draws the meeting card from it. */
export function messageMeeting(m: MeetingDoc): MessageMeetingDto {
  return {
    _id: m._id,
    token: m.token,
    title: m.title,
    status: m.status,
    startedBy: m.organiser,
    ...(m.scheduledStart ? { scheduledStart: iso(m.scheduledStart) } : {}),
    ...(m.startedAt ? { startedAt: iso(m.startedAt) } : {}),
    ...(m.endedAt ? { endedAt: iso(m.endedAt) } : {}),
    participants: m.live.map((p) => ({ ...(p.username ? { username: p.username } : {}), name: p.name })),
  };
}

function durationText(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** The Slack-style attachment of the meeting message, for clients that do not draw the card. */
export function messageAttachment(m: MeetingDoc, siteUrl: string): MessageAttachment {
  let state: string;
  if (m.status === 'cancelled') state = 'Cancelled';
  else if (m.status === 'ended') state = m.startedAt && m.endedAt ? `Ended · ${durationText(m.endedAt.getTime() - m.startedAt.getTime())}` : 'Ended';
  else if (m.status === 'scheduled') state = `Scheduled for ${m.scheduledStart?.toISOString() ?? '?'}`;
  else state = m.live.length ? `${m.live.length} in the meeting` : 'Nobody is in it yet';
  const fields = [
    { title: 'Status', value: state, short: true },
    { title: 'Started by', value: `@${m.organiser.username}`, short: true },
  ];
  if (m.live.length && m.status === 'live') fields.push({ title: 'Participants', value: m.live.map((p) => p.name).join(', '), short: false });
  fields.push({ title: 'Meeting id', value: m._id, short: true });
  return { title: m.title, title_link: `${siteUrl}${joinPath(m.token)}`, color: m.status === 'live' ? 'good' : '#999999', fields };
}
