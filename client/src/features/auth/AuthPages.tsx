import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api';
import { linkProps, navigate } from '../../lib/router';
import { ThemeToggle } from '../../components/ThemeToggle';
import { logIn, signUp, useSession } from './session';

function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <div className="auth-screen">
      <div className="auth-corner">
        <ThemeToggle />
      </div>
      <main className="auth-card">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <span>OBMeet</span>
        </div>
        <h1>{title}</h1>
        {subtitle && <div className="auth-subtitle">{subtitle}</div>}
        {children}
      </main>
    </div>
  );
}

export function LoginPage() {
  const session = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const registration = session.info?.registration ?? 'open';
  const notice = session.status === 'anonymous' ? session.notice : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(user.trim(), password);
      navigate(window.location.pathname.startsWith('/login') ? '/' : window.location.pathname + window.location.search, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Log in to your workspace">
      {notice && <p className="notice">{notice}</p>}
      <form className="form" onSubmit={submit} aria-label="Log in">
        <div className="field">
          <label htmlFor="login-user">Username or email</label>
          <input id="login-user" name="user" autoComplete="username" autoFocus required value={user} onChange={(e) => setUser(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      {registration !== 'closed' && (
        <p className="auth-switch">
          New here? <a {...linkProps('/signup')}>Create an account</a>
        </p>
      )}
    </AuthLayout>
  );
}

export function SignupPage({ invite }: { invite?: string }) {
  const session = useSession();
  const info = session.info;
  const firstRun = info ? !info.setupDone : false;
  const registration = info?.registration ?? 'open';
  const [form, setForm] = useState({ name: '', username: '', email: '', password: '', inviteToken: invite ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signUp({ ...form, name: form.name.trim(), username: form.username.trim(), email: form.email.trim() });
      navigate('/', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  if (registration === 'closed' && !firstRun) {
    return (
      <AuthLayout title="Registration is closed">
        <p>This workspace does not accept new accounts. Ask an administrator to create one for you.</p>
        <p className="auth-switch">
          <a {...linkProps('/login')}>Back to log in</a>
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={firstRun ? 'Set up your workspace' : 'Create your account'}
      subtitle={
        firstRun ? (
          <p className="setup-note" data-testid="first-run-note">
            <strong>Welcome to OBMeet.</strong> This workspace has no users yet: the account you create now becomes its
            <strong> administrator</strong>.
          </p>
        ) : undefined
      }
    >
      <form className="form" onSubmit={submit} aria-label="Sign up">
        <div className="field">
          <label htmlFor="signup-name">Full name</label>
          <input id="signup-name" autoComplete="name" autoFocus required maxLength={120} value={form.name} onChange={set('name')} />
        </div>
        <div className="field">
          <label htmlFor="signup-username">Username</label>
          <input
            id="signup-username"
            autoComplete="username"
            required
            minLength={2}
            maxLength={32}
            pattern="[a-zA-Z0-9][a-zA-Z0-9._\-]*"
            title="Letters, digits, dot, dash and underscore; starts with a letter or digit"
            value={form.username}
            onChange={set('username')}
          />
        </div>
        <div className="field">
          <label htmlFor="signup-email">Email</label>
          <input id="signup-email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} />
        </div>
        <div className="field">
          <label htmlFor="signup-password">Password</label>
          <input
            id="signup-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={form.password}
            onChange={set('password')}
            aria-describedby="signup-password-hint"
          />
          <p className="field-hint" id="signup-password-hint">
            At least 8 characters.
          </p>
        </div>
        {registration === 'invite' && !firstRun && (
          <div className="field">
            <label htmlFor="signup-invite">Invitation code</label>
            <input id="signup-invite" required value={form.inviteToken} onChange={set('inviteToken')} />
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating account…' : firstRun ? 'Create administrator account' : 'Create account'}
        </button>
      </form>
      {!firstRun && (
        <p className="auth-switch">
          Already have an account? <a {...linkProps('/login')}>Log in</a>
        </p>
      )}
    </AuthLayout>
  );
}
