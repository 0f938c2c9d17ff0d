import type { MessageDto } from '@obmeet/contracts';
import { MAX_TOKENS_PER_MESSAGE, MAX_WORD_LENGTH } from './search.model.js';

/** Lower-case, accents removed (NFKD, combining marks dropped), ß → ss. */
export function normalize(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

/** The words of a text, normalised, each once, in order. */
export function words(text: string): string[] {
  const out = new Set<string>();
  for (const m of normalize(text).matchAll(/[\p{L}\p{N}]+/gu)) {
    if (m[0].length <= MAX_WORD_LENGTH) out.add(m[0]);
  }
  return [...out];
}

export const prefixToken = (word: string) => `^${word.slice(0, 3)}`;
export const userToken = (userId: string) => `~u:${userId}`;
export const dayToken = (day: string) => `~d:${day}`;
export const FILE_TOKEN = '~has:file';
export const LOCATION_TOKEN = '~has:location';

/** Everything a message is found by: its text, its file's name, its attachments' texts. */
export function searchableText(m: MessageDto): string {
  const parts = [m.msg];
  if (m.file) parts.push(m.file.name);
  for (const a of m.attachments ?? []) parts.push(a.title ?? '', a.text ?? '', a.pretext ?? '');
  return parts.join(' ');
}

/** The tokens a message is indexed under (system messages and deleted ones: none). */
export function messageTokens(m: MessageDto): string[] {
  if (m.t || m.deleted) return [];
  const tokens = new Set<string>();
  for (const w of words(searchableText(m))) {
    tokens.add(w);
    if (w.length >= 3) tokens.add(prefixToken(w));
    if (tokens.size >= MAX_TOKENS_PER_MESSAGE) break;
  }
  tokens.add(userToken(m.u._id));
  tokens.add(dayToken(m.ts.slice(0, 10)));
  if (m.file) tokens.add(FILE_TOKEN);
  if (m.location) tokens.add(LOCATION_TOKEN);
  return [...tokens];
}

export interface ParsedQuery {
  /** words every result has */
  words: string[];
  /** the last word, matched as a prefix (3+ letters) */
  prefix?: string;
  from?: string;
  in?: string;
  has: ('file' | 'location')[];
  /** ts < before */
  before?: Date;
  /** ts >= after */
  after?: Date;
  /** ts in [on, on + 1 day) */
  on?: string;
}

const DAY_MS = 86_400_000;

function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}

/**
 * Parses `searchText`. Operators: from:@user, in:#room, has:file|location, before:/after:/on:
 * YYYY-MM-DD (UTC days; before: and after: exclude the day itself). Returns an error string for
 * a malformed operator value.
 */
export function parseQuery(text: string): ParsedQuery | { error: string } {
  const q: ParsedQuery = { words: [], has: [] };
  const free: string[] = [];
  for (const part of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(from|in|has|before|after|on):(.+)$/i.exec(part);
    if (!m) {
      free.push(part);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'from') q.from = value.replace(/^@/, '').toLowerCase();
    else if (key === 'in') q.in = value.replace(/^#/, '');
    else if (key === 'has') {
      const v = value.toLowerCase();
      if (v !== 'file' && v !== 'location') return { error: `has: takes file or location, not ${value}` };
      if (!q.has.includes(v)) q.has.push(v);
    } else {
      const day = parseDay(value);
      if (!day) return { error: `${key}: takes a date YYYY-MM-DD` };
      if (key === 'before') q.before = day;
      else if (key === 'after') q.after = new Date(day.getTime() + DAY_MS);
      else q.on = value;
    }
  }
  const ws = words(free.join(' '));
  // the last word typed is matched as a prefix (as you type); others exactly
  const endsWithSpace = /\s$/.test(text);
  if (ws.length && !endsWithSpace && ws[ws.length - 1]!.length >= 3) {
    q.prefix = ws.pop()!;
    if (ws.includes(q.prefix)) q.prefix = undefined;
  }
  q.words = ws;
  return q;
}

export function isEmptyQuery(q: ParsedQuery): boolean {
  return !q.words.length && !q.prefix && !q.from && !q.has.length && !q.before && !q.after && !q.on && !q.in;
}

/** The index tokens a query needs (all of them), given the author's id for from:. */
export function queryTokens(q: ParsedQuery, fromUserId?: string): string[] {
  const t = [...q.words];
  if (q.prefix) t.push(prefixToken(q.prefix));
  if (fromUserId) t.push(userToken(fromUserId));
  if (q.has.includes('file')) t.push(FILE_TOKEN);
  if (q.has.includes('location')) t.push(LOCATION_TOKEN);
  if (q.on) t.push(dayToken(q.on));
  return t;
}

/** The real test of a candidate against the query (postings may be stale). */
export function matches(m: MessageDto, q: ParsedQuery, fromUserId?: string): boolean {
  if (m.t || m.deleted) return false;
  if (fromUserId && m.u._id !== fromUserId) return false;
  if (q.has.includes('file') && !m.file) return false;
  if (q.has.includes('location') && !m.location) return false;
  const ts = Date.parse(m.ts);
  if (q.before && ts >= q.before.getTime()) return false;
  if (q.after && ts < q.after.getTime()) return false;
  if (q.on && m.ts.slice(0, 10) !== q.on) return false;
  if (q.words.length || q.prefix) {
    const have = new Set(words(searchableText(m)));
    if (!q.words.every((w) => have.has(w))) return false;
    if (q.prefix && ![...have].some((w) => w.startsWith(q.prefix!))) return false;
  }
  return true;
}
