import { expect } from 'chai';
import { meetingIcs, feedIcs, meetingUid, type CalMeeting } from '../../src/domains/meetings/meetings.ics.js';
import { csvField, meetingsCsv, CSV_COLUMNS } from '../../src/domains/meetings/meetings.export.js';
import { icsDate, icsText, parseCsv, parseIcs } from '../ics-parse.js';

const site = 'https://chat.example.org';
const base: CalMeeting = {
  id: 'M1abc',
  title: 'Planning; Q4, with "quotes"',
  status: 'scheduled',
  sequence: 3,
  start: new Date('2026-12-01T09:30:00Z'),
  durationMinutes: 45,
  organiser: { name: 'Ada', email: 'ada@example.org' },
  attendees: [{ name: 'Bob', email: 'bob@example.org' }],
  joinUrl: `${site}/meet/tok123`,
  roomName: 'general',
  updatedAt: new Date('2026-11-20T08:00:00Z'),
};

describe('meetings: iCalendar and CSV formats', () => {
  it('writes one event with a stable UID, SEQUENCE, UTC times, organiser, attendees and the join link', () => {
    const { calendar, events } = parseIcs(meetingIcs(base, site, 'OBMeet'));
    expect(calendar.get('METHOD')?.value).to.equal('REQUEST');
    expect(events).to.have.length(1);
    const e = events[0]!;
    expect(e.get('UID')?.value).to.equal('M1abc@chat.example.org').and.equal(meetingUid('M1abc', site));
    expect(e.get('SEQUENCE')?.value).to.equal('3');
    expect(icsDate(e.get('DTSTART')).toISOString()).to.equal('2026-12-01T09:30:00.000Z');
    expect(icsDate(e.get('DTEND')).getTime() - icsDate(e.get('DTSTART')).getTime()).to.equal(45 * 60_000);
    expect(icsText(e.get('SUMMARY')?.value)).to.equal(base.title);
    expect(e.get('ORGANIZER')?.value.toLowerCase()).to.equal('mailto:ada@example.org');
    expect(e.all('ATTENDEE').map((a) => a.value.toLowerCase())).to.deep.equal(['mailto:bob@example.org']);
    expect(e.get('URL')?.value).to.equal(`${site}/meet/tok123`);
    expect(icsText(e.get('DESCRIPTION')?.value)).to.contain(`${site}/meet/tok123`);
    expect(e.get('STATUS')?.value).to.equal('CONFIRMED');
  });

  it('a cancelled meeting is METHOD:CANCEL with STATUS:CANCELLED; a feed is PUBLISH', () => {
    const { calendar, events } = parseIcs(meetingIcs({ ...base, status: 'cancelled', sequence: 4 }, site, 'OBMeet'));
    expect(calendar.get('METHOD')?.value).to.equal('CANCEL');
    expect(events[0]!.get('STATUS')?.value).to.equal('CANCELLED');
    expect(events[0]!.get('SEQUENCE')?.value).to.equal('4');
    const feed = parseIcs(feedIcs([base, { ...base, id: 'M2' }], site, 'Meetings'));
    expect(feed.calendar.get('METHOD')?.value).to.equal('PUBLISH');
    expect(feed.events.map((x) => x.get('UID')?.value)).to.deep.equal(['M1abc@chat.example.org', 'M2@chat.example.org']);
  });

  it('CSV: quotes commas, quotes and newlines, and defuses formulas', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) expect(csvField(f)).to.equal(`'${f}`);
    expect(csvField('=HYPERLINK("x","y")')).to.equal(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField(42)).to.equal('42');

    const csv = meetingsCsv([
      {
        id: 'M1', title: '=cmd|"/c calc"!A1', roomName: 'general', status: 'ended', organiser: 'ada',
        startedAt: new Date('2026-12-01T09:00:00Z'), endedAt: new Date('2026-12-01T10:00:00Z'),
        participants: [
          { name: 'Ada, the first', username: 'ada', email: 'ada@example.org', guest: false, attendanceMs: 1_500_000,
            sessions: [{ joinedAt: new Date('2026-12-01T09:00:00Z'), leftAt: new Date('2026-12-01T09:10:00Z') }, { joinedAt: new Date('2026-12-01T09:30:00Z'), leftAt: new Date('2026-12-01T09:45:00Z') }] },
        ],
      },
      { id: 'M2', title: 'empty', roomName: 'general', status: 'cancelled', organiser: 'ada', participants: [] },
    ]);
    expect(csv.endsWith('\r\n')).to.equal(true);
    const rows = parseCsv(csv);
    expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
    expect(rows).to.have.length(3);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(row).to.include({ 'meeting id': 'M1', title: `'=cmd|"/c calc"!A1`, participant: 'Ada, the first', joins: '2', 'attendance seconds': '1500', guest: 'no' });
    expect(row['first joined']).to.equal('2026-12-01T09:00:00.000Z');
    expect(row['last left']).to.equal('2026-12-01T09:45:00.000Z');
    expect(rows[2]!.slice(0, 4)).to.deep.equal(['M2', 'empty', 'general', 'cancelled']);
    expect(rows[2]![8]).to.equal('');
  });
});
