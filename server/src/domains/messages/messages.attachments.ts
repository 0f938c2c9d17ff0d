import type { MessageAttachment, MessageFile } from '@obmeet/contracts';

const NAMED_COLORS = new Set(['good', 'warning', 'danger']);
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** An http(s) URL, normalised; anything else (javascript:, data:, relative...) is dropped. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.toString();
  } catch {
    return undefined;
  }
}

const cut = (s: string | undefined, max: number) => (s === undefined || s === '' ? undefined : s.slice(0, max));

/**
 * Keeps only the attachment keys OBMeet stores and renders: links must be http or https, colours
 * a hex value or Slack's good / warning / danger. Empty attachments are dropped.
 */
export function sanitizeAttachments(input: readonly unknown[] | undefined): MessageAttachment[] {
  if (!input) return [];
  const out: MessageAttachment[] = [];
  for (const item of input.slice(0, 20)) {
    if (!item || typeof item !== 'object') continue;
    const raw = item as Record<string, unknown>;
    const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
    const a: MessageAttachment = {};
    const title = cut(str('title'), 500);
    const link = safeHttpUrl(str('title_link'));
    const text = cut(str('text'), 8000);
    const pretext = cut(str('pretext'), 2000);
    const fallback = cut(str('fallback'), 2000);
    const color = str('color')?.trim();
    if (title) a.title = title;
    if (link) a.title_link = link;
    if (text) a.text = text;
    if (pretext) a.pretext = pretext;
    if (fallback) a.fallback = fallback;
    if (color && (HEX_COLOR.test(color) || NAMED_COLORS.has(color))) a.color = color;
    if (Array.isArray(raw.fields)) {
      const fields = (raw.fields as unknown[])
        .slice(0, 20)
        .filter((f): f is Record<string, unknown> => Boolean(f) && typeof f === 'object')
        .map((f) => ({
          title: typeof f.title === 'string' ? f.title.slice(0, 500) : '',
          value: typeof f.value === 'string' ? f.value.slice(0, 2000) : '',
          ...(typeof f.short === 'boolean' ? { short: f.short } : {}),
        }))
        .filter((f) => f.title || f.value);
      if (fields.length) a.fields = fields;
    }
    if (Object.keys(a).some((k) => k !== 'color')) out.push(a);
  }
  return out;
}

/** An uploaded file as the files domain hands it to send(): the message's `file` and its attachment. */
export interface UploadedFileInput extends MessageFile {
  /** same-origin download path, e.g. /file-upload/<id>/<name> */
  url: string;
  description?: string;
  image?: { width: number; height: number; thumbUrl?: string };
}

/** The attachment the server builds for an uploaded file (never taken from a request body). */
export function fileAttachment(f: UploadedFileInput): MessageAttachment {
  return {
    type: 'file',
    title: f.name,
    title_link: f.url,
    title_link_download: true,
    ...(f.description ? { text: f.description.slice(0, 1000) } : {}),
    ...(f.image
      ? { image_url: f.image.thumbUrl ?? f.url, image_type: f.type, image_size: f.size, image_dimensions: { width: f.image.width, height: f.image.height } }
      : {}),
  };
}
