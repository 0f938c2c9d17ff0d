import { useEffect, useRef, useState } from 'react';
import { loadSettings } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { ShareLocationAction } from '../location/ShareLocation';
import { describeType, formatBytes } from './format';
import { cancelUpload, dismissUpload, onUploadRequest, startUploads, useUploads } from './uploads';
import '../../styles/features-extra.css';

/** Files from a paste: images copied to the clipboard (screenshots) arrive as files. */
function pastedFiles(e: React.ClipboardEvent): File[] {
  return Array.from(e.clipboardData?.files ?? []);
}

/**
 * Everything the composer needs for files: the attach menu, paste, the caption dialog (Slack's
 * "upload a file" dialog, prefilled with what was typed) and the progress of running uploads.
 */
export function useComposerFiles({ rid, tmid, text, clearText, tshow }: { rid: string; tmid?: string; text: string; clearText: () => void; tshow?: boolean }) {
  const [chosen, setChosen] = useState<File[] | null>(null);

  useEffect(() => onUploadRequest(rid, tmid, (files) => files.length > 0 && setChosen(files)), [rid, tmid]);

  const choose = (files: File[]) => files.length > 0 && setChosen(files);
  const onPaste = (e: React.ClipboardEvent) => {
    const files = pastedFiles(e);
    if (files.length === 0) return;
    e.preventDefault();
    choose(files);
  };

  const menu = <ComposerAttachMenu rid={rid} tmid={tmid} onFiles={choose} />;
  const panel = (
    <>
      <UploadProgressList rid={rid} tmid={tmid} />
      {chosen && (
        <UploadDialog
          files={chosen}
          initialCaption={text}
          onCancel={() => setChosen(null)}
          onUpload={(caption) => {
            // the typed text became the caption: it is sent with the file, not again on Enter
            if (caption.trim() && caption === text) clearText();
            void startUploads(rid, tmid, chosen, caption, tshow);
            setChosen(null);
          }}
        />
      )}
    </>
  );
  return { onPaste, menu, panel };
}

function ComposerAttachMenu({ rid, tmid, onFiles }: { rid: string; tmid?: string; onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  // public settings, read each time the menu opens (an admin may have just changed them)
  const [settings, setSettings] = useState<Record<string, unknown> | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    loadSettings()
      .then((s) => !cancelled && setSettings(s))
      .catch(() => !cancelled && setSettings({}));
    return () => {
      cancelled = true;
      // forget them on close, so the next opening never shows stale ones
      setSettings(null);
    };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !wrapper.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div className="composer-attach" ref={wrapper}>
      <button
        type="button"
        className="icon-button"
        aria-label="More actions"
        title="Upload a file, share your location"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Icon name="plus" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          onFiles(files);
        }}
      />
      {open && (
        <div
          className="menu composer-menu"
          role="menu"
          aria-busy={settings === null}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <button
            type="button"
            role="menuitem"
            autoFocus
            onClick={() => {
              setOpen(false);
              input.current?.click();
            }}
          >
            <Icon name="paperclip" size={16} /> Upload a file
          </button>
          {settings?.['location.sharingEnabled'] === true && <ShareLocationAction rid={rid} tmid={tmid} onDone={() => setOpen(false)} />}
        </div>
      )}
    </div>
  );
}

function UploadDialog({
  files,
  initialCaption,
  onCancel,
  onUpload,
}: {
  files: File[];
  initialCaption: string;
  onCancel: () => void;
  onUpload: (caption: string) => void;
}) {
  const [caption, setCaption] = useState(initialCaption);
  // local previews of the chosen images (blob: URLs never leave the page)
  const [previews] = useState(() => files.map((f) => (f.type.startsWith('image/') ? URL.createObjectURL(f) : null)));
  useEffect(() => () => previews.forEach((p) => p && URL.revokeObjectURL(p)), [previews]);

  return (
    <Dialog
      title={files.length === 1 ? 'Upload a file' : `Upload ${files.length} files`}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button button-primary" data-autofocus onClick={() => onUpload(caption)}>
            Upload
          </button>
        </>
      }
    >
      <ul className="upload-choice-list">
        {files.map((f, i) => (
          <li key={i} className="upload-choice">
            {previews[i] ? <img src={previews[i]!} alt="" className="upload-choice-preview" /> : <Icon name="file" size={28} />}
            <span className="upload-choice-name">{f.name || 'file'}</span>
            <span className="muted small">
              {describeType(f.type, f.name)} · {formatBytes(f.size)}
            </span>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="upload-caption">Add a message about {files.length === 1 ? 'the file' : 'the files'} (optional)</label>
        <textarea
          id="upload-caption"
          rows={2}
          value={caption}
          maxLength={5000}
          onChange={(e) => setCaption(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              onUpload(caption);
            }
          }}
        />
      </div>
    </Dialog>
  );
}

function UploadProgressList({ rid, tmid }: { rid: string; tmid?: string }) {
  const uploads = useUploads(rid, tmid);
  if (uploads.length === 0) return null;
  return (
    <ul className="upload-progress-list" aria-label="Uploads">
      {uploads.map((u) => {
        const percent = u.size > 0 ? Math.min(100, Math.round((u.loaded / u.size) * 100)) : 0;
        return (
          <li key={u.id} className={`upload-progress${u.status === 'failed' ? ' failed' : ''}`} data-testid="upload-progress" data-status={u.status}>
            <Icon name={u.status === 'failed' ? 'alert' : 'file'} size={16} />
            <div className="upload-progress-main">
              <div className="upload-progress-label">
                <span className="upload-progress-name">{u.name}</span>
                <span className="muted small">
                  {u.status === 'failed' ? 'Not uploaded' : u.status === 'processing' ? 'Processing…' : `${percent}% of ${formatBytes(u.size)}`}
                </span>
              </div>
              {u.status === 'failed' ? (
                <p className="field-error" role="alert">
                  {u.error}
                </p>
              ) : (
                <progress max={100} value={u.status === 'processing' ? 100 : percent} aria-label={`Uploading ${u.name}`} />
              )}
            </div>
            {u.status === 'failed' ? (
              <button type="button" className="icon-button icon-button-small" aria-label={`Dismiss ${u.name}`} onClick={() => dismissUpload(u.id)}>
                <Icon name="x" size={14} />
              </button>
            ) : (
              <button type="button" className="icon-button icon-button-small" aria-label={`Cancel upload of ${u.name}`} title="Cancel" onClick={() => cancelUpload(u.id)}>
                <Icon name="x" size={14} />
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
