import { useEffect, useMemo, useState } from 'react';
import type { RoomDto } from '@obmeet/contracts';
import { errorMessage, roomsApi } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { UserPicker, type PickedUser } from '../../components/UserPicker';
import { chatStore, useChat } from '../../state/chatStore';

const ORDER = { online: 0, away: 1, offline: 2 } as const;

export function MembersPanel({ room, canManage, meId, onClose }: { room: RoomDto; canManage: boolean; meId: string; onClose: () => void }) {
  const members = useChat((s) => s.members[room._id]);
  const presence = useChat((s) => s.presence);
  const [adding, setAdding] = useState<PickedUser[]>([]);
  const [showAdd, setShowAdd] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    void chatStore.loadMembers(room._id).catch((e) => setError(errorMessage(e)));
  }, [room._id]);

  const sorted = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (members ?? [])
      .filter((m) => !needle || m.username.toLowerCase().includes(needle) || m.name.toLowerCase().includes(needle))
      .map((m) => ({ ...m, status: presence[m.username] ?? m.status }))
      .sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name));
  }, [members, presence, filter]);

  async function invite() {
    setError(null);
    try {
      for (const u of adding) await roomsApi.invite(room.t, room._id, u._id);
      setAdding([]);
      setShowAdd(false);
      await chatStore.loadMembers(room._id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function remove(userId: string) {
    setError(null);
    try {
      await roomsApi.kick(room.t, room._id, userId);
      await chatStore.loadMembers(room._id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const online = sorted.filter((m) => m.status !== 'offline').length;
  return (
    <aside className="side-panel" aria-label="Members">
      <header className="side-panel-header">
        <Icon name="users" />
        <h2>Members</h2>
        <button type="button" className="icon-button" aria-label="Close members" onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="side-panel-scroll">
        <div className="panel-toolbar">
          <input type="search" placeholder="Filter members" aria-label="Filter members" value={filter} onChange={(e) => setFilter(e.target.value)} />
          {room.t !== 'd' && !room.archived && (
            <button type="button" className="button button-small" onClick={() => setShowAdd(!showAdd)} aria-expanded={showAdd}>
              <Icon name="plus" size={14} /> Add
            </button>
          )}
        </div>
        {showAdd && (
          <div className="panel-card">
            <UserPicker label="Add people to this room" selected={adding} onChange={setAdding} exclude={(members ?? []).map((m) => m.username)} autoFocus />
            <div className="row-end">
              <button type="button" className="button button-small" onClick={() => setShowAdd(false)}>
                Cancel
              </button>
              <button type="button" className="button button-small button-primary" disabled={adding.length === 0} onClick={() => void invite()}>
                Add {adding.length || ''}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p className="muted small">
          {sorted.length} {sorted.length === 1 ? 'member' : 'members'} · {online} online
        </p>
        <ul className="member-list">
          {sorted.map((m) => (
            <li key={m._id} className="member" data-username={m.username}>
              <Avatar username={m.username} size={32} showPresence />
              <span className="member-names">
                <span className="member-name">
                  {m.name}
                  {m.roles.includes('owner') && <span className="tag">Owner</span>}
                  {m.roles.includes('moderator') && <span className="tag">Moderator</span>}
                </span>
                <span className="muted">@{m.username}</span>
              </span>
              {canManage && room.t !== 'd' && m._id !== meId && (
                <button type="button" className="icon-button icon-button-small danger" aria-label={`Remove ${m.username} from the room`} title="Remove from room" onClick={() => void remove(m._id)}>
                  <Icon name="x" size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}
