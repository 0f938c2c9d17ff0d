import { useEffect, useState } from 'react';
import type { RoomAutocompleteItem } from '@obmeet/contracts';
import { searchApi } from '../../api';
import { Icon } from '../../components/Icon';
import { linkProps, roomPath } from '../../lib/router';
import { useChat } from '../../state/chatStore';

/**
 * While the sidebar filter has text: channels the user is not in yet that match it
 * (rooms.autocomplete.channelAndPrivate), so "Find a room" finds any public channel, like Slack's switcher.
 */
export function SidebarChannelMatches({ filter, onNavigate }: { filter: string; onNavigate: () => void }) {
  const subs = useChat((s) => s.subs);
  const [items, setItems] = useState<RoomAutocompleteItem[]>([]);
  const needle = filter.trim().replace(/^#/, '');

  useEffect(() => {
    if (!needle) {
      setItems([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      searchApi
        .rooms(needle)
        .then((r) => !cancelled && setItems(r.items))
        .catch(() => !cancelled && setItems([]));
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [needle]);

  const others = items.filter((r) => !subs[r._id]);
  if (!needle || others.length === 0) return null;
  return (
    <section className="sidebar-section" aria-label="Other channels">
      <div className="sidebar-section-header">
        <span className="section-toggle">Other channels</span>
      </div>
      <ul className="room-list">
        {others.map((r) => (
          <li key={r._id}>
            <a {...linkProps(roomPath(r._id), onNavigate)} className="room-link" data-room-name={r.name}>
              <Icon name={r.t === 'p' ? 'lock' : 'hash'} size={16} className="room-link-icon" />
              <span className="room-link-name">{r.fname || r.name}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
