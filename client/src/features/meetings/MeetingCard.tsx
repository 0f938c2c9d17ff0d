/**
 * The meeting message in a room's timeline: title, who started it, who is in it now,
 * "ended · duration" once over, and Join / Add to calendar. It updates live because the
 * server edits the message as the meeting changes.
 */
import { Avatar } from '../../components/Avatar';
import { formatFull, formatTime } from '../../lib/time';
import { meetingPath, navigate } from '../../lib/router';
import { formatDuration } from './format';
import { MeetIcon } from './MeetIcons';
import './meetings.css';

export interface MeetingCardData {
  id: string;
  /** what goes in the link: the unguessable token when there is one */
  joinKey: string;
  title: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  startedByName?: string;
  scheduledStart?: string;
  startedAt?: string;
  endedAt?: string;
  participants: Array<{ username?: string; name: string }>;
  icsUrl?: string;
}

const SHOWN_AVATARS = 5;

export function MeetingCard({ data }: { data: MeetingCardData }) {
  const ended = data.status === 'ended' || data.status === 'cancelled';
  const duration = data.startedAt && data.endedAt ? formatDuration(Date.parse(data.endedAt) - Date.parse(data.startedAt)) : null;
  let state: string;
  if (data.status === 'cancelled') state = 'Cancelled';
  else if (data.status === 'ended') state = duration ? `Ended · ${duration}` : 'Ended';
  else if (data.status === 'scheduled') state = data.scheduledStart ? `Scheduled for ${formatFull(data.scheduledStart)}` : 'Scheduled';
  else state = data.participants.length === 0 ? 'Nobody is in it yet' : `${data.participants.length} in the meeting`;
  return (
    <div className={`meeting-card${ended ? ' is-ended' : ''}`} data-meeting={data.id} data-status={data.status} role="group" aria-label={`Meeting: ${data.title}`}>
      <span className="meeting-card-icon" aria-hidden="true">
        <MeetIcon name="video" />
      </span>
      <div className="meeting-card-main">
        <div className="meeting-card-title">{data.title}</div>
        <div className="meeting-card-meta">
          {data.startedByName && <span>Started by {data.startedByName}{data.startedAt ? ` at ${formatTime(data.startedAt)}` : ''} ·</span>}
          {!ended && data.participants.length > 0 && (
            <span className="meeting-avatars" aria-hidden="true">
              {data.participants.slice(0, SHOWN_AVATARS).map((p, i) => (p.username ? <Avatar key={p.username} username={p.username} size={20} /> : <span key={`g${i}`} className="avatar" style={{ width: 20, height: 20 }} />))}
            </span>
          )}
          <span className="meeting-card-state">{state}</span>
        </div>
      </div>
      {!ended && (
        <a
          className="button button-primary"
          href={meetingPath(data.joinKey)}
          onClick={(e) => {
            e.preventDefault();
            navigate(meetingPath(data.joinKey));
          }}
        >
          Join
        </a>
      )}
      {data.icsUrl && data.status !== 'cancelled' && (
        <a className="button" href={data.icsUrl} download title="Add to calendar (.ics)">
          <MeetIcon name="calendar" size={16} />
          <span className="visually-hidden">Add to calendar</span>
        </a>
      )}
    </div>
  );
}
