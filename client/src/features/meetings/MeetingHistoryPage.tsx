/**
 * Meeting history, per room (`/meetings/room/<rid>`, linked from the room info panel) or
 * the signed-in user's own (`/meetings`): each meeting's record with its participants, their
 * join/leave times and attendance, recordings, the CSV export and "Add to calendar".
 */
import { useEffect, useState } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { errorMessage } from '../../api';
import { PageHeader } from '../../components/PageHeader';
import { formatFull, formatTime } from '../../lib/time';
import { meetingPath, navigate, roomPath } from '../../lib/router';
import { useChat } from '../../state/chatStore';
import { meetingsApi, type MeetingRecordView } from './meetingsApi';
import { formatDuration } from './format';
import './meetings.css';

export function MeetingHistoryPage({ rid, me, onOpenSidebar }: { rid?: string; me: UserDto; onOpenSidebar: () => void }) {
  const room = useChat((s) => (rid ? s.rooms[rid] : undefined));
  const [records, setRecords] = useState<MeetingRecordView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    meetingsApi.history(rid).then(
      (r) => !gone && setRecords(r),
      (e: unknown) => !gone && setError(errorMessage(e)),
    );
    return () => {
      gone = true;
    };
  }, [rid]);

  const title = rid ? `Meetings in ${room?.fname ?? room?.name ?? 'this room'}` : 'My meetings';
  return (
    <div className="page meet-history">
      <PageHeader title={title} icon="users" onOpenSidebar={onOpenSidebar}>
        <a className="button" href={meetingsApi.csvUrl(rid)} download>
          Export CSV
        </a>
      </PageHeader>
      <div className="page-body">
        {rid && (
          <p>
            <a href={roomPath(rid)} onClick={(e) => (e.preventDefault(), navigate(roomPath(rid)))}>
              Back to the room
            </a>
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!records && !error && <p className="muted">Loading…</p>}
        {records && records.length === 0 && <p className="muted">No meetings yet.</p>}
        {records && records.length > 0 && (
          <table aria-label="Meetings">
            <thead>
              <tr>
                <th>Meeting</th>
                <th>When</th>
                <th>Duration</th>
                <th>People</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id} data-meeting={r.id}>
                  <td>
                    <strong>{r.title}</strong>
                    <div className="muted">
                      {r.status}
                      {r.organiserName ? ` · organised by ${r.organiserName}` : ''}
                    </div>
                    <details>
                      <summary>Attendance</summary>
                      <table aria-label={`Attendance of ${r.title}`}>
                        <thead>
                          <tr>
                            <th>Participant</th>
                            <th>Joined / left</th>
                            <th>Total</th>
                          </tr>
                        </thead>
                        <tbody>
                          {r.participants.map((p) => (
                            <tr key={p.key}>
                              <td>
                                {p.name}
                                {p.email ? <div className="muted">{p.email}</div> : null}
                              </td>
                              <td>
                                {p.sessions.map((s, i) => (
                                  <div key={i}>
                                    {formatTime(s.joinedAt)} – {s.leftAt ? formatTime(s.leftAt) : 'still in'}
                                  </div>
                                ))}
                              </td>
                              <td>{formatDuration(p.attendanceMs)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      {r.recordings.map((rec) => (
                        <div key={rec.url}>
                          <a href={rec.url}>Recording{rec.size ? ` (${Math.round(rec.size / 1024 / 1024)} MB)` : ''}</a>
                        </div>
                      ))}
                    </details>
                  </td>
                  <td>{r.startedAt ? formatFull(r.startedAt) : r.scheduledStart ? `scheduled ${formatFull(r.scheduledStart)}` : '—'}</td>
                  <td>{r.startedAt && r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt)) : '—'}</td>
                  <td>
                    {r.participantCount} (peak {r.peakConcurrent})
                  </td>
                  <td>
                    {r.status === 'live' && (
                      <a className="button button-primary" href={meetingPath(r.joinKey)} onClick={(e) => (e.preventDefault(), navigate(meetingPath(r.joinKey)))}>
                        Join
                      </a>
                    )}{' '}
                    {r.status !== 'cancelled' && (
                      <a className="button" href={meetingsApi.icsUrl(r.id)} download>
                        Add to calendar
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!rid && <CalendarFeed me={me} />}
      </div>
    </div>
  );
}

/** The private webcal feed URL, shown here and on the account page. */
export function CalendarFeed({ me }: { me: UserDto }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    meetingsApi.feedUrl().then(setUrl, (e: unknown) => setError(errorMessage(e)));
  }, [me._id]);
  return (
    <section className="settings-section" aria-label="Calendar feed">
      <h2>Calendar feed</h2>
      <p className="muted">Subscribe to this private address in Google Calendar, Outlook or Apple Calendar to see all your meetings. Anyone with it can read your meeting list: regenerate it if it leaks.</p>
      {error && <p className="form-error">{error}</p>}
      {url && (
        <p>
          <input className="input" readOnly value={url} aria-label="Calendar feed address" onFocus={(e) => e.currentTarget.select()} style={{ width: '100%' }} />
        </p>
      )}
      <p className="meet-toggles">
        {url && (
          <a className="button" href={url}>
            Open in calendar app
          </a>
        )}
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            if (!window.confirm('Regenerate the address? Calendars subscribed to the old one stop updating.')) return;
            setBusy(true);
            meetingsApi
              .regenerateFeed()
              .then(setUrl, (e: unknown) => setError(errorMessage(e)))
              .finally(() => setBusy(false));
          }}
        >
          Regenerate address
        </button>
      </p>
    </section>
  );
}
