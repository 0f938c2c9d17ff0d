import { useState } from 'react';
import type { MessageAttachment, MessageFile } from '@obmeet/contracts';
import { Icon } from '../../components/Icon';
import { renderMarkdown } from '../../lib/markdown';
import { describeType, formatBytes, isFileUrl } from './format';
import { Lightbox } from './Lightbox';
import '../../styles/features-extra.css';

const PREVIEW_MAX = 360;

/** A file posted in a message: an image preview (the server's thumbnail) opening a lightbox, or a download card. */
export function FileAttachment({ attachment: a, file, me }: { attachment: MessageAttachment; file?: MessageFile; me: string }) {
  const [viewing, setViewing] = useState(false);
  const url = isFileUrl(a.title_link) ? a.title_link : undefined;
  const name = file?.name ?? a.title ?? 'file';
  const size = file?.size ?? a.image_size;
  const type = file?.type ?? a.image_type;
  const description = a.text ? <div className="markdown file-description" dangerouslySetInnerHTML={{ __html: renderMarkdown(a.text, me) }} /> : null;

  if (a.image_url && isFileUrl(a.image_url) && url) {
    const dims = a.image_dimensions;
    const scale = dims ? Math.min(1, PREVIEW_MAX / Math.max(dims.width, dims.height)) : 1;
    return (
      <div className="file-attachment file-image" data-testid="file-attachment">
        {description}
        <button type="button" className="file-image-button" aria-label={`Open ${name}`} onClick={() => setViewing(true)}>
          <img
            src={a.image_url}
            alt={name}
            loading="lazy"
            width={dims ? Math.round(dims.width * scale) : undefined}
            height={dims ? Math.round(dims.height * scale) : undefined}
          />
        </button>
        <div className="file-image-caption muted small">
          <span className="file-name">{name}</span>
          {size !== undefined && <span> · {formatBytes(size)}</span>}
        </div>
        {viewing && <Lightbox src={url} name={name} downloadUrl={url} onClose={() => setViewing(false)} />}
      </div>
    );
  }

  return (
    <div className="file-attachment" data-testid="file-attachment">
      {description}
      <div className="file-card">
        <span className="file-card-icon">
          <Icon name="file" size={26} />
        </span>
        <span className="file-card-text">
          <span className="file-name">{name}</span>
          <span className="muted small">
            {describeType(type, name)}
            {size !== undefined && ` · ${formatBytes(size)}`}
          </span>
        </span>
        {url && (
          <a className="icon-button" href={url} download={name} aria-label={`Download ${name}`} title="Download">
            <Icon name="download" />
          </a>
        )}
      </div>
    </div>
  );
}
