import { useEffect, useState } from 'react';
import type { StatisticsInfoDto } from '@obmeet/contracts';
import { cloudAdminApi, errorMessage } from '../../api';
import { Chart } from '../../components/Chart';
import { Icon } from '../../components/Icon';

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function Stat({ label, value, id }: { label: string; value: string | number; id: string }) {
  return (
    <div className="stat-card">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={`info-${id}`}>
        {value}
      </div>
    </div>
  );
}

/**
 * The workspace info page. Its totals come from the same builder as the statistics document
 * (`document`), so the two can never differ; `local` holds what is shown here but never sent.
 */
export function AdminInfo() {
  const [info, setInfo] = useState<StatisticsInfoDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    cloudAdminApi.info().then(setInfo, (e) => setError(errorMessage(e)));
  };
  useEffect(load, []);

  const d = info?.document;
  const l = info?.local;
  return (
    <div className="admin-page">
      <div className="row-between">
        <h2>Workspace info</h2>
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={14} /> Refresh
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!info && !error && <p className="muted">Loading…</p>}
      {d && l && (
        <>
          <h3>Versions</h3>
          <div className="stat-grid">
            <Stat id="server-version" label="OBMeet" value={l.serverVersion} />
            <Stat id="node-version" label="Node.js" value={l.nodeVersion} />
            <Stat id="database" label="Database" value={`${l.database.kind === 'ferretdb' ? 'FerretDB' : 'MongoDB'} ${l.database.version}`} />
            <Stat id="uptime" label="Uptime" value={duration(l.uptimeSeconds)} />
          </div>
          <h3>Users</h3>
          <div className="stat-grid">
            <Stat id="users-total" label="Total" value={d.users.total} />
            <Stat id="users-active" label="Active accounts" value={d.users.active} />
            <Stat id="users-deactivated" label="Deactivated" value={d.users.deactivated} />
            <Stat id="users-1d" label="Active last day" value={d.users.activeLast1d} />
            <Stat id="users-7d" label="Active last week" value={d.users.activeLast7d} />
            <Stat id="users-30d" label="Active last month" value={d.users.activeLast30d} />
          </div>
          <div className="info-columns">
            <table className="table admin-table" aria-label="Users by status">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Users</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(l.users.byStatus).map(([k, v]) => (
                  <tr key={k}>
                    <td>{k}</td>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="table admin-table" aria-label="Users by role">
              <thead>
                <tr>
                  <th>Role</th>
                  <th>Users</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(l.users.byRole).map(([k, v]) => (
                  <tr key={k}>
                    <td>{k}</td>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Rooms, messages, uploads, apps</h3>
          <div className="stat-grid">
            <Stat id="rooms-channels" label="Channels" value={d.rooms.channels} />
            <Stat id="rooms-groups" label="Private groups" value={d.rooms.privateGroups} />
            <Stat id="rooms-dms" label="Direct messages" value={d.rooms.directMessages} />
            <Stat id="messages-total" label="Messages" value={d.messages.total} />
            <Stat id="uploads" label="Uploads" value={`${l.uploads.count} (${bytes(l.uploads.totalBytes)})`} />
            <Stat id="apps" label="Installed apps" value={d.apps.installed} />
          </div>
          <p className="muted small">{l.appsNote}</p>
          <h3>Over time</h3>
          <p className="muted small">
            Daily figures from the daily roll-up{l.rollupAt ? ` (last run ${new Date(l.rollupAt).toLocaleString()})` : ' (not run yet)'}.
          </p>
          <div className="info-columns">
            <figure>
              <figcaption>Messages per day</figcaption>
              <Chart kind="bar" title="Messages per day" testId="chart-messages" points={l.series.messagesPerDay.map((p) => ({ label: p.day.slice(5), value: p.value }))} />
            </figure>
            <figure>
              <figcaption>Active users per day</figcaption>
              <Chart kind="line" title="Active users per day" testId="chart-active-users" points={l.series.activeUsersPerDay.map((p) => ({ label: p.day.slice(5), value: p.value }))} />
            </figure>
          </div>
        </>
      )}
    </div>
  );
}
