import type { TestUser } from '@obmeet/test-kit';

/** The meetings core's REST calls the calendar/recording tests need (see docs/api.md "Meetings"). */
export interface TestMeeting {
  _id: string;
  token: string;
  participantIds: Map<string, string>;
}

async function ok(res: { status: number; body: any }, what: string) {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const M = {
  /** an ad-hoc meeting (`/meet`): live at once, the starter is its moderator */
  async start(u: TestUser, rid: string, title: string): Promise<TestMeeting> {
    const b = await ok(await u.api.post('meetings.create', { rid, title }), 'meetings.create');
    return { _id: b.meeting._id, token: b.meeting.token, participantIds: new Map() };
  },
  async schedule(u: TestUser, o: { rid: string; title: string; start: Date; durationMinutes: number; invitees: string[] }) {
    const b = await ok(
      await u.api.post('meetings.schedule', { rid: o.rid, title: o.title, start: o.start.toISOString(), durationMinutes: o.durationMinutes, invitees: { users: o.invitees, rooms: [] } }),
      'meetings.schedule',
    );
    return b.meeting as { _id: string; token: string; sequence: number };
  },
  async update(u: TestUser, meetingId: string, o: { start?: Date; title?: string }) {
    return ok(await u.api.post('meetings.update', { meetingId, ...(o.start ? { start: o.start.toISOString() } : {}), ...(o.title ? { title: o.title } : {}) }), 'meetings.update');
  },
  async cancel(u: TestUser, meetingId: string) {
    return ok(await u.api.post('meetings.cancel', { meetingId }), 'meetings.cancel');
  },
  async join(u: TestUser, m: TestMeeting) {
    const b = await ok(await u.api.post('meetings.join', { key: m.token, audio: true, video: false }), 'meetings.join');
    m.participantIds.set(u._id, b.participantId);
    return b;
  },
  async leave(u: TestUser, m: TestMeeting) {
    const participantId = m.participantIds.get(u._id);
    return ok(await u.api.post('meetings.leave', { meetingId: m._id, participantId }), 'meetings.leave');
  },
  async end(u: TestUser, meetingId: string) {
    return ok(await u.api.post('meetings.moderate', { meetingId, action: 'end' }), 'meetings.end');
  },
  /** the meeting as this user sees it */
  async get(u: TestUser, meetingId: string) {
    return (await ok(await u.api.get('meetings.info', { key: meetingId }), 'meetings.info')).meeting;
  },
};
