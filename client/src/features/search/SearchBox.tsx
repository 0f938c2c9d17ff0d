import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { navigate, roomPath, useRoute } from '../../lib/router';
import { submitSearch, useSearch } from './searchState';
import '../../styles/features-extra.css';

/** The search field of the room header: Enter opens the results panel. */
export function SearchBox({ onOpen }: { onOpen?: () => void }) {
  const search = useSearch();
  const route = useRoute();
  const [text, setText] = useState(search.query);
  return (
    <form
      className="header-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        submitSearch(text.trim());
        onOpen?.();
        // the results take the side panel's place: close an open thread
        if (route.name === 'room' && route.tmid) navigate(roomPath(route.rid));
      }}
    >
      <Icon name="search" size={16} />
      <input
        type="search"
        placeholder="Search messages"
        aria-label="Search messages"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setText('');
            e.currentTarget.blur();
          }
        }}
      />
    </form>
  );
}
