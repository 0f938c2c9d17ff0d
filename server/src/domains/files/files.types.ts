import { fileTypeFromBuffer } from 'file-type';

/** Bytes looked at to decide a file's type. */
export const SNIFF_BYTES = 4100;

/** Types a browser would run or render actively: never served inline, never accepted under another name. */
export const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'text/javascript',
  'application/javascript',
]);

/** Served inline (shown in the page); everything else is a download. */
export const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Images sharp reads for dimensions and a thumbnail. */
export const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/tiff']);

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/x-icon',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  svgz: 'image/svg+xml',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'application/xhtml+xml',
  xml: 'application/xml',
  js: 'text/javascript',
  mjs: 'text/javascript',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  ics: 'text/calendar',
  zip: 'application/zip',
};

/** Text types kept as claimed when the bytes are plain text. */
const PLAIN_TEXT_CLAIMS = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json', 'text/calendar']);

export function typeOfName(name: string): string | undefined {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? BY_EXTENSION[m[1]!.toLowerCase()] : undefined;
}

const HTML_STARTS = ['<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a ', '<a>', '<style', '<title', '<b>', '<b ', '<body', '<br', '<p>', '<p ', '<!--', '<img', '<form', '<meta', '<link', '<object', '<embed'];

/** Markup and text formats file-type does not detect (it reads binary signatures only). */
function sniffText(head: Buffer): string | undefined {
  if (head.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return undefined;
  }
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (/^<\?xml[\s\S]*<svg[\s>]/.test(start) || start.startsWith('<svg') || start.startsWith('<!doctype svg')) return 'image/svg+xml';
  if (HTML_STARTS.some((p) => start.startsWith(p))) return 'text/html';
  if (start.startsWith('<?xml')) return /<html[\s>]/.test(start) ? 'application/xhtml+xml' : 'application/xml';
  return 'text/plain';
}

export interface DetectedType {
  type: string;
  /** false when the bytes contradict the file's name (refuse the upload) */
  matchesName: boolean;
}

/**
 * The type of a file, from its first bytes (never from the client's name or Content-Type), and
 * whether its name tells the truth: an image, audio, video or PDF name must hold bytes of that
 * kind, and markup (HTML, SVG, XML) is accepted only under its own name.
 */
export async function detectType(head: Buffer, name: string, claimedType: string): Promise<DetectedType> {
  const byName = typeOfName(name);
  const binary = head.length ? await fileTypeFromBuffer(head) : undefined;
  let type: string;
  // file-type also recognises some XML; markup is told apart (SVG, XHTML, HTML) by the text sniffer
  if (binary && !/xml|html/.test(binary.mime)) type = binary.mime;
  else {
    const text = head.length ? sniffText(head) : 'text/plain';
    if (!text) type = 'application/octet-stream';
    else if (text !== 'text/plain') type = text;
    else {
      const claim = byName ?? claimedType.split(';')[0]!.trim().toLowerCase();
      type = PLAIN_TEXT_CLAIMS.has(claim) ? claim : 'text/plain';
    }
  }
  let matchesName = true;
  if (ACTIVE_TYPES.has(type)) {
    matchesName = byName !== undefined && ACTIVE_TYPES.has(byName) && family(byName) === family(type);
  } else if (byName && /^(image|audio|video)\//.test(byName)) {
    matchesName = family(type) === family(byName);
  } else if (byName === 'application/pdf') {
    matchesName = type === 'application/pdf';
  }
  return { type, matchesName };
}

/** image/svg+xml and image/png are different families for markup; otherwise the top-level type. */
function family(type: string): string {
  if (type === 'image/svg+xml') return 'svg';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  if (type === 'text/javascript' || type === 'application/javascript') return 'js';
  return type.split('/')[0]!;
}

/** `image/*, application/pdf` → does `type` match one of the patterns? */
export function matchesPatterns(type: string, patterns: string): boolean {
  const t = type.toLowerCase();
  return patterns
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .some((p) => p === '*' || p === '*/*' || p === t || (p.endsWith('/*') && t.startsWith(p.slice(0, -1))));
}

/** A display name from the client's file name: no path, no control characters, bounded length. */
export function cleanFileName(raw: string | undefined): string {
  let name = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (name.length > 200) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
    name = name.slice(0, 200 - ext.length) + ext;
  }
  return name || 'file';
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
