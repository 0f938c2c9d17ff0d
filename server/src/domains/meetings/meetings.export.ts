/**
 * CSV export of meeting records (RFC 4180, written by hand: no CSV library is installed and the
 * format needs only quoting). One row per participant of each meeting, with their join count and
 * total attendance; a meeting nobody joined still gets one row with the participant columns empty.
 */

export interface CsvParticipant {
  name: string;
  /** the user's username, or empty for a guest */
  username?: string;
  email?: string;
  guest: boolean;
  sessions: Array<{ joinedAt: Date; leftAt?: Date | null }>;
  attendanceMs: number;
}

export interface CsvMeeting {
  id: string;
  title: string;
  roomName: string;
  status: string;
  scheduledStart?: Date | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  organiser: string;
  participants: CsvParticipant[];
}

export const CSV_COLUMNS = [
  'meeting id',
  'title',
  'room',
  'status',
  'organiser',
  'scheduled',
  'started',
  'ended',
  'participant',
  'username',
  'email',
  'guest',
  'joins',
  'first joined',
  'last left',
  'attendance seconds',
] as const;

/**
 * One CSV field. Quoted when it holds a comma, quote, CR or LF (quotes doubled). A text that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab/CR that some apps skip
 * before one) gets a leading apostrophe: "CSV injection" (OWASP).
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function iso(d: Date | null | undefined): string {
  return d ? d.toISOString() : '';
}

/** The whole file: header line, then rows; CRLF line ends as RFC 4180 says. */
export function meetingsCsv(meetings: CsvMeeting[]): string {
  const lines: string[] = [CSV_COLUMNS.map(csvField).join(',')];
  for (const m of meetings) {
    const head = [m.id, m.title, m.roomName, m.status, m.organiser, iso(m.scheduledStart), iso(m.startedAt), iso(m.endedAt)];
    if (!m.participants.length) {
      lines.push([...head, '', '', '', '', '', '', '', ''].map(csvField).join(','));
      continue;
    }
    for (const p of m.participants) {
      const joins = p.sessions.map((s) => s.joinedAt.getTime());
      const lefts = p.sessions.map((s) => s.leftAt?.getTime());
      const stillIn = lefts.some((l) => l === undefined);
      const row = [
        ...head,
        p.name,
        p.username ?? '',
        p.email ?? '',
        p.guest ? 'yes' : 'no',
        p.sessions.length,
        joins.length ? new Date(Math.min(...joins)).toISOString() : '',
        !stillIn && lefts.length ? new Date(Math.max(...(lefts as number[]))).toISOString() : '',
        Math.round(p.attendanceMs / 1000),
      ];
      lines.push(row.map(csvField).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}
