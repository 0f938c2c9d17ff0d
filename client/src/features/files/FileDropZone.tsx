import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { requestUpload } from './uploads';
import '../../styles/features-extra.css';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

// a file dropped beside a drop zone would make the browser open it in place of the app
for (const type of ['dragover', 'drop'] as const) {
  window.addEventListener(type, (e) => {
    if (hasFiles(e) && !e.defaultPrevented) e.preventDefault();
  });
}

/**
 * Makes its parent element (the room) a drop target for files: a visible zone while files are
 * dragged over it; dropped files go to the room's composer, which asks for a caption.
 */
export function FileDropZone({ rid, tmid, label, disabled = false }: { rid: string; tmid?: string; label: string; disabled?: boolean }) {
  const anchor = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);

  useEffect(() => {
    const target = anchor.current?.parentElement;
    if (!target || disabled) return;
    // dragenter/dragleave fire for every child: count them to know when the drag really left
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overHandler = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0) requestUpload(rid, tmid, files);
    };
    target.addEventListener('dragenter', enter);
    target.addEventListener('dragover', overHandler);
    target.addEventListener('dragleave', leave);
    target.addEventListener('drop', drop);
    return () => {
      target.removeEventListener('dragenter', enter);
      target.removeEventListener('dragover', overHandler);
      target.removeEventListener('dragleave', leave);
      target.removeEventListener('drop', drop);
    };
  }, [rid, tmid, disabled]);

  return (
    <div ref={anchor} className={`drop-zone${over ? ' active' : ''}`} aria-hidden={!over} data-testid="drop-zone">
      {over && (
        <div className="drop-zone-inner">
          <Icon name="upload" size={36} />
          <strong>{label}</strong>
        </div>
      )}
    </div>
  );
}
