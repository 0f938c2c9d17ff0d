import { useEffect, useState } from 'react';
import type { StatisticsPreviewDto, StatisticsSharingDto } from '@obmeet/contracts';
import { cloudAdminApi, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';

/**
 * Statistics sharing: off by default. The admin reads the exact document that would be sent
 * (the same JSON text the egress client would put on the wire) before switching it on.
 */
export function AdminStatistics() {
  const [sharing, setSharing] = useState<StatisticsSharingDto | null>(null);
  const [preview, setPreview] = useState<StatisticsPreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = () => {
    setError(null);
    Promise.all([cloudAdminApi.sharing(), cloudAdminApi.preview()]).then(
      ([s, p]) => {
        setSharing(s);
        setPreview(p);
      },
      (e) => setError(errorMessage(e)),
    );
  };
  useEffect(load, []);

  async function change(enabled: boolean) {
    setBusy(true);
    setError(null);
    try {
      setSharing(await cloudAdminApi.setSharing(enabled));
      setConfirming(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-page">
      <div className="row-between">
        <h2>Statistics sharing</h2>
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={14} /> Refresh
        </button>
      </div>
      <p className="muted">
        When on, this workspace sends the document below to the vendor once a day: counts and versions only, never a name, username,
        email, room name, message, file name, IP or host name. Every transmission appears in the outbound data log.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {sharing && (
        <div className="card">
          <p data-testid="sharing-state">
            Sharing is <strong>{sharing.enabled ? 'on' : 'off'}</strong>
            {sharing.enabled && ` (${sharing.mode === 'registered' ? 'sent as this registered workspace' : 'sent anonymously, with a random install id'})`}.
          </p>
          <p className="muted small" data-testid="sharing-last-sent">
            {sharing.lastSentAt ? `Last sent ${new Date(sharing.lastSentAt).toLocaleString()}.` : 'Never sent.'}
            {sharing.lastResult && !sharing.lastResult.ok && ` The last attempt failed: ${sharing.lastResult.message ?? sharing.lastResult.errorType ?? sharing.lastResult.status}.`}
            {sharing.enabled && sharing.nextRunAt && ` Next check ${new Date(sharing.nextRunAt).toLocaleString()}.`}
          </p>
          {sharing.enabled ? (
            <button type="button" className="button" disabled={busy} onClick={() => void change(false)}>
              Switch sharing off
            </button>
          ) : (
            <button type="button" className="button button-primary" disabled={busy} onClick={() => setConfirming(true)}>
              Switch sharing on…
            </button>
          )}
        </div>
      )}
      {preview && (
        <>
          <h3>The document that would be sent now ({preview.bytes} bytes)</h3>
          <pre className="code-block" data-testid="statistics-preview" tabIndex={0}>
            {JSON.stringify(preview.document, null, 2)}
          </pre>
        </>
      )}
      {confirming && (
        <Dialog
          title="Share statistics with the vendor?"
          onClose={() => setConfirming(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void change(true)}>
                Share daily
              </button>
            </>
          }
        >
          <p>The document shown on this page will be sent once a day while sharing is on. You can switch it off at any time.</p>
        </Dialog>
      )}
    </div>
  );
}
