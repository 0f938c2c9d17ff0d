/** localStorage that never throws (private mode, quota, disabled storage). */
export const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      /* not persisted: only a preference or a draft is lost */
    }
  },
  remove(key: string): void {
    try {
      localStorage.removeItem(key);
    } catch {
      /* ignore */
    }
  },
};

const draftKey = (rid: string, tmid?: string) => `obmeet.draft.${rid}${tmid ? `.${tmid}` : ''}`;

export const drafts = {
  load: (rid: string, tmid?: string) => storage.get(draftKey(rid, tmid)) ?? '',
  save(rid: string, text: string, tmid?: string) {
    if (text.trim()) storage.set(draftKey(rid, tmid), text);
    else storage.remove(draftKey(rid, tmid));
  },
};
