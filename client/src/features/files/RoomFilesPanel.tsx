import { useEffect, useState } from 'react';
import type { FileDto } from '@obmeet/contracts';
import { errorMessage, filesApi } from '../../api';
import { Icon } from '../../components/Icon';
import { navigate, roomPath } from '../../lib/router';
import { formatFull, formatRelative } from '../../lib/time';
import { describeType, formatBytes, isFileUrl } from './format';
import '../../styles/features-extra.css';

const PAGE = 25;

/** The room's uploads, newest first, a page at a time (rooms.files). */
export function RoomFilesPanel({ rid, onClose }: { rid: string; onClose: () => void }) {
  const [files, setFiles] = useState<FileDto[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (offset: number) => {
    setLoading(true);
    setError(null);
    try {
      const page = await filesApi.roomFiles(rid, PAGE, offset);
      setFiles((prev) => (offset === 0 ? page.files : [...prev, ...page.files.filter((f) => !prev.some((p) => p._id === f._id))]));
      setTotal(page.total);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(0);
  }, [rid]);

  return (
    <aside className="side-panel files-panel" aria-label="Files">
      <header className="side-panel-header">
        <Icon name="file" />
        <h2>Files</h2>
        <button type="button" className="icon-button" aria-label="Refresh the file list" title="Refresh" onClick={() => void load(0)}>
          <Icon name="refresh" />
        </button>
        <button type="button" className="icon-button" aria-label="Close files" onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="side-panel-scroll">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {total !== null && (
          <p className="muted small">
            {total === 0 ? 'No files have been shared in this room yet.' : `${total} ${total === 1 ? 'file' : 'files'}`}
          </p>
        )}
        <ul className="file-list">
          {files.map((f) => (
            <li key={f._id} className="file-row" data-file-id={f._id}>
              {f.thumbUrl && isFileUrl(f.thumbUrl) ? (
                <img className="file-row-thumb" src={f.thumbUrl} alt="" loading="lazy" />
              ) : (
                <span className="file-row-thumb file-row-icon">
                  <Icon name="file" size={20} />
                </span>
              )}
              <span className="file-row-text">
                {f.msgId ? (
                  <button type="button" className="link-button file-name" title="Show the message" onClick={() => navigate(roomPath(f.rid, { msgId: f.msgId }))}>
                    {f.name}
                  </button>
                ) : (
                  <span className="file-name">{f.name}</span>
                )}
                <span className="muted small" title={formatFull(f.uploadedAt)}>
                  {describeType(f.type, f.name)} · {formatBytes(f.size)} · @{f.username} · {formatRelative(f.uploadedAt)}
                </span>
              </span>
              {isFileUrl(f.url) && (
                <a className="icon-button icon-button-small" href={f.url} download={f.name} aria-label={`Download ${f.name}`} title="Download">
                  <Icon name="download" size={16} />
                </a>
              )}
            </li>
          ))}
        </ul>
        {total !== null && files.length < total && (
          <div className="panel-actions">
            <button type="button" className="button button-small" disabled={loading} onClick={() => void load(files.length)}>
              {loading ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
    </aside>
  );
}
