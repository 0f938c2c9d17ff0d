import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoomDto } from '@obmeet/contracts';
import { errorMessage, roomsApi } from '../../api';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { navigate, roomPath } from '../../lib/router';
import { chatStore, useChat } from '../../state/chatStore';

const PAGE = 50;

/** Browse every public channel and join one. */
export function DirectoryPage({ onOpenSidebar }: { onOpenSidebar: () => void }) {
  const subs = useChat((s) => s.subs);
  const [channels, setChannels] = useState<RoomDto[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [joining, setJoining] = useState<string | null>(null);

  const loadPage = useCallback(async (offset: number, query: string) => {
    setLoading(true);
    try {
      const page = await roomsApi.directory(PAGE, offset, query.trim() || undefined);
      setChannels((prev) => (offset === 0 ? page.channels : [...prev, ...page.channels]));
      setTotal(page.total);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  // the server searches names; a short pause keeps typing from sending a request per key
  useEffect(() => {
    const timer = setTimeout(() => void loadPage(0, filter), filter ? 250 : 0);
    return () => clearTimeout(timer);
  }, [loadPage, filter]);

  const visible = useMemo(() => {
    // the loaded page may lag behind the typing: narrow it down locally meanwhile
    const needle = filter.trim().toLowerCase();
    return channels.filter((c) => !needle || (c.fname ?? c.name ?? '').toLowerCase().includes(needle) || (c.topic ?? '').toLowerCase().includes(needle));
  }, [channels, filter]);

  async function join(room: RoomDto) {
    setJoining(room._id);
    try {
      await roomsApi.join(room._id);
      chatStore.addRoom(room);
      await chatStore.loadRoomsAndSubscriptions();
      navigate(roomPath(room._id));
    } catch (e) {
      setError(errorMessage(e));
      setJoining(null);
    }
  }

  return (
    <div className="page">
      <PageHeader title="Channel directory" icon="compass" onOpenSidebar={onOpenSidebar} />
      <div className="page-body">
        <div className="directory-toolbar">
          <div className="search-field">
            <Icon name="search" size={16} className="input-icon" />
            <input type="search" placeholder="Search channels" aria-label="Search channels" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
          <span className="muted">{total} public {total === 1 ? 'channel' : 'channels'}</span>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <ul className="directory-list" aria-busy={loading}>
          {visible.map((room) => {
            const member = Boolean(subs[room._id]);
            return (
              <li key={room._id} className="directory-item" data-room-name={room.name}>
                <Icon name="hash" className="directory-icon" />
                <div className="directory-text">
                  <div className="directory-name">
                    {room.fname ?? room.name}
                    {room.archived && <span className="tag">Archived</span>}
                    {room.ro && <span className="tag">Read-only</span>}
                  </div>
                  <div className="directory-meta">
                    {room.usersCount} {room.usersCount === 1 ? 'member' : 'members'}
                    {room.topic ? ` · ${room.topic}` : ''}
                  </div>
                </div>
                {member ? (
                  <button type="button" className="button" onClick={() => navigate(roomPath(room._id))}>
                    Open
                  </button>
                ) : (
                  <button type="button" className="button button-primary" disabled={joining === room._id || room.archived} onClick={() => void join(room)}>
                    {joining === room._id ? 'Joining…' : 'Join'}
                  </button>
                )}
              </li>
            );
          })}
          {!loading && visible.length === 0 && <li className="empty-state">No channels match.</li>}
        </ul>
        {channels.length < total && (
          <button type="button" className="button button-block" disabled={loading} onClick={() => void loadPage(channels.length, filter)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
    </div>
  );
}
