import { useEffect, useState, type FormEvent } from 'react';
import type { CloudRegistrationDto } from '@obmeet/contracts';
import { cloudAdminApi, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';

/**
 * Registration with the vendor cloud. Unregistered, the workspace sends nothing to it (except
 * redeeming a token, and statistics if switched on); registered, push notifications work.
 */
export function AdminCloud() {
  const [reg, setReg] = useState<CloudRegistrationDto | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const load = (verify = false) => {
    setError(null);
    cloudAdminApi.registration(verify).then(setReg, (e) => setError(errorMessage(e)));
  };
  useEffect(() => load(false), []);

  async function run(action: () => Promise<CloudRegistrationDto>) {
    setBusy(true);
    setError(null);
    try {
      setReg(await action());
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await run(() => cloudAdminApi.register(token.trim()))) setToken('');
  }

  return (
    <div className="admin-page">
      <h2>Cloud registration</h2>
      <p className="muted">
        Registering connects this workspace to the vendor cloud at <code>{reg?.cloudUrl ?? '…'}</code> for push notifications to phones.
        Get a registration token in the vendor console and paste it here. What the workspace sends is listed in the outbound data log.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {reg && (
        <div className="card">
          <p data-testid="registration-state">
            {reg.state === 'registered' && (
              <>
                Registered as workspace <code>{reg.workspaceId}</code>
                {reg.registeredAt && ` since ${new Date(reg.registeredAt).toLocaleString()}`}.
              </>
            )}
            {reg.state === 'revoked' && (
              <>
                The cloud no longer accepts this workspace’s credentials (workspace <code>{reg.workspaceId}</code>): it was revoked in the vendor
                console. Unregister, then register again with a new token.
              </>
            )}
            {reg.state === 'unregistered' && 'Unregistered: nothing is sent to the vendor cloud.'}
          </p>
          {reg.lastCheck && (
            <p className="muted small">
              Last checked {new Date(reg.lastCheck.at).toLocaleString()}: {reg.lastCheck.result}
              {reg.lastCheck.message ? ` (${reg.lastCheck.message})` : ''}.
            </p>
          )}
          {reg.state === 'unregistered' ? (
            <form className="inline-form" onSubmit={(e) => void submit(e)}>
              <label htmlFor="registration-token">Registration token</label>
              <input id="registration-token" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} required />
              <button type="submit" className="button button-primary" disabled={busy || !token.trim()}>
                Register
              </button>
            </form>
          ) : (
            <div className="button-row">
              <button type="button" className="button" disabled={busy} onClick={() => load(true)}>
                <Icon name="refresh" size={14} /> Check with the cloud
              </button>
              {reg.state === 'registered' && (
                <button type="button" className="button" disabled={busy} onClick={() => void run(() => cloudAdminApi.refresh())}>
                  Rotate credentials
                </button>
              )}
              <button type="button" className="button button-danger" disabled={busy} onClick={() => setConfirming(true)}>
                Unregister…
              </button>
            </div>
          )}
        </div>
      )}
      {confirming && (
        <Dialog
          title="Unregister this workspace?"
          onClose={() => setConfirming(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={busy}
                onClick={() => void run(() => cloudAdminApi.unregister(reg?.state === 'revoked')).then((ok) => ok && setConfirming(false))}
              >
                Unregister
              </button>
            </>
          }
        >
          <p>The credentials are deleted here and at the cloud. Push notifications and statistics sharing stop at once.</p>
        </Dialog>
      )}
    </div>
  );
}
