import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { RoleName, UserDto } from '@obmeet/contracts';
import { adminApi, errorMessage } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { formatFull, formatRelative } from '../../lib/time';
import '../../styles/admin.css';
import { useSession } from '../auth/session';
import { Pager } from './Pager';

const PAGE = 25;
const ROLES: { role: RoleName; label: string; hint: string }[] = [
  { role: 'admin', label: 'Administrator', hint: 'Everything, including these pages' },
  { role: 'moderator', label: 'Moderator', hint: 'Edits and deletes anyone’s messages' },
  { role: 'user', label: 'User', hint: 'Creates rooms and chats' },
  { role: 'guest', label: 'Guest', hint: 'Only rooms they are invited to' },
  { role: 'bot', label: 'Bot', hint: 'For integrations' },
];

/** Users of the workspace: search, create, deactivate and reactivate, roles. */
export function AdminUsers() {
  const session = useSession();
  const myId = session.status === 'authenticated' ? session.me._id : '';
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ users: UserDto[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'roles' | 'deactivate'; user: UserDto } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async (q: string, off: number) => {
    try {
      const r = await adminApi.users(q.trim(), PAGE, off);
      setPage({ users: r.users, total: r.total });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void load(query, offset), query ? 250 : 0);
    return () => clearTimeout(timer);
  }, [load, query, offset]);

  const reload = () => load(query, offset);

  async function setActive(user: UserDto, active: boolean) {
    setBusy(user._id);
    try {
      await adminApi.setUserActive(user._id, active);
      setDialog(null);
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="admin-page">
      <div className="row-between">
        <h2>Users</h2>
        <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
          <Icon name="plus" size={16} /> New user
        </button>
      </div>
      <div className="admin-toolbar">
        <div className="search-field">
          <Icon name="search" size={16} className="input-icon" />
          <input
            type="search"
            placeholder="Search by name or username"
            aria-label="Search users"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        {page && <span className="muted">{page.total} {page.total === 1 ? 'user' : 'users'}</span>}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {page && (
        <div className="table-scroll">
          <table className="table admin-table" aria-label="Users">
            <thead>
              <tr>
                <th>User</th>
                <th>Email</th>
                <th>Roles</th>
                <th>Status</th>
                <th>Last login</th>
                <th className="cell-actions">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((u) => (
                <tr key={u._id} data-username={u.username} className={u.active ? undefined : 'row-inactive'}>
                  <td>
                    <div className="user-cell">
                      <Avatar username={u.username} size={28} />
                      <div>
                        <div className="strong">{u.name}</div>
                        <div className="muted small">@{u.username}</div>
                      </div>
                    </div>
                  </td>
                  <td className="small">{u.emails?.[0]?.address ?? '—'}</td>
                  <td>
                    <div className="tags">
                      {u.roles.map((r) => (
                        <span key={r} className="tag">
                          {r}
                        </span>
                      ))}
                      {u.type === 'bot' && !u.roles.includes('bot') && <span className="tag">bot</span>}
                    </div>
                  </td>
                  <td data-testid="user-status">{u.active ? <span className={`presence-inline presence-${u.status}`}>{u.status}</span> : <span className="tag tag-warning">Deactivated</span>}</td>
                  <td className="small" title={u.lastLogin ? formatFull(u.lastLogin) : undefined}>
                    {u.lastLogin ? formatRelative(u.lastLogin) : 'Never'}
                  </td>
                  <td className="cell-actions">
                    <div className="row-end">
                      <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'roles', user: u })}>
                        Roles
                      </button>
                      {u.active ? (
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          disabled={busy === u._id || u._id === myId}
                          title={u._id === myId ? 'You cannot deactivate yourself' : undefined}
                          onClick={() => setDialog({ kind: 'deactivate', user: u })}
                        >
                          Deactivate
                        </button>
                      ) : (
                        <button type="button" className="button button-small" disabled={busy === u._id} onClick={() => void setActive(u, true)}>
                          Activate
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
              {page.users.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted center">
                    No users match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pager label="Users" offset={offset} count={page.users.length} total={page.total} pageSize={PAGE} onPage={setOffset} />}

      {dialog?.kind === 'create' && (
        <CreateUserDialog
          onClose={() => setDialog(null)}
          onCreated={async () => {
            setDialog(null);
            await reload();
          }}
        />
      )}
      {dialog?.kind === 'roles' && (
        <RolesDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={async () => {
            setDialog(null);
            await reload();
          }}
        />
      )}
      {dialog?.kind === 'deactivate' && (
        <Dialog
          title={`Deactivate @${dialog.user.username}?`}
          onClose={() => setDialog(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setDialog(null)}>
                Cancel
              </button>
              <button type="button" className="button button-danger" data-autofocus disabled={busy === dialog.user._id} onClick={() => void setActive(dialog.user, false)}>
                Deactivate
              </button>
            </>
          }
        >
          <p>They are logged out everywhere at once and cannot log in until an administrator activates the account again. Their messages stay.</p>
        </Dialog>
      )}
    </div>
  );
}

function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<void> }) {
  const [form, setForm] = useState({ name: '', username: '', email: '', password: '', role: 'user' as RoleName, bot: false });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: 'name' | 'username' | 'email' | 'password') => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await adminApi.createUser({
        name: form.name.trim(),
        username: form.username.trim(),
        email: form.email.trim(),
        password: form.password,
        roles: form.bot ? ['bot'] : [form.role],
        ...(form.bot ? { type: 'bot' as const } : {}),
      });
      await onCreated();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New user" onClose={onClose}>
      <form className="form" onSubmit={submit} aria-label="New user">
        <div className="field">
          <label htmlFor="new-user-name">Full name</label>
          <input id="new-user-name" required value={form.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-username">Username</label>
          <input id="new-user-username" required autoComplete="off" value={form.username} onChange={set('username')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" type="email" required autoComplete="off" value={form.email} onChange={set('email')} />
        </div>
        <div className="field">
          <label htmlFor="new-user-password">Initial password</label>
          <input id="new-user-password" type="password" required autoComplete="new-password" value={form.password} onChange={set('password')} />
          <p className="field-hint">Tell the person; they can change it under Account → Password.</p>
        </div>
        <div className="field">
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" value={form.role} disabled={form.bot} onChange={(e) => setForm({ ...form, role: e.target.value as RoleName })}>
            {ROLES.filter((r) => r.role !== 'bot').map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.bot} onChange={(e) => setForm({ ...form, bot: e.target.checked })} />
          <span>This is a bot account</span>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RolesDialog({ user, onClose, onSaved }: { user: UserDto; onClose: () => void; onSaved: () => Promise<void> }) {
  const [roles, setRoles] = useState<RoleName[]>(user.roles);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (role: RoleName, on: boolean) => setRoles((rs) => (on ? [...rs, role] : rs.filter((r) => r !== role)));

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await adminApi.setUserRoles(user._id, roles);
      await onSaved();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Roles of @${user.username}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy || roles.length === 0} onClick={() => void save()}>
            Save roles
          </button>
        </>
      }
    >
      <fieldset className="role-list">
        <legend className="visually-hidden">Roles</legend>
        {ROLES.map((r) => (
          <label key={r.role} className="checkbox">
            <input type="checkbox" checked={roles.includes(r.role)} onChange={(e) => toggle(r.role, e.target.checked)} />
            <span>
              <strong>{r.label}</strong> <span className="muted small">{r.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {roles.length === 0 && <p className="field-hint">A user needs at least one role.</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
