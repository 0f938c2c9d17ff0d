import { expect } from 'chai';
import { registerUser, type TestUser } from '@obmeet/test-kit';
import { createChannel, startWithAdmin, type TestServer } from '../helpers.js';
import { icsDate, icsText, parseCsv, parseIcs } from '../ics-parse.js';
import { M } from './meetings-calendar-api.js';

const SITE = 'https://meet.example.test';
const auth = (u: TestUser) => ({ 'x-user-id': u._id, 'x-auth-token': u.token });

async function getText(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('meetings: calendar files, calendar feed, CSV export', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let eve: TestUser;

  const ics = async (u: TestUser, meetingId: string) => getText(`${server.url}/api/v1/meetings.ics?meetingId=${meetingId}`, auth(u));

  before(async () => {
    // links and UIDs use SITE_URL (not the loopback address the test talks to)
    ({ server, admin } = await startWithAdmin({ SITE_URL: SITE }));
    bob = await registerUser(server.url);
    carol = await registerUser(server.url);
    eve = await registerUser(server.url);
  });
  after(async () => server?.close());

  it('a scheduled meeting has an .ics with a stable UID, start, duration, organiser, attendees and join link; SEQUENCE grows; CANCEL when cancelled', async () => {
    const room = await createChannel(admin, { members: [bob.username] });
    const start = new Date(Date.UTC(2031, 4, 6, 14, 30));
    const meeting = await M.schedule(admin, { rid: room._id, title: 'Quarterly, "planning"', start, durationMinutes: 50, invitees: [carol._id] });

    const first = await ics(bob, meeting._id);
    expect(first.status, first.text).to.equal(200);
    expect(first.type).to.match(/^text\/calendar/);
    const a = parseIcs(first.text);
    expect(a.calendar.get('METHOD')?.value).to.equal('REQUEST');
    expect(a.events).to.have.length(1);
    const e = a.events[0]!;
    const host = 'meet.example.test';
    expect(e.get('UID')?.value).to.equal(`${meeting._id}@${host}`);
    expect(icsText(e.get('SUMMARY')?.value)).to.equal('Quarterly, "planning"');
    expect(icsDate(e.get('DTSTART')).toISOString()).to.equal(start.toISOString());
    expect(icsDate(e.get('DTEND')).getTime() - start.getTime()).to.equal(50 * 60_000);
    expect(e.get('ORGANIZER')?.params.CN).to.be.a('string');
    expect(e.get('ORGANIZER')?.value.toLowerCase()).to.equal(`mailto:${admin.username}@example.test`.toLowerCase());
    expect(e.all('ATTENDEE').map((x) => x.value.toLowerCase())).to.include(`mailto:${carol.username}@example.test`.toLowerCase());
    const url = e.get('URL')?.value ?? '';
    expect(url).to.match(/^https:\/\/meet\.example\.test\/meet\/[A-Za-z0-9_-]+$/);
    expect(icsText(e.get('DESCRIPTION')?.value)).to.contain(url);
    const seq1 = Number(e.get('SEQUENCE')?.value);

    // the same UID, a higher SEQUENCE and the new time after a change
    const later = new Date(start.getTime() + 3_600_000);
    await M.update(admin, meeting._id, { start: later });
    const b = parseIcs((await ics(admin, meeting._id)).text).events[0]!;
    expect(b.get('UID')?.value).to.equal(`${meeting._id}@${host}`);
    expect(Number(b.get('SEQUENCE')?.value)).to.be.greaterThan(seq1);
    expect(icsDate(b.get('DTSTART')).toISOString()).to.equal(later.toISOString());

    await M.cancel(admin, meeting._id);
    const c = parseIcs((await ics(admin, meeting._id)).text);
    expect(c.calendar.get('METHOD')?.value).to.equal('CANCEL');
    expect(c.events[0]!.get('STATUS')?.value).to.equal('CANCELLED');
    expect(c.events[0]!.get('UID')?.value).to.equal(`${meeting._id}@${host}`);
    expect(Number(c.events[0]!.get('SEQUENCE')?.value)).to.be.greaterThan(Number(b.get('SEQUENCE')?.value));

    // someone who may not see the meeting gets a 404, not the file
    const room2 = await createChannel(admin, { type: 'p' });
    const hidden = await M.schedule(admin, { rid: room2._id, title: 'secret', start, durationMinutes: 30, invitees: [] });
    expect((await ics(eve, hidden._id)).status).to.equal(404);
    expect((await getText(`${server.url}/api/v1/meetings.ics?meetingId=${hidden._id}`)).status).to.equal(401);
  });

  it('the private feed works without login, lists the user’s meetings, and regenerating kills the old address', async () => {
    const room = await createChannel(admin);
    const start = new Date(Date.UTC(2031, 6, 1, 9, 0));
    const invited = await M.schedule(admin, { rid: room._id, title: 'carol is invited', start, durationMinutes: 30, invitees: [carol._id] });
    const notInvited = await M.schedule(admin, { rid: room._id, title: 'not for carol', start, durationMinutes: 30, invitees: [] });

    const got = await carol.api.get('meetings.calendarFeed');
    expect(got.status, JSON.stringify(got.body)).to.equal(200);
    const url: string = got.body.url;
    expect(url).to.match(/^https:\/\/meet\.example\.test\/calendar\/[^/]+\.ics$/);
    // asking again shows the same address
    expect((await carol.api.get('meetings.calendarFeed')).body.url).to.equal(url);

    const feed = await getText(url.replace(/^https?:\/\/[^/]+/, server.url)); // no credentials at all
    expect(feed.status).to.equal(200);
    expect(feed.type).to.match(/^text\/calendar/);
    const parsed = parseIcs(feed.text);
    expect(parsed.calendar.get('METHOD')?.value).to.equal('PUBLISH');
    const uids = parsed.events.map((e) => e.get('UID')?.value);
    const host = 'meet.example.test';
    expect(uids).to.include(`${invited._id}@${host}`);
    expect(uids).to.not.include(`${notInvited._id}@${host}`);

    // a stranger's feed is not guessable: another user's id with a made-up secret, a tampered token
    const token = url.split('/calendar/')[1]!.replace(/\.ics$/, '');
    const [uid, secret] = token.split('.');
    expect(uid).to.equal(carol._id);
    expect(secret!.length).to.be.at.least(43);
    const flipped = secret!.slice(0, -1) + (secret!.endsWith('A') ? 'B' : 'A');
    expect((await getText(`${server.url}/calendar/${uid}.${flipped}.ics`)).status).to.equal(404);
    expect((await getText(`${server.url}/calendar/${eve._id}.${secret}.ics`)).status).to.equal(404);
    expect((await getText(`${server.url}/calendar/${uid}.ics`)).status).to.equal(404);
    // the token is kept hashed: it appears nowhere in the database in clear
    const doc = await server.workspace.db.collection('meeting_calendar_feeds').findOne({ _id: carol._id as never });
    expect(JSON.stringify(doc)).to.not.contain(secret);

    const regen = await carol.api.post('meetings.calendarFeed.regenerate', {});
    expect(regen.status).to.equal(200);
    expect(regen.body.url).to.not.equal(url);
    expect((await getText(url.replace(/^https?:\/\/[^/]+/, server.url))).status).to.equal(404);
    expect((await getText(regen.body.url.replace(/^https?:\/\/[^/]+/, server.url))).status).to.equal(200);
    expect((await carol.api.get('meetings.calendarFeed')).body.url).to.equal(regen.body.url);
  });

  it('exports records as CSV, one row per participant, escaped, only for those who may see them', async () => {
    const room = await createChannel(admin, { members: [bob.username, carol.username] });
    const meeting = await M.start(admin, room._id, '=HYPERLINK("http://evil","x"), party');
    await M.join(bob, meeting);
    await M.leave(bob, meeting);
    await M.join(bob, meeting);
    await M.join(admin, meeting);
    await M.end(admin, meeting._id);

    const res = await getText(`${server.url}/api/v1/meetings.export.csv?rid=${room._id}`, auth(admin));
    expect(res.status, res.text).to.equal(200);
    expect(res.type).to.match(/^text\/csv/);
    const rows = parseCsv(res.text);
    const header = rows[0]!;
    expect(header).to.deep.equal([
      'meeting id', 'title', 'room', 'status', 'organiser', 'scheduled', 'started', 'ended', 'participant', 'username', 'email', 'guest', 'joins', 'first joined', 'last left', 'attendance seconds',
    ]);
    const objs = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const mine = objs.filter((o) => o['meeting id'] === meeting._id);
    expect(mine.map((o) => o.username).sort()).to.deep.equal([admin.username, bob.username].sort());
    const bobRow = mine.find((o) => o.username === bob.username)!;
    expect(bobRow.title).to.equal(`'=HYPERLINK("http://evil","x"), party`);
    expect(bobRow.joins).to.equal('2');
    expect(bobRow.status).to.equal('ended');
    expect(Number(bobRow['attendance seconds'])).to.be.at.least(0);
    expect(bobRow['last left']).to.match(/^\d{4}-\d{2}-\d{2}T/);

    // a room member who is not organiser/moderator/admin gets no records of it
    const asBob = await getText(`${server.url}/api/v1/meetings.export.csv?rid=${room._id}`, auth(bob));
    expect(asBob.status).to.equal(200);
    expect(parseCsv(asBob.text)).to.have.length(1);
    // a stranger to a private room gets nothing at all
    const priv = await createChannel(admin, { type: 'p' });
    expect((await getText(`${server.url}/api/v1/meetings.export.csv?rid=${priv._id}`, auth(eve))).status).to.equal(404);
    // the organiser's own export includes the meeting
    const own = parseCsv((await getText(`${server.url}/api/v1/meetings.export.csv`, auth(admin))).text);
    expect(own.slice(1).some((r) => r[0] === meeting._id)).to.equal(true);
  });
});
