import { useEffect, useState } from 'react';
import { accountsApi, errorMessage, type ServerInfo } from '../../api';
import { Icon } from '../../components/Icon';

const REGISTRATION_LABEL: Record<ServerInfo['registration'], string> = {
  open: 'Open: anyone who can reach this server can create an account',
  invite: 'By invitation only',
  closed: 'Closed: only administrators create accounts',
};

/** What the server reports about itself (GET /api/v1/info). */
export function AdminOverview() {
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);

  const load = () => {
    setError(null);
    accountsApi
      .info()
      .then(({ success: _ok, ...i }) => {
        setInfo(i);
        setLoadedAt(new Date());
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(load, []);

  return (
    <div className="admin-overview">
      <div className="row-between">
        <h2>Overview</h2>
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={14} /> Refresh
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {info && (
        <div className="stat-grid">
          <div className="stat-card">
            <div className="stat-label">Server version</div>
            <div className="stat-value" data-testid="server-version">
              {info.info.version}
            </div>
          </div>
          <div className="stat-card">
            <div className="stat-label">Setup</div>
            <div className="stat-value">{info.setupDone ? 'Complete' : 'Waiting for the first account'}</div>
          </div>
          <div className="stat-card">
            <div className="stat-label">Registration</div>
            <div className="stat-value stat-value-text">{REGISTRATION_LABEL[info.registration] ?? info.registration}</div>
          </div>
          <div className="stat-card">
            <div className="stat-label">Web client</div>
            <div className="stat-value stat-value-text">Served by this server at {window.location.origin}</div>
          </div>
        </div>
      )}
      {loadedAt && <p className="muted small">Read from /api/v1/info at {loadedAt.toLocaleTimeString()}.</p>}
    </div>
  );
}
