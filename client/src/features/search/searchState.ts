/** The open search (query and scope), kept outside the room view so results stay open while jumping between rooms. */
import { useSyncExternalStore } from 'react';

export interface SearchState {
  open: boolean;
  query: string;
  /** search only the room being viewed */
  thisRoomOnly: boolean;
  /** counts submissions: the same words searched again are fetched again */
  runNo: number;
}

let state: SearchState = { open: false, query: '', thisRoomOnly: false, runNo: 0 };
const listeners = new Set<() => void>();

export function setSearch(patch: Partial<SearchState>): void {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}

/** A search submitted by the user: opens the results and always fetches them anew. */
export function submitSearch(query: string): void {
  setSearch({ open: true, query, runNo: state.runNo + 1 });
}

export function useSearch(): SearchState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
