import { useSyncExternalStore } from 'react';
import { storage } from '../lib/storage';
import { Icon } from './Icon';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'obmeet.theme';
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  const v = storage.get(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Applies the choice: `system` leaves it to prefers-color-scheme in the stylesheet. */
export function applyTheme(choice: ThemeChoice = read()): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === 'system') storage.remove(KEY);
  else storage.set(KEY, choice);
  applyTheme(choice);
  listeners.forEach((l) => l());
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
  );
}

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function ThemeToggle() {
  const theme = useTheme();
  return (
    <button
      type="button"
      className="icon-button"
      onClick={() => setTheme(NEXT[theme])}
      aria-label={`${LABEL[theme]} (switch to ${NEXT[theme]})`}
      title={`${LABEL[theme]} — click for ${NEXT[theme]}`}
      data-theme-choice={theme}
    >
      <Icon name={theme === 'dark' ? 'moon' : theme === 'light' ? 'sun' : 'monitor'} />
    </button>
  );
}
