import { useEffect, useRef, useState } from 'react';
import type { MessageDto } from '@obmeet/contracts';
import { errorMessage, searchApi } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { navigate, roomPath } from '../../lib/router';
import { formatFull, formatRelative } from '../../lib/time';
import { useChat } from '../../state/chatStore';
import { roomIcon, roomTitle } from '../rooms/roomDisplay';
import { highlight, searchWords } from './highlight';
import { OperatorSuggestions } from './OperatorSuggestions';
import { setSearch, submitSearch, useSearch } from './searchState';
import '../../styles/features-extra.css';

const PAGE = 20;

const OPERATORS: { insert: string; help: string }[] = [
  { insert: 'from:@', help: 'from a person' },
  { insert: 'in:#', help: 'in a room' },
  { insert: 'has:file', help: 'with a file' },
  { insert: 'has:location', help: 'with a location' },
  { insert: 'on:', help: 'on a day (YYYY-MM-DD)' },
  { insert: 'before:', help: 'before a day' },
  { insert: 'after:', help: 'after a day' },
];

/** The last results shown, so they survive the panel remounting when a result opens another room. */
let kept: { key: string; results: MessageDto[]; hasMore: boolean; searched: string } | null = null;

/** What a result shows: the text, else the file name or the attachment's title. */
function resultText(m: MessageDto): string {
  if (m.msg) return m.msg;
  if (m.file) return m.file.name;
  const a = m.attachments?.[0];
  return [a?.title, a?.text].filter(Boolean).join(' — ');
}

/** Search results, newest first, a page at a time; a click opens the message in its room. */
export function SearchPanel({ rid, me }: { rid: string; me: string }) {
  const search = useSearch();
  const scopeRid = search.thisRoomOnly ? rid : undefined;
  const key = `${search.runNo}\n${search.query}\n${scopeRid ?? ''}`;
  const initial = kept?.key === key ? kept : null;
  const [draft, setDraft] = useState(search.query);
  const [results, setResults] = useState<MessageDto[]>(initial?.results ?? []);
  const [hasMore, setHasMore] = useState(initial?.hasMore ?? false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState<string | null>(initial?.searched ?? null);
  const rooms = useChat((s) => s.rooms);
  const subs = useChat((s) => s.subs);
  const users = useChat((s) => s.users);
  const input = useRef<HTMLInputElement>(null);
  const requestNo = useRef(0);

  useEffect(() => setDraft(search.query), [search.query]);

  const run = async (offset: number) => {
    const query = search.query.trim();
    if (!query) return;
    const no = ++requestNo.current;
    setLoading(true);
    setError(null);
    try {
      const page = await searchApi.messages(query, { roomId: scopeRid, count: PAGE, offset });
      if (no !== requestNo.current) return;
      setResults((prev) => {
        const next = offset === 0 ? page.messages : [...prev, ...page.messages.filter((m) => !prev.some((p) => p._id === m._id))];
        kept = { key, results: next, hasMore: page.hasMore, searched: query };
        return next;
      });
      setHasMore(page.hasMore);
      setSearched(query);
    } catch (e) {
      if (no !== requestNo.current) return;
      setError(errorMessage(e));
      if (offset === 0) setResults([]);
    } finally {
      if (no === requestNo.current) setLoading(false);
    }
  };

  useEffect(() => {
    // reopened for the same search (another room opened from a result): show what was there
    if (kept?.key === key && searched !== null) return;
    void run(0);
  }, [key]);

  const words = searchWords(searched ?? '');
  const close = () => setSearch({ open: false });

  return (
    <aside className="side-panel search-panel" aria-label="Search results">
      <header className="side-panel-header">
        <Icon name="search" />
        <h2>Search</h2>
        <button type="button" className="icon-button" aria-label="Close search" onClick={close}>
          <Icon name="x" />
        </button>
      </header>
      <div className="side-panel-scroll">
        <form
          className="panel-toolbar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) submitSearch(draft.trim());
          }}
        >
          <input ref={input} type="search" aria-label="Search text" placeholder="Words, from:@user, in:#room…" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="button button-small">
            Search
          </button>
        </form>
        <OperatorSuggestions
          text={draft}
          onPick={(next) => {
            setDraft(next);
            input.current?.focus();
          }}
        />
        <div className="search-options">
          <label className="checkbox checkbox-small">
            <input type="checkbox" checked={search.thisRoomOnly} onChange={(e) => setSearch({ thisRoomOnly: e.target.checked })} />
            Only this room
          </label>
          <details className="search-help">
            <summary>Operators</summary>
            <ul>
              {OPERATORS.map((o) => (
                <li key={o.insert}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setDraft((d) => `${d.trim() ? `${d.trim()} ` : ''}${o.insert}`);
                      input.current?.focus();
                    }}
                  >
                    <code>{o.insert}</code>
                  </button>{' '}
                  {o.help}
                </li>
              ))}
            </ul>
          </details>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {searched !== null && !error && results.length === 0 && !loading && <p className="muted small">No messages match “{searched}”.</p>}
        <ul className="search-results">
          {results.map((m) => {
            const room = rooms[m.rid];
            const sub = subs[m.rid];
            const target = m.tmid && !m.tshow ? roomPath(m.rid, { tmid: m.tmid, msgId: m.tmid }) : roomPath(m.rid, { msgId: m._id });
            return (
              <li key={m._id}>
                <button type="button" className="search-result" data-message-id={m._id} onClick={() => navigate(target)}>
                  <span className="search-result-meta">
                    {room || sub ? (
                      <span className="search-result-room">
                        <Icon name={roomIcon((room ?? sub)!.t)} size={12} />
                        {roomTitle(sub, room, me, users)}
                      </span>
                    ) : (
                      <span className="search-result-room">
                        <Icon name="hash" size={12} />
                        channel
                      </span>
                    )}
                    {m.tmid && <span className="tag">Thread</span>}
                    <time dateTime={m.ts} title={formatFull(m.ts)}>
                      {formatRelative(m.ts)}
                    </time>
                  </span>
                  <span className="search-result-body">
                    <Avatar username={m.u.username} size={24} />
                    <span>
                      <strong>{m.alias || m.u.name || m.u.username}</strong>
                      <span className="search-result-text">{highlight(resultText(m), words)}</span>
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        {(hasMore || loading) && (
          <div className="panel-actions">
            <button type="button" className="button button-small" disabled={loading} onClick={() => void run(results.length)}>
              {loading ? 'Searching…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
    </aside>
  );
}
