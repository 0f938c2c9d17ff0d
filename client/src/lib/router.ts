/**
 * A small History API router. The server answers every non-API path with index.html,
 * so any of these URLs can be opened directly or reloaded.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'signup'; invite?: string }
  | { name: 'room'; rid: string; msgId?: string; tmid?: string }
  | { name: 'directory' }
  | { name: 'account'; tab: 'profile' | 'security' | 'tokens' | 'preferences' }
  | { name: 'admin'; page: string }
  | { name: 'meet'; id: string }
  | { name: 'meetings'; rid?: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
    case 'home':
      return { name: 'home' };
    case 'login':
      return { name: 'login' };
    case 'signup':
      return { name: 'signup', invite: params.get('invite') ?? undefined };
    case 'room':
      if (!parts[1]) return { name: 'home' };
      return {
        name: 'room',
        rid: parts[1],
        tmid: parts[2] === 'thread' ? parts[3] : undefined,
        msgId: params.get('msg') ?? undefined,
      };
    case 'directory':
      return { name: 'directory' };
    case 'account': {
      const tab = parts[1];
      return { name: 'account', tab: tab === 'security' || tab === 'tokens' || tab === 'preferences' ? tab : 'profile' };
    }
    case 'admin':
      return { name: 'admin', page: parts[1] ?? 'overview' };
    case 'meet':
      return parts[1] ? { name: 'meet', id: parts[1] } : { name: 'notFound' };
    case 'meetings':
      return { name: 'meetings', rid: parts[1] === 'room' ? parts[2] : undefined };
    default:
      return { name: 'notFound' };
  }
}

export function roomPath(rid: string, options: { tmid?: string; msgId?: string } = {}): string {
  let path = `/room/${encodeURIComponent(rid)}`;
  if (options.tmid) path += `/thread/${encodeURIComponent(options.tmid)}`;
  if (options.msgId) path += `?msg=${encodeURIComponent(options.msgId)}`;
  return path;
}

export function meetingPath(idOrToken: string): string {
  return `/meet/${encodeURIComponent(idOrToken)}`;
}

/** A room's meeting history, or (without rid) the signed-in user's. */
export function meetingsPath(rid?: string): string {
  return rid ? `/meetings/room/${encodeURIComponent(rid)}` : '/meetings';
}

const listeners = new Set<() => void>();
let current = { href: '', route: parseRoute('/', '') };

function snapshot() {
  const href = window.location.pathname + window.location.search;
  if (href !== current.href) current = { href, route: parseRoute(window.location.pathname, window.location.search) };
  return current.route;
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
  );
}

/** Props for an <a> that navigates inside the app without a page load. */
export function linkProps(path: string, after?: () => void) {
  return {
    href: path,
    onClick(e: React.MouseEvent<HTMLAnchorElement>) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(path);
      after?.();
    },
  };
}
