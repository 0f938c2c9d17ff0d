import type { Clock } from '../../clock.js';
import type { AccountsService, Actor } from '../accounts/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { MeetingDoc } from './meetings.model.js';
import type { FactsPerson, MeetingFacts, MeetingsPort } from './meetings.port.js';
import { attendanceMs, joinPath } from './meetings.present.js';
import type { MeetingsService } from './meetings.service.js';

/** The meetings core as the calendar, CSV export and recordings see it (meetings.port.ts). */
export function meetingsPortOf(service: MeetingsService, accounts: AccountsService, rooms: RoomsService, clock: Clock): MeetingsPort {
  const facts = async (m: MeetingDoc): Promise<MeetingFacts> => {
    const room = await rooms.requireRoom(m.rid).catch(() => null);
    // participants' emails too: the attendance export lists everyone's, as Zoom's and Teams' reports do
    const users = await accounts.usersByIds([...new Set([m.organiser._id, ...m.invitees, ...m.participants.flatMap((p) => (p.userId ? [p.userId] : []))])]);
    const person = (id: string, fallback?: { username: string; name?: string }): FactsPerson => {
      const u = users.find((x) => x._id === id);
      const email = u?.email;
      return { userId: id, username: u?.username ?? fallback?.username ?? id, name: u?.name ?? fallback?.name ?? u?.username ?? id, ...(email ? { email } : {}) };
    };
    const now = clock.now();
    return {
      id: m._id,
      rid: m.rid,
      roomName: room?.fname ?? room?.name ?? '',
      title: m.title,
      status: m.status,
      sequence: m.sequence,
      scheduledStart: m.scheduledStart ?? null,
      durationMinutes: m.durationMinutes ?? null,
      startedAt: m.startedAt ?? null,
      endedAt: m.endedAt ?? null,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      organiser: person(m.organiser._id, m.organiser),
      invitees: m.invitees.map((id) => person(id)),
      participants: m.participants.map((p) => {
        const email = p.email ?? (p.userId ? users.find((u) => u._id === p.userId)?.email : undefined);
        return {
          ...(p.userId ? { userId: p.userId } : {}),
          ...(p.username ? { username: p.username } : {}),
          name: p.name,
          ...(email ? { email } : {}),
          guest: !!p.guest,
          sessions: p.sessions.map((s) => ({ joinedAt: s.joinedAt, leftAt: s.leftAt ?? null })),
          attendanceMs: attendanceMs(p, now),
        };
      }),
      joinPath: joinPath(m.token),
      recording: m.recording,
    };
  };
  const doc = async (f: MeetingFacts) => service.getMeeting(f.id);
  return {
    async find(id) {
      const m = await service.getMeeting(id);
      return m ? facts(m) : null;
    },
    async canSeeMeeting(actor: Actor, f) {
      const m = await doc(f);
      if (!m) return false;
      return (await service.canSeeRecord(actor, m)) || (await service.mayJoin(actor, m)) || m.userIds.includes(actor.userId);
    },
    async canSeeRecord(actor, f) {
      const m = await doc(f);
      return !!m && (await service.canSeeRecord(actor, m));
    },
    async isModerator(actor, f) {
      const m = await doc(f);
      return !!m && service.isModerator(actor, m);
    },
    async meetingsOfUser(userId) {
      return Promise.all((await service.meetingsOfUser(userId)).map(facts));
    },
    async meetingsOfRoom(actor, rid) {
      await rooms.requireReadable(actor, rid);
      return Promise.all((await service.meetingsOfRoom(rid)).map(facts));
    },
    setRecording: (id, on) => service.setRecording(id, on),
    attachRecording: (id, rec) => service.attachRecording(id, rec),
  };
}
