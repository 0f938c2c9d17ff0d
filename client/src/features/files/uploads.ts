/**
 * Uploads in flight, per room (and thread): progress, cancel, and the error of a refused one.
 * Kept outside React so an upload survives switching rooms, like Slack.
 */
import { useSyncExternalStore } from 'react';
import { ApiError, errorMessage, loadSettings, uploadFile, type UploadHandle } from '../../api';
import { randomId } from '../../lib/ids';
import { chatStore } from '../../state/chatStore';
import { formatBytes } from './format';

export interface UploadItem {
  id: string;
  /** rid, or rid + ':' + tmid */
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: 'uploading' | 'processing' | 'failed';
  error?: string;
  handle?: UploadHandle;
}

let items: UploadItem[] = [];
const listeners = new Set<() => void>();
function set(next: UploadItem[]) {
  items = next;
  listeners.forEach((l) => l());
}
function patch(id: string, p: Partial<UploadItem>) {
  set(items.map((u) => (u.id === id ? { ...u, ...p } : u)));
}

export const uploadKey = (rid: string, tmid?: string) => (tmid ? `${rid}:${tmid}` : rid);

export function useUploads(rid: string, tmid?: string): UploadItem[] {
  const key = uploadKey(rid, tmid);
  const all = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => items,
  );
  return all.filter((u) => u.key === key);
}

/** A user-facing sentence for a refused upload, by the server's stable error code. */
function uploadError(e: unknown, name: string): string {
  if (e instanceof ApiError) {
    if (e.errorType === 'error-payload-too-large') return `“${name}” is too large. ${e.message}`;
    if (e.errorType === 'error-unsupported-media-type') return `“${name}” is a type of file this server does not accept. ${e.message}`;
  }
  return `“${name}” was not uploaded: ${errorMessage(e)}`;
}

function fail(id: string, text: string) {
  patch(id, { status: 'failed', error: text, handle: undefined });
  chatStore.toast({ text, kind: 'error' });
}

/**
 * Uploads each file as its own message; the caption goes with the first. The size limit (a public
 * setting) is checked first so nobody waits for a refused 1 GB upload; the server checks again.
 */
export async function startUploads(rid: string, tmid: string | undefined, files: File[], caption: string, tshow = false): Promise<void> {
  const key = uploadKey(rid, tmid);
  const queued = files.map((f): UploadItem => ({ id: randomId(10), key, name: f.name || 'file', size: f.size, loaded: 0, status: 'uploading' }));
  set([...items, ...queued]);
  let maxSize: number | undefined;
  try {
    const settings = await loadSettings();
    if (typeof settings['files.maxSizeBytes'] === 'number') maxSize = settings['files.maxSizeBytes'];
  } catch {
    /* the server checks anyway */
  }
  files.forEach((file, i) => {
    const item = queued[i];
    if (maxSize !== undefined && file.size > maxSize) {
      fail(item.id, `“${item.name}” is too large: files can be at most ${formatBytes(maxSize)} here (this one is ${formatBytes(file.size)}).`);
      return;
    }
    const handle = uploadFile(rid, file, { msg: i === 0 && caption.trim() ? caption.trim() : undefined, tmid, tshow }, (p) =>
      patch(item.id, { loaded: p.loaded, status: p.loaded >= p.total ? 'processing' : 'uploading' }),
    );
    patch(item.id, { handle });
    handle.done.then(
      () => set(items.filter((u) => u.id !== item.id)),
      (e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') set(items.filter((u) => u.id !== item.id));
        else fail(item.id, uploadError(e, item.name));
      },
    );
  });
}

export function cancelUpload(id: string): void {
  const item = items.find((u) => u.id === id);
  if (item?.handle) item.handle.cancel();
  else set(items.filter((u) => u.id !== id));
}

export function dismissUpload(id: string): void {
  set(items.filter((u) => u.id !== id));
}

/** Files dropped on a room (outside the composer) go to that room's composer, which asks for a caption. */
const requests = new EventTarget();
export function requestUpload(rid: string, tmid: string | undefined, files: File[]): void {
  requests.dispatchEvent(new CustomEvent('upload', { detail: { key: uploadKey(rid, tmid), files } }));
}
export function onUploadRequest(rid: string, tmid: string | undefined, listener: (files: File[]) => void): () => void {
  const key = uploadKey(rid, tmid);
  const handler = (e: Event) => {
    const detail = (e as CustomEvent<{ key: string; files: File[] }>).detail;
    if (detail.key === key) listener(detail.files);
  };
  requests.addEventListener('upload', handler);
  return () => requests.removeEventListener('upload', handler);
}
