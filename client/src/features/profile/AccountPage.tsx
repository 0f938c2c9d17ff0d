import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { accountsApi, errorMessage, type PersonalAccessToken } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Dialog } from '../../components/Dialog';
import { Icon, type IconName } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { setTheme, useTheme, type ThemeChoice } from '../../components/ThemeToggle';
import { linkProps, meetingsPath } from '../../lib/router';
import { CalendarFeed } from '../meetings/MeetingHistoryPage';
import { formatFull } from '../../lib/time';
import { updateMe } from '../auth/session';
import { NotificationPreferences } from '../notifications/NotificationPreferences';

type Tab = 'profile' | 'security' | 'tokens' | 'preferences';
const TABS: { id: Tab; label: string; icon: IconName }[] = [
  { id: 'profile', label: 'Profile', icon: 'user' },
  { id: 'security', label: 'Password', icon: 'lock' },
  { id: 'tokens', label: 'Access tokens', icon: 'key' },
  { id: 'preferences', label: 'Preferences', icon: 'settings' },
];

function Status({ ok, error }: { ok: string | null; error: string | null }) {
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  if (ok)
    return (
      <p className="form-success" role="status">
        <Icon name="check" size={14} /> {ok}
      </p>
    );
  return null;
}

function ProfileForm({ me }: { me: UserDto }) {
  const [form, setForm] = useState({
    name: me.name,
    username: me.username,
    email: me.emails?.[0]?.address ?? '',
    avatarUrl: me.avatarUrl ?? '',
  });
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setOk(null);
    setError(null);
    // send only what changed, so an unchanged email never triggers re-verification
    const changes: Parameters<typeof accountsApi.updateOwnBasicInfo>[0] = {};
    if (form.name.trim() !== me.name) changes.name = form.name.trim();
    if (form.username.trim() !== me.username) changes.username = form.username.trim();
    if (form.email.trim() !== (me.emails?.[0]?.address ?? '')) changes.email = form.email.trim();
    if (form.avatarUrl.trim() !== (me.avatarUrl ?? '')) changes.avatarUrl = form.avatarUrl.trim();
    try {
      if (Object.keys(changes).length > 0) {
        const { user } = await accountsApi.updateOwnBasicInfo(changes);
        updateMe(user);
      }
      setOk('Profile saved.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form card" onSubmit={submit} aria-label="Profile">
      <div className="profile-preview">
        <Avatar username={me.username} size={64} />
        <div>
          <div className="profile-name">{me.name}</div>
          <div className="muted">@{me.username}</div>
          <div className="tags">
            {me.roles.map((r) => (
              <span key={r} className="tag">
                {r}
              </span>
            ))}
          </div>
        </div>
      </div>
      <div className="field">
        <label htmlFor="profile-name">Full name</label>
        <input id="profile-name" required maxLength={120} value={form.name} onChange={set('name')} autoComplete="name" />
      </div>
      <div className="field">
        <label htmlFor="profile-username">Username</label>
        <input id="profile-username" required minLength={2} maxLength={32} value={form.username} onChange={set('username')} autoComplete="username" />
      </div>
      <div className="field">
        <label htmlFor="profile-email">Email</label>
        <input id="profile-email" type="email" required value={form.email} onChange={set('email')} autoComplete="email" />
      </div>
      <div className="field">
        <label htmlFor="profile-avatar">
          Avatar URL <span className="optional">(optional)</span>
        </label>
        <input id="profile-avatar" type="url" placeholder="https://…" value={form.avatarUrl} onChange={set('avatarUrl')} aria-describedby="profile-avatar-hint" />
        <p className="field-hint" id="profile-avatar-hint">
          A picture at a public http(s) address. Leave empty to use your initials.
        </p>
      </div>
      <Status ok={ok} error={error} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setOk(null);
    setError(null);
    if (next !== confirm) return setError('The new passwords do not match.');
    setBusy(true);
    try {
      await accountsApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setOk('Password changed.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form card" onSubmit={submit} aria-label="Change password">
      <h2>Change password</h2>
      <div className="field">
        <label htmlFor="pw-current">Current password</label>
        <input id="pw-current" type="password" required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="pw-new">New password</label>
        <input id="pw-new" type="password" required minLength={8} autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
        <p className="field-hint">At least 8 characters.</p>
      </div>
      <div className="field">
        <label htmlFor="pw-confirm">Repeat the new password</label>
        <input id="pw-confirm" type="password" required minLength={8} autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </div>
      <Status ok={ok} error={error} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

function TokensPanel() {
  const [tokens, setTokens] = useState<PersonalAccessToken[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setTokens((await accountsApi.listTokens()).tokens);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { token } = await accountsApi.generateToken(name.trim());
      setCreated({ name: name.trim(), token });
      setName('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function remove(tokenName: string) {
    setError(null);
    try {
      await accountsApi.removeToken(tokenName);
      setRemoving(null);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="card">
      <h2>Personal access tokens</h2>
      <p className="muted">
        Tokens let scripts and integrations use the REST API as you. Send them as the <code>X-Auth-Token</code> header with{' '}
        <code>X-User-Id</code>. Treat them like passwords.
      </p>
      <form className="inline-form" onSubmit={create} aria-label="Create a token">
        <label htmlFor="token-name" className="visually-hidden">
          Token name
        </label>
        <input id="token-name" placeholder="Token name, e.g. deploy-bot" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button button-primary" disabled={!name.trim()}>
          Create token
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {tokens === null ? (
        <p className="muted">Loading…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">You have no tokens.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Ends with</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>{formatFull(t.createdAt)}</td>
                <td>
                  <code>…{t.lastTokenPart}</code>
                </td>
                <td className="cell-actions">
                  <button type="button" className="button button-small button-danger-outline" onClick={() => setRemoving(t.name)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created && (
        <Dialog title="Token created" onClose={() => setCreated(null)} footer={<button type="button" className="button button-primary" onClick={() => setCreated(null)}>Done</button>}>
          <p>
            Copy the token <strong>{created.name}</strong> now. It will not be shown again.
          </p>
          <div className="token-display">
            <code data-testid="new-token">{created.token}</code>
            <button type="button" className="button button-small" onClick={() => void navigator.clipboard?.writeText(created.token)}>
              Copy
            </button>
          </div>
        </Dialog>
      )}
      {removing && (
        <Dialog
          title="Remove token?"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setRemoving(null)}>
                Cancel
              </button>
              <button type="button" className="button button-danger" onClick={() => void remove(removing)}>
                Remove
              </button>
            </>
          }
        >
          <p>
            Anything that uses <strong>{removing}</strong> will stop working at once.
          </p>
        </Dialog>
      )}
    </div>
  );
}

function Preferences() {
  const theme = useTheme();
  const choices: { id: ThemeChoice; label: string; icon: IconName }[] = [
    { id: 'system', label: 'Match my device', icon: 'monitor' },
    { id: 'light', label: 'Light', icon: 'sun' },
    { id: 'dark', label: 'Dark', icon: 'moon' },
  ];
  return (
    <div className="card">
      <h2>Appearance</h2>
      <fieldset className="segmented segmented-row">
        <legend className="visually-hidden">Theme</legend>
        {choices.map((c) => (
          <label key={c.id} className={theme === c.id ? 'selected' : undefined}>
            <input type="radio" name="theme" checked={theme === c.id} onChange={() => setTheme(c.id)} />
            <Icon name={c.icon} />
            <strong>{c.label}</strong>
          </label>
        ))}
      </fieldset>
      <p className="muted small">Stored in this browser only.</p>
    </div>
  );
}

export function AccountPage({ me, tab, onOpenSidebar }: { me: UserDto; tab: Tab; onOpenSidebar: () => void }) {
  return (
    <div className="page">
      <PageHeader title="Account" icon="user" onOpenSidebar={onOpenSidebar} />
      <div className="page-with-nav">
        <nav className="sub-nav" aria-label="Account sections">
          {TABS.map((t) => (
            <a key={t.id} {...linkProps(`/account/${t.id}`)} className={tab === t.id ? 'active' : undefined} aria-current={tab === t.id ? 'page' : undefined}>
              <Icon name={t.icon} size={16} /> {t.label}
            </a>
          ))}
        </nav>
        <div className="page-body">
          {tab === 'profile' && <ProfileForm key={me._id + me.username} me={me} />}
          {tab === 'security' && <PasswordForm />}
          {tab === 'tokens' && <TokensPanel />}
          {tab === 'preferences' && (
            <>
              <Preferences />
              <NotificationPreferences />
              <CalendarFeed me={me} />
              <p>
                <a {...linkProps(meetingsPath())}>My meeting history</a>
              </p>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
