/** REST calls for meeting records, history, calendar; the view shapes the pages use. */
import { API_BASE, get, post } from '../../api/http';

export interface MeetingRecordView {
  id: string;
  joinKey: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  organiserName?: string;
  scheduledStart?: string;
  startedAt?: string;
  endedAt?: string;
  participantCount: number;
  peakConcurrent: number;
  participants: Array<{ key: string; name: string; email?: string; sessions: Array<{ joinedAt: string; leftAt?: string }>; attendanceMs: number }>;
  recordings: Array<{ url: string; size?: number }>;
}

/* The wire shapes below follow packages/contracts/src/meetings.ts. */
interface WireParticipantRecord {
  userId?: string;
  username?: string;
  name: string;
  email?: string;
  guest?: boolean;
  sessions: Array<{ joinedAt: string; leftAt?: string | null }>;
  attendanceMs: number;
}

export interface WireMeeting {
  _id: string;
  token?: string;
  rid: string;
  msgId?: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  organiser?: { _id: string; username: string; name?: string };
  scheduledStart?: string;
  startedAt?: string;
  endedAt?: string;
  participantCount?: number;
  peakConcurrent?: number;
  participants?: WireParticipantRecord[];
  recordings?: Array<{ url: string; size?: number }>;
}

export function recordView(m: WireMeeting): MeetingRecordView {
  return {
    id: m._id,
    joinKey: m.token ?? m._id,
    title: m.title,
    status: m.status,
    organiserName: m.organiser?.name ?? m.organiser?.username,
    scheduledStart: m.scheduledStart,
    startedAt: m.startedAt,
    endedAt: m.endedAt,
    participantCount: m.participantCount ?? m.participants?.length ?? 0,
    peakConcurrent: m.peakConcurrent ?? 0,
    participants: (m.participants ?? []).map((p, i) => ({
      key: p.userId ?? `${p.email ?? p.name}-${i}`,
      name: p.guest ? `${p.name} (guest)` : (p.name ?? p.username ?? '?'),
      email: p.email,
      sessions: p.sessions.map((s) => ({ joinedAt: s.joinedAt, leftAt: s.leftAt ?? undefined })),
      attendanceMs: p.attendanceMs,
    })),
    recordings: m.recordings ?? [],
  };
}

export const meetingsApi = {
  create: (rid: string, title?: string) => post<{ meeting: WireMeeting }>('meetings.create', title ? { rid, title } : { rid }),
  async history(rid?: string): Promise<MeetingRecordView[]> {
    const r = await get<{ meetings: WireMeeting[] }>('meetings.list', rid ? { rid, count: 100 } : { mine: true, count: 100 });
    return r.meetings.map(recordView);
  },
  csvUrl: (rid?: string) => `${API_BASE}/meetings.export.csv${rid ? `?rid=${encodeURIComponent(rid)}` : ''}`,
  icsUrl: (meetingId: string) => `${API_BASE}/meetings.ics?meetingId=${encodeURIComponent(meetingId)}`,
  async feedUrl(): Promise<string> {
    return (await get<{ url: string }>('meetings.calendarFeed')).url;
  },
  async regenerateFeed(): Promise<string> {
    return (await post<{ url: string }>('meetings.calendarFeed.regenerate')).url;
  },
};
