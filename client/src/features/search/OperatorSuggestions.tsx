import { useEffect, useState } from 'react';
import { searchApi } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';

interface Suggestion {
  key: string;
  /** what replaces the operator being typed */
  value: string;
  label: string;
  detail?: string;
  avatar?: string;
  icon?: 'hash' | 'lock';
}

/** `from:@ab` or `in:#ab` being typed at the end of the search text. */
function operatorAtEnd(text: string): { kind: 'from' | 'in'; term: string; start: number } | null {
  const m = /(^|\s)(from:@?|in:#?)(\S*)$/i.exec(text);
  if (!m) return null;
  return { kind: m[2]!.toLowerCase().startsWith('from') ? 'from' : 'in', term: m[3]!, start: (m.index ?? 0) + m[1]!.length };
}

/** People (users.autocomplete) and rooms (rooms.autocomplete.channelAndPrivate) for the operator being typed. */
export function OperatorSuggestions({ text, onPick }: { text: string; onPick: (next: string) => void }) {
  const op = operatorAtEnd(text);
  const [items, setItems] = useState<Suggestion[]>([]);
  const kind = op?.kind;
  const term = op?.term;

  useEffect(() => {
    if (!kind) {
      setItems([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      const load =
        kind === 'from'
          ? searchApi.users(term ?? '').then((r) =>
              r.items.map((u): Suggestion => ({ key: u._id, value: `from:@${u.username} `, label: u.name || u.username, detail: `@${u.username}`, avatar: u.username })),
            )
          : searchApi.rooms(term ?? '').then((r) =>
              r.items.map((room): Suggestion => ({ key: room._id, value: `in:#${room.name} `, label: room.fname || room.name, icon: room.t === 'p' ? 'lock' : 'hash' })),
            );
      load.then((s) => !cancelled && setItems(s)).catch(() => !cancelled && setItems([]));
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, term]);

  if (!op || items.length === 0) return null;
  return (
    <ul className="operator-suggestions" aria-label={op.kind === 'from' ? 'People' : 'Rooms'}>
      {items.map((s) => (
        <li key={s.key}>
          <button type="button" onClick={() => onPick(text.slice(0, op.start) + s.value)}>
            {s.avatar ? <Avatar username={s.avatar} size={20} /> : <Icon name={s.icon ?? 'hash'} size={16} />}
            <span>{s.label}</span>
            {s.detail && <span className="muted small">{s.detail}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
