import type { Db } from 'mongodb';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { sameHash } from '@obmeet/service-kit';
import { sha256 } from '../../ids.js';
import type { Actor } from '../accounts/index.js';
import type { SecretBox, SealedSecret } from '../cloudlink/secrets.js';
import type { SettingsService } from '../settings/index.js';
import { DEFAULT_DURATION_MINUTES, feedIcs, meetingIcs, personEmail, type CalMeeting } from './meetings.ics.js';
import { meetingsCsv, type CsvMeeting } from './meetings.export.js';
import type { MeetingFacts, MeetingsPort } from './meetings.port.js';

/**
 * Calendar files, the private calendar feed, and the CSV export of meeting records.
 *
 * Feed tokens are `<userId>.<43 random base64url chars>`. The database keeps their SHA-256 (what
 * the public feed URL is checked against, in constant time) and a copy sealed with the
 * workspace's secrets key so the owner can be shown their address again; a database dump alone
 * reveals no feed. One token per user: regenerating replaces the document, so the old URL dies.
 */

export interface CalendarFeedDoc {
  _id: string; // userId
  tokenHash: string;
  sealed: SealedSecret;
  createdAt: Date;
}

export const FEED_COLLECTION = 'meeting_calendar_feeds';
const FEED_TOKEN = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/;

