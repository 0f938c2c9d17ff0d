import type { MessageAttachment, MessageFile } from '@obmeet/contracts';
import { FileAttachment } from '../files/FileAttachment';
import { renderMarkdown } from '../../lib/markdown';

const NAMED_COLORS: Record<string, string> = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

function barColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  if (NAMED_COLORS[color]) return NAMED_COLORS[color];
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : undefined;
}

/** Slack-style attachments from bots, webhooks and commands. Text is markdown, sanitised like messages. */
export function MessageAttachments({ attachments, me, file }: { attachments: MessageAttachment[]; me: string; file?: MessageFile }) {
  return (
    <div className="attachments">
      {attachments.map((a, i) => {
        // uploads: the server sets type 'file' (never taken from a client or webhook body)
        if (a.type === 'file') return <FileAttachment key={i} attachment={a} file={file} me={me} />;
        const link = a.title_link && /^https?:\/\//i.test(a.title_link) ? a.title_link : undefined;
        return (
          <div key={i} className="attachment" style={{ borderLeftColor: barColor(a.color) }}>
            {a.pretext && <div className="markdown attachment-pretext" dangerouslySetInnerHTML={{ __html: renderMarkdown(a.pretext, me) }} />}
            {a.title &&
              (link ? (
                <a className="attachment-title" href={link} target="_blank" rel="noopener noreferrer">
                  {a.title}
                </a>
              ) : (
                <div className="attachment-title">{a.title}</div>
              ))}
            {a.text && <div className="markdown attachment-text" dangerouslySetInnerHTML={{ __html: renderMarkdown(a.text, me) }} />}
            {a.fields && a.fields.length > 0 && (
              <dl className="attachment-fields">
                {a.fields.map((f, j) => (
                  <div key={j} className={f.short ? 'attachment-field short' : 'attachment-field'}>
                    <dt>{f.title}</dt>
                    <dd className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(f.value, me) }} />
                  </div>
                ))}
              </dl>
            )}
          </div>
        );
      })}
    </div>
  );
}
