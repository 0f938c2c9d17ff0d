import { Fragment, useEffect, useState } from 'react';
import { EgressPurposes, type EgressPurposeName, type OutboundLogResult } from '@obmeet/contracts';
import { cloudAdminApi, errorMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Pager } from './Pager';

const PAGE = 25;

/** Every call this workspace made (or was refused) to the vendor cloud, newest first, with the exact payload. */
export function AdminOutboundLog() {
  const [purpose, setPurpose] = useState<EgressPurposeName | ''>('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<OutboundLogResult | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    cloudAdminApi.outboundLog({ purpose: purpose || undefined, count: PAGE, offset }).then(setPage, (e) => setError(errorMessage(e)));
  };
  useEffect(load, [purpose, offset]);

  return (
    <div className="admin-page">
      <div className="row-between">
        <h2>Outbound data log</h2>
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={14} /> Refresh
        </button>
      </div>
      <p className="muted">Everything this workspace sent to the vendor cloud, written down before it was sent. Nothing else leaves for the vendor.</p>
      <div className="admin-toolbar">
        <label>
          Purpose{' '}
          <select
            aria-label="Purpose"
            value={purpose}
            onChange={(e) => {
              setPurpose(e.target.value as EgressPurposeName | '');
              setOffset(0);
            }}
          >
            <option value="">All</option>
            {EgressPurposes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {page && page.total === 0 && <p className="empty-state">Nothing has been sent.</p>}
      {page && page.total > 0 && (
        <div className="table-scroll">
          <table className="table admin-table" aria-label="Outbound data log">
            <thead>
              <tr>
                <th>Time</th>
                <th>Purpose</th>
                <th>Request</th>
                <th>Bytes</th>
                <th>Outcome</th>
                <th className="cell-actions">Payload</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <Fragment key={e._id}>
                  <tr data-testid="outbound-entry">
                    <td className="small">{new Date(e.at).toLocaleString()}</td>
                    <td>{e.purpose}</td>
                    <td className="small">
                      <code>
                        {e.method} {e.endpoint}
                      </code>
                      {e.auth === 'none' && <span className="tag">anonymous</span>}
                    </td>
                    <td>{e.bytes}</td>
                    <td className="small">
                      {e.outcome}
                      {e.status ? ` (${e.status})` : ''}
                      {e.errorType ? ` ${e.errorType}` : ''}
                    </td>
                    <td className="cell-actions">
                      {(e.payload !== undefined || e.payloadSummary) && (
                        <button type="button" className="button button-small" aria-expanded={open === e._id} onClick={() => setOpen(open === e._id ? null : e._id)}>
                          {open === e._id ? 'Hide' : 'Show'}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === e._id && (
                    <tr>
                      <td colSpan={6}>
                        <pre className="code-block" data-testid="outbound-payload">
                          {e.payload !== undefined
                            ? pretty(e.payload)
                            : `${e.payloadSummary!.bytes} bytes, SHA-256 ${e.payloadSummary!.sha256}\n${e.payloadSummary!.head}…`}
                        </pre>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pager label="Outbound log" offset={offset} count={page.entries.length} total={page.total} pageSize={PAGE} onPage={setOffset} />}
    </div>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
