/**
 * Message text → safe HTML. marked renders the markdown (raw HTML in a message is shown
 * as text, never interpreted), DOMPurify keeps an allowlist of tags and attributes, links
 * open in a new tab without an opener and only with http(s)/mailto targets, and mentions
 * and `:emoji:` shortcodes are decorated on the sanitised DOM, outside code and links.
 */
import { Marked } from 'marked';
import DOMPurify, { type Config } from 'dompurify';
import { emojiFor } from './emoji';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // people paste HTML to show it, not to run it
    html({ text }) {
      return escapeHtml(text);
    },
    // remote images would let anyone in a room see who read a message: show a link instead
    image({ href, text }) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
  },
});

const purify = DOMPurify(window);
const SAFE_LINK = /^(https?:|mailto:)/i;

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href') ?? '';
  if (!SAFE_LINK.test(href.trim())) {
    node.removeAttribute('href');
    return;
  }
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

const PURIFY_CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: [
    'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'input',
  ],
  ALLOWED_ATTR: ['href', 'title', 'target', 'rel', 'type', 'checked', 'disabled', 'align'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

const MENTION = /(^|[^\w@])@([a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9_]|[a-zA-Z0-9])/g;
const SHORTCODE = /:[a-z0-9_+-]+:/g;

/** Wraps @mentions and replaces known :shortcodes: in the text nodes of `root`. */
function decorateText(root: Node, me: string | undefined) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let p = node.parentNode; p && p !== root; p = p.parentNode) {
        if (p.nodeName === 'CODE' || p.nodeName === 'PRE' || p.nodeName === 'A') return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const textNodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) textNodes.push(n as Text);

  for (const node of textNodes) {
    const text = node.data.replace(SHORTCODE, (code) => emojiFor(code) ?? code);
    if (!text.includes('@')) {
      if (text !== node.data) node.data = text;
      continue;
    }
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(MENTION)) {
      const start = match.index + match[1].length;
      const username = match[2];
      parts.append(text.slice(last, start));
      const span = document.createElement('span');
      const mine = username === me || username === 'all' || username === 'here';
      span.className = mine ? 'mention mention-me' : 'mention';
      span.textContent = `@${username}`;
      parts.append(span);
      last = start + username.length + 1;
    }
    parts.append(text.slice(last));
    node.replaceWith(parts);
  }
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

export function renderMarkdown(text: string, me?: string): string {
  const key = `${me ?? ''}\u0000${text}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  const html = marked.parse(text) as string;
  const fragment = purify.sanitize(html, PURIFY_CONFIG);
  // task-list checkboxes are the only inputs marked produces; keep them inert
  fragment.querySelectorAll('input').forEach((input) => {
    if (input.getAttribute('type') !== 'checkbox') input.remove();
    else input.setAttribute('disabled', '');
  });
  decorateText(fragment, me);
  const container = document.createElement('div');
  container.append(fragment);
  const result = container.innerHTML;

  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/** Plain one-line preview (sidebar, notifications): markdown markers stripped, no HTML. */
export function plainPreview(text: string, max = 120): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, '[code]')
    .replace(/[*_~`>#]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const withEmoji = plain.replace(SHORTCODE, (code) => emojiFor(code) ?? code);
  return withEmoji.length > max ? `${withEmoji.slice(0, max - 1)}…` : withEmoji;
}

/** Usernames mentioned in a text, for local mention badges. */
export function mentionedUsernames(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[2]);
}
