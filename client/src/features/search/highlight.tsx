import type { ReactNode } from 'react';

/** Lower-case, accents removed: the same folding the server applies, so what matched is what is marked. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

/** The free words of a search (operators like from:@x or has:file left out), folded. */
export function searchWords(query: string): string[] {
  const free = query
    .split(/\s+/)
    .filter((p) => p && !/^(from|in|has|before|after|on):/i.test(p))
    .join(' ');
  return [...fold(free).matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/** Plain text with each word that matches the search wrapped in <mark> (a word may start with the last, unfinished one). */
export function highlight(text: string, words: string[]): ReactNode[] {
  if (words.length === 0) return [text];
  const last = words[words.length - 1];
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = fold(m[0]);
    const hit = words.includes(w) || (last.length >= 3 && w.startsWith(last));
    if (!hit) continue;
    const start = m.index ?? 0;
    if (start > at) out.push(text.slice(at, start));
    out.push(<mark key={start}>{m[0]}</mark>);
    at = start + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
