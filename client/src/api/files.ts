import type { FileDto, MessageDto } from '@obmeet/contracts';
import { API_BASE, ApiError, get } from './http';

type Ok<T> = { success: true } & T;

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadHandle {
  /** settles with the posted message, or rejects with an ApiError (or an AbortError when cancelled) */
  done: Promise<{ message: MessageDto; file: FileDto }>;
  cancel(): void;
}

/**
 * `POST rooms.upload/:rid` as multipart. XMLHttpRequest rather than fetch: only XHR reports upload
 * progress. The session cookie authenticates it, like every other call of the client.
 */
export function uploadFile(
  rid: string,
  file: File,
  fields: { msg?: string; tmid?: string; tshow?: boolean; description?: string },
  onProgress: (p: UploadProgress) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  // text fields before the file, so a refused upload fails before the bytes are sent
  if (fields.msg) form.append('msg', fields.msg);
  if (fields.tmid) form.append('tmid', fields.tmid);
  if (fields.tmid && fields.tshow) form.append('tshow', 'true');
  if (fields.description) form.append('description', fields.description);
  form.append('file', file, file.name);

  const done = new Promise<{ message: MessageDto; file: FileDto }>((resolve, reject) => {
    xhr.upload.addEventListener('progress', (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size }));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
    xhr.addEventListener('error', () => reject(new TypeError('Could not reach the server. Check your connection.')));
    xhr.addEventListener('load', () => {
      type UploadAnswer = { success?: boolean; error?: string; errorType?: string; message?: MessageDto; file?: FileDto };
      let body: UploadAnswer | null;
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body?.success !== false && body?.message && body.file) {
        resolve({ message: body.message, file: body.file });
        return;
      }
      const fallback = xhr.status === 413 ? 'The file is too large.' : `Upload failed (${xhr.status})`;
      reject(new ApiError(xhr.status, body?.error ?? fallback, body?.errorType ?? (xhr.status === 413 ? 'error-payload-too-large' : 'error-unknown')));
    });
  });
  xhr.open('POST', `${API_BASE}/rooms.upload/${encodeURIComponent(rid)}`);
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(form);
  return { done, cancel: () => xhr.abort() };
}

export const filesApi = {
  roomFiles: (roomId: string, count = 25, offset = 0) =>
    get<Ok<{ files: FileDto[]; count: number; offset: number; total: number }>>('rooms.files', { roomId, count, offset }),
  mine: (count = 25, offset = 0) => get<Ok<{ files: FileDto[]; count: number; offset: number; total: number }>>('users.files', { count, offset }),
};

export interface PublicSetting {
  _id: string;
  value: unknown;
}

/** Public settings (all of them for admins). Read fresh where a choice depends on them. */
export async function loadSettings(): Promise<Record<string, unknown>> {
  const { settings } = await get<Ok<{ settings: PublicSetting[] }>>('settings');
  return Object.fromEntries(settings.map((s) => [s._id, s.value]));
}
