import { useCallback, useEffect, useState } from 'react';
import type { RoomDto, RoomType } from '@obmeet/contracts';
import { adminApi, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon, type IconName } from '../../components/Icon';
import { formatFull, formatRelative } from '../../lib/time';
import { navigate, roomPath } from '../../lib/router';
import { useChat } from '../../state/chatStore';
import '../../styles/admin.css';
import { Pager } from './Pager';

const PAGE = 25;
const KINDS: { t: RoomType; label: string; icon: IconName }[] = [
  { t: 'c', label: 'Channels', icon: 'hash' },
  { t: 'p', label: 'Private groups', icon: 'lock' },
  { t: 'd', label: 'Direct messages', icon: 'at' },
];
const KIND_LABEL: Record<RoomType, string> = { c: 'Channel', p: 'Private group', d: 'Direct message' };

function roomTitle(room: RoomDto): string {
  if (room.t === 'd') return (room.usernames ?? []).map((u) => `@${u}`).join(', ') || 'Direct message';
  return room.fname ?? room.name ?? room._id;
}

/** Every room of the workspace, whether or not the admin is a member: archive, delete, open. */
export function AdminRooms() {
  const subs = useChat((s) => s.subs);
  const [types, setTypes] = useState<RoomType[]>(['c', 'p', 'd']);
  const [filter, setFilter] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ rooms: RoomDto[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<RoomDto | null>(null);

  const load = useCallback(async (ts: RoomType[], text: string, off: number) => {
    if (ts.length === 0) {
      setPage({ rooms: [], total: 0 });
      return;
    }
    try {
      const r = await adminApi.rooms(ts, text.trim(), PAGE, off);
      setPage({ rooms: r.rooms, total: r.total });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void load(types, filter, offset), filter ? 250 : 0);
    return () => clearTimeout(timer);
  }, [load, types, filter, offset]);

  const reload = () => load(types, filter, offset);

  async function act(room: RoomDto, action: () => Promise<unknown>) {
    setBusy(room._id);
    setError(null);
    try {
      await action();
      await reload();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="admin-page">
      <h2>Rooms</h2>
      <div className="admin-toolbar">
        <div className="search-field">
          <Icon name="search" size={16} className="input-icon" />
          <input
            type="search"
            placeholder="Search by name or member"
            aria-label="Search rooms"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        <fieldset className="kind-filter">
          <legend className="visually-hidden">Room types</legend>
          {KINDS.map((k) => (
            <label key={k.t} className="checkbox checkbox-small">
              <input
                type="checkbox"
                checked={types.includes(k.t)}
                onChange={(e) => {
                  setTypes((ts) => (e.target.checked ? [...ts, k.t] : ts.filter((t) => t !== k.t)));
                  setOffset(0);
                }}
              />
              {k.label}
            </label>
          ))}
        </fieldset>
      </div>
      {page && <p className="muted small">{page.total} {page.total === 1 ? 'room' : 'rooms'}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {page && (
        <div className="table-scroll">
          <table className="table admin-table" aria-label="Rooms">
            <thead>
              <tr>
                <th>Room</th>
                <th>Type</th>
                <th>Members</th>
                <th>Messages</th>
                <th>Last activity</th>
                <th className="cell-actions">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.rooms.map((room) => {
                const kind = KINDS.find((k) => k.t === room.t)!;
                // a private room opens only for its members (the admin may not be one)
                const canOpen = room.t === 'c' || Boolean(subs[room._id]);
                return (
                  <tr key={room._id} data-room-name={room.name ?? room._id} className={room.archived ? 'row-inactive' : undefined}>
                    <td>
                      <div className="user-cell">
                        <Icon name={kind.icon} size={16} className="muted" />
                        <div>
                          <div className="strong">
                            {roomTitle(room)}
                            {room.archived && <span className="tag">Archived</span>}
                            {room.ro && <span className="tag">Read-only</span>}
                          </div>
                          {room.topic && <div className="muted small">{room.topic}</div>}
                        </div>
                      </div>
                    </td>
                    <td className="small">{KIND_LABEL[room.t]}</td>
                    <td data-testid="room-members">{room.usersCount}</td>
                    <td>{room.msgs}</td>
                    <td className="small" title={formatFull(room._updatedAt)}>
                      {formatRelative(room.lastMessage?.ts ?? room._updatedAt)}
                    </td>
                    <td className="cell-actions">
                      <div className="row-end">
                        {canOpen && (
                          <button type="button" className="button button-small" onClick={() => navigate(roomPath(room._id))}>
                            Open
                          </button>
                        )}
                        {room.t !== 'd' && (
                          <button
                            type="button"
                            className="button button-small"
                            disabled={busy === room._id}
                            onClick={() => void act(room, () => adminApi.setRoomArchived(room, !room.archived))}
                          >
                            {room.archived ? 'Unarchive' : 'Archive'}
                          </button>
                        )}
                        {room.t !== 'd' && (
                          <button type="button" className="button button-small button-danger-outline" disabled={busy === room._id} onClick={() => setDeleting(room)}>
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
              {page.rooms.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted center">
                    No rooms match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pager label="Rooms" offset={offset} count={page.rooms.length} total={page.total} pageSize={PAGE} onPage={setOffset} />}

      {deleting && (
        <Dialog
          title={`Delete ${roomTitle(deleting)}?`}
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setDeleting(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={busy === deleting._id}
                onClick={() =>
                  void act(deleting, () => adminApi.deleteRoom(deleting)).then((ok) => {
                    if (ok) setDeleting(null);
                  })
                }
              >
                Delete for everyone
              </button>
            </>
          }
        >
          <p>
            The {KIND_LABEL[deleting.t].toLowerCase()} and its {deleting.msgs} {deleting.msgs === 1 ? 'message' : 'messages'} are removed for all {deleting.usersCount}{' '}
            {deleting.usersCount === 1 ? 'member' : 'members'}. This cannot be undone; archiving keeps the history instead.
          </p>
        </Dialog>
      )}
    </div>
  );
}
