import { useEffect, useId, useState } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { accountsApi, errorMessage } from '../api';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

export interface PickedUser {
  _id: string;
  username: string;
  name: string;
}

/** Search users by name or username and pick one or more (chips), keyboard friendly. */
export function UserPicker({
  label,
  selected,
  onChange,
  exclude = [],
  single = false,
  autoFocus = false,
}: {
  label: string;
  selected: PickedUser[];
  onChange: (users: PickedUser[]) => void;
  exclude?: string[];
  single?: boolean;
  autoFocus?: boolean;
}) {
  const inputId = useId();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<UserDto[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      accountsApi
        .listUsers(query.trim(), 20)
        .then(({ users }) => {
          if (cancelled) return;
          const skip = new Set([...exclude, ...selected.map((u) => u.username)]);
          setResults(users.filter((u) => !skip.has(u.username) && u.active !== false));
          setActive(0);
          setError(null);
        })
        .catch((e) => !cancelled && setError(errorMessage(e)));
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // exclude/selected are compared by content through the joined key below
  }, [query, exclude.join(','), selected.map((u) => u.username).join(',')]);

  const pick = (u: UserDto) => {
    const picked = { _id: u._id, username: u.username, name: u.name };
    onChange(single ? [picked] : [...selected, picked]);
    setQuery('');
    setOpen(false);
  };

  return (
    <div className="user-picker">
      <label htmlFor={inputId}>{label}</label>
      {selected.length > 0 && (
        <ul className="chips" aria-label="Selected people">
          {selected.map((u) => (
            <li key={u.username} className="chip">
              <Avatar username={u.username} size={20} />
              <span>{u.name || u.username}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${u.username}`}
                onClick={() => onChange(selected.filter((x) => x.username !== u.username))}
              >
                <Icon name="x" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="combobox">
        <Icon name="search" className="input-icon" />
        <input
          id={inputId}
          type="search"
          autoComplete="off"
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          placeholder="Search by name or username"
          role="combobox"
          aria-expanded={open && results.length > 0}
          aria-controls={listId}
          aria-activedescendant={open && results[active] ? `${listId}-${active}` : undefined}
          value={query}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setActive((i) => Math.min(i + 1, results.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === 'Enter' && open && results[active]) {
              e.preventDefault();
              pick(results[active]);
            } else if (e.key === 'Escape' && open && results.length > 0) {
              e.stopPropagation();
              e.preventDefault();
              setOpen(false);
            }
          }}
        />
        {open && results.length > 0 && (
          <ul className="combobox-list" id={listId} role="listbox">
            {results.map((u, i) => (
              <li
                key={u._id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(u);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <Avatar username={u.username} size={24} />
                <span className="option-name">{u.name}</span>
                <span className="option-detail">@{u.username}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
