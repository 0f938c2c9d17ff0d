import { useEffect, useId, useState } from 'react';
import type { RoomAutocompleteItem } from '@obmeet/contracts';
import { errorMessage, searchApi } from '../../api';
import { Icon } from '../../components/Icon';

export interface PickedRoom {
  _id: string;
  name: string;
  t: 'c' | 'p' | 'd';
}

/** Pick one or more channels/groups by name (rooms.autocomplete.channelAndPrivate), as chips. */
export function RoomPicker({
  label,
  selected,
  onChange,
  single = false,
}: {
  label: string;
  selected: PickedRoom[];
  onChange: (rooms: PickedRoom[]) => void;
  single?: boolean;
}) {
  const inputId = useId();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<RoomAutocompleteItem[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      searchApi
        .rooms(query.trim().replace(/^#/, ''))
        .then(({ items }) => {
          if (cancelled) return;
          setResults(items.filter((r) => !selected.some((s) => s._id === r._id)));
          setActive(0);
          setError(null);
        })
        .catch((e) => !cancelled && setError(errorMessage(e)));
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, selected.map((r) => r._id).join(',')]);

  const pick = (r: RoomAutocompleteItem) => {
    const picked = { _id: r._id, name: r.fname || r.name, t: r.t };
    onChange(single ? [picked] : [...selected, picked]);
    setQuery('');
    setOpen(false);
  };

  return (
    <div className="user-picker">
      <label htmlFor={inputId}>{label}</label>
      {selected.length > 0 && (
        <ul className="chips" aria-label="Selected rooms">
          {selected.map((r) => (
            <li key={r._id} className="chip">
              <Icon name={r.t === 'p' ? 'lock' : 'hash'} size={14} />
              <span>{r.name}</span>
              <button type="button" className="chip-remove" aria-label={`Remove ${r.name}`} onClick={() => onChange(selected.filter((x) => x._id !== r._id))}>
                <Icon name="x" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {(!single || selected.length === 0) && (
        <div className="combobox">
          <Icon name="search" className="input-icon" />
          <input
            id={inputId}
            type="search"
            autoComplete="off"
            placeholder="Search rooms by name"
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
              {results.map((r, i) => (
                <li
                  key={r._id}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(r);
                  }}
                  onMouseEnter={() => setActive(i)}
                >
                  <Icon name={r.t === 'p' ? 'lock' : 'hash'} size={16} />
                  <span className="option-name">{r.fname || r.name}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