export class CalendarStore {
  constructor(private readonly db: Db) {}
  private get feeds() {
    return this.db.collection<CalendarFeedDoc>(FEED_COLLECTION);
  }
  feedOf(userId: string) {
    return this.feeds.findOne({ _id: userId });
  }
  /** Replaces the user's feed token (the old one stops working at once). */
  async putFeed(doc: CalendarFeedDoc): Promise<void> {
    await this.feeds.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
}

export class MeetingsCalendarService {
  constructor(
    private readonly store: CalendarStore,
    private readonly meetings: MeetingsPort,
    private readonly settings: SettingsService,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  // ---- one meeting's .ics ----------------------------------------------------------------

  /** The meeting's calendar file, for anyone who may see the meeting (others get a 404). */
  async meetingIcs(actor: Actor, meetingId: string, siteUrl: string): Promise<{ ics: string; fileName: string }> {
    const m = await this.meetings.find(meetingId);
    if (!m || !(await this.meetings.canSeeMeeting(actor, m))) throw Errors.notFound('Meeting');
    const ics = meetingIcs(toCal(m, siteUrl), siteUrl, await this.settings.get('site.name'));
    return { ics, fileName: `${m.title.replace(/[^\p{L}\p{N} _-]/gu, '_').slice(0, 60) || 'meeting'}.ics` };
  }

  // ---- the private feed --------------------------------------------------------------------

  /** The user's feed URL, created on first use. */
  async feedUrl(actor: Actor, siteUrl: string): Promise<string> {
    const doc = await this.store.feedOf(actor.userId);
    if (doc) {
      try {
        return feedUrlOf(siteUrl, this.box.open(doc.sealed, feedContext(actor.userId)));
      } catch {
        // sealed with another key (SECRETS_KEY changed): the old address cannot be shown, issue a new one
      }
    }
    return this.regenerate(actor, siteUrl);
  }

  /** A new feed URL; the previous one stops working. */
  async regenerate(actor: Actor, siteUrl: string): Promise<string> {
    const token = `${actor.userId}.${randomBytes(32).toString('base64url')}`;
    await this.store.putFeed({
      _id: actor.userId,
      tokenHash: sha256(token),
      sealed: this.box.seal(token, feedContext(actor.userId)),
      createdAt: this.clock.now(),
    });
    return feedUrlOf(siteUrl, token);
  }

  /** The feed for a token from the public URL; null (a 404) for anything not the current token. */
  async feedByToken(token: string, siteUrl: string): Promise<string | null> {
    const match = FEED_TOKEN.exec(token);
    if (!match) return null;
    const doc = await this.store.feedOf(match[1]!);
    if (!doc || !sameHash(doc.tokenHash, sha256(token))) return null;
    const meetings = (await this.meetings.meetingsOfUser(doc._id)).sort((a, b) => startOf(a).getTime() - startOf(b).getTime());
    return feedIcs(meetings.map((m) => toCal(m, siteUrl)), siteUrl, `${await this.settings.get('site.name')} meetings`);
  }

  // ---- CSV export ----------------------------------------------------------------------------

  /**
   * Records as CSV: a room's meetings (`rid`) or, without it, the meetings the user organised,
   * was invited to or attended. Only the meetings whose record the user may see are included.
   */
  async exportCsv(actor: Actor, rid: string | undefined): Promise<{ csv: string; fileName: string }> {
    const all = rid ? await this.meetings.meetingsOfRoom(actor, rid) : await this.meetings.meetingsOfUser(actor.userId);
    const visible: MeetingFacts[] = [];
    for (const m of all) if (await this.meetings.canSeeRecord(actor, m)) visible.push(m);
    visible.sort((a, b) => startOf(a).getTime() - startOf(b).getTime());
    const day = this.clock.now().toISOString().slice(0, 10);
    return { csv: meetingsCsv(visible.map(toCsv)), fileName: `meetings-${rid ?? 'mine'}-${day}.csv` };
  }
}

function feedContext(userId: string): string {
  return `meetings.calendarFeed:${userId}`;
}

/** `https://host/calendar/<token>.ics`; calendar apps subscribe to it (the client offers it as webcal:). */
export function feedUrlOf(siteUrl: string, token: string): string {
  return new URL(`/calendar/${token}.ics`, siteUrl).toString();
}

function startOf(m: MeetingFacts): Date {
  return m.scheduledStart ?? m.startedAt ?? m.createdAt;
}

/** A meeting's calendar view: scheduled time and length, else when it ran (or is running). */
export function toCal(m: MeetingFacts, siteUrl: string): CalMeeting {
  const start = startOf(m);
  let minutes = m.durationMinutes ?? null;
  if (!minutes && m.startedAt && m.endedAt) minutes = Math.max(1, Math.round((m.endedAt.getTime() - m.startedAt.getTime()) / 60_000));
  const person = (p: { username: string; name: string; email?: string }) => ({ name: p.name || p.username, email: personEmail(p.email, p.username, siteUrl) });
  // attendees: invitees, then everyone who joined; the organiser is ORGANIZER, not an attendee
  const seen = new Set<string>([m.organiser.userId]);
  const attendees = [];
  for (const i of m.invitees) {
    if (seen.has(i.userId)) continue;
    seen.add(i.userId);
    attendees.push(person(i));
  }
  for (const p of m.participants) {
    const key = p.userId ?? `guest:${p.email ?? p.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    attendees.push({ name: p.name, email: personEmail(p.email, p.username ?? p.name, siteUrl) });
  }
  return {
    id: m.id,
    title: m.title,
    status: m.status,
    sequence: m.sequence,
    start,
    durationMinutes: minutes ?? DEFAULT_DURATION_MINUTES,
    organiser: person(m.organiser),
    attendees,
    joinUrl: new URL(m.joinPath, siteUrl).toString(),
    roomName: m.roomName,
    updatedAt: m.updatedAt,
  };
}

function toCsv(m: MeetingFacts): CsvMeeting {
  return {
    id: m.id,
    title: m.title,
    roomName: m.roomName,
    status: m.status,
    scheduledStart: m.scheduledStart ?? null,
    startedAt: m.startedAt ?? null,
    endedAt: m.endedAt ?? null,
    organiser: m.organiser.username,
    participants: m.participants.map((p) => ({
      name: p.name,
      ...(p.username ? { username: p.username } : {}),
      ...(p.email ? { email: p.email } : {}),
      guest: p.guest,
      sessions: p.sessions,
      attendanceMs: p.attendanceMs,
    })),
  };
}
