import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime, Duration } from 'luxon';

/**
 * iCalendar files for meetings, built with ical-generator (times through luxon, always written in
 * UTC so no VTIMEZONE is needed). Input is a plain calendar view of a meeting, so the builder
 * does not depend on how meetings are stored.
 */

export interface CalPerson {
  name: string;
  /** ical-generator needs an address for ORGANIZER/ATTENDEE; see `personEmail` */
  email: string;
}

export interface CalMeeting {
  id: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  /** grows with every change of the meeting; becomes the event's SEQUENCE */
  sequence: number;
  start: Date;
  durationMinutes: number;
  organiser: CalPerson;
  attendees: CalPerson[];
  joinUrl: string;
  roomName?: string;
  /** DTSTAMP / LAST-MODIFIED: when the meeting last changed */
  updatedAt: Date;
}

/** Default length of an ad-hoc meeting in a calendar when it has neither a duration nor an end. */
export const DEFAULT_DURATION_MINUTES = 30;

/** The stable UID of a meeting's event: `<meetingId>@<host of the site URL>`. */
export function meetingUid(meetingId: string, siteUrl: string): string {
  return `${meetingId}@${new URL(siteUrl).hostname}`;
}

/** A user's e-mail, or a stand-in address on the site's host (attendees must have one in iCalendar). */
export function personEmail(email: string | undefined, username: string | undefined, siteUrl: string): string {
  if (email) return email;
  return `${(username ?? 'guest').replace(/[^A-Za-z0-9._-]/g, '_')}@${new URL(siteUrl).hostname}`;
}

function addEvent(cal: ReturnType<typeof ical>, m: CalMeeting, siteUrl: string): void {
  const start = DateTime.fromJSDate(m.start, { zone: 'utc' });
  const end = start.plus(Duration.fromObject({ minutes: Math.max(1, m.durationMinutes) }));
  const cancelled = m.status === 'cancelled';
  cal.createEvent({
    id: meetingUid(m.id, siteUrl),
    sequence: m.sequence,
    stamp: DateTime.fromJSDate(m.updatedAt, { zone: 'utc' }),
    lastModified: DateTime.fromJSDate(m.updatedAt, { zone: 'utc' }),
    start,
    end,
    timezone: 'UTC',
    summary: m.title,
    description: cancelled
      ? `This meeting was cancelled.`
      : `Join the meeting: ${m.joinUrl}${m.roomName ? `\nRoom: ${m.roomName}` : ''}`,
    location: cancelled ? null : m.joinUrl,
    url: m.joinUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: m.organiser.name, email: m.organiser.email },
    attendees: m.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
    })),
  });
}

/** One meeting as an .ics file: METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED once cancelled. */
export function meetingIcs(m: CalMeeting, siteUrl: string, prodName: string): string {
  const cal = ical({
    prodId: { company: 'OBMeet', product: prodName, language: 'EN' },
    method: m.status === 'cancelled' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  addEvent(cal, m, siteUrl);
  return cal.toString();
}

/**
 * A subscription feed: METHOD:PUBLISH (feeds must not carry iTIP methods per event); cancelled
 * meetings stay in it with STATUS:CANCELLED so subscribed calendars strike them out.
 */
export function feedIcs(meetings: CalMeeting[], siteUrl: string, calendarName: string): string {
  const cal = ical({
    prodId: { company: 'OBMeet', product: 'OBMeet', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    name: calendarName,
    // how often subscribed calendars should refresh
    ttl: 60 * 60,
  });
  for (const m of meetings) addEvent(cal, m, siteUrl);
  return cal.toString();
}
