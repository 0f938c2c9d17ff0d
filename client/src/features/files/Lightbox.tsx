import { useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';

/** The full image over the page: Escape or a click outside the image closes it. */
export function Lightbox({ src, name, downloadUrl, onClose }: { src: string; name: string; downloadUrl: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => opener?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={name}
      data-testid="lightbox"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('.lightbox-toolbar, img')) onClose();
      }}
    >
      <div className="lightbox-toolbar">
        <span className="lightbox-name">{name}</span>
        <a className="button button-small" href={downloadUrl} download={name}>
          <Icon name="download" size={14} /> Download
        </a>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="x" />
        </button>
      </div>
      <div className="lightbox-stage">
        <img src={src} alt={name} />
      </div>
    </dialog>
  );
}
