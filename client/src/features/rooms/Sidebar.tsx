import { useMemo, useState } from 'react';
import type { RoomDto, SubscriptionDto } from '@obmeet/contracts';
import { useChat } from '../../state/chatStore';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { ThemeToggle } from '../../components/ThemeToggle';
import { linkProps, roomPath, useRoute } from '../../lib/router';
import { isAdmin, logOut, useSession } from '../auth/session';
import { SidebarChannelMatches } from '../search/SidebarChannelMatches';
import { directPartner, roomIcon, roomTitle } from './roomDisplay';

interface SidebarItem {
  sub: SubscriptionDto;
  room: RoomDto | undefined;
  title: string;
  partner?: string;
}

function byTitle(a: SidebarItem, b: SidebarItem) {
  return a.title.localeCompare(b.title);
}

function byLastActivity(a: SidebarItem, b: SidebarItem) {
  const at = a.room?.lastMessage?.ts ?? a.room?.ts ?? '';
  const bt = b.room?.lastMessage?.ts ?? b.room?.ts ?? '';
  return bt.localeCompare(at);
}

function RoomLink({ item, active, onNavigate }: { item: SidebarItem; active: boolean; onNavigate: () => void }) {
  const { sub, title, partner } = item;
  const unread = sub.unread > 0;
  // in direct messages every message is addressed to you, so it counts like a mention
  const mentions = sub.t === 'd' ? sub.unread : sub.userMentions + sub.groupMentions;
  const label = `${title}${unread ? `, ${sub.unread} unread` : ''}${mentions > 0 && sub.t !== 'd' ? `, ${mentions} mentions` : ''}`;
  return (
    <li>
      <a
        {...linkProps(roomPath(sub.rid), onNavigate)}
        className={`room-link${active ? ' active' : ''}${unread && !sub.muted ? ' unread' : ''}${sub.muted ? ' muted' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-label={label}
        data-room-name={sub.name}
      >
        {partner ? <Avatar username={partner} size={20} showPresence /> : <Icon name={roomIcon(sub.t)} size={16} className="room-link-icon" />}
        <span className="room-link-name">{title}</span>
        {mentions > 0 ? (
          <span className="badge badge-mention" data-testid="mention-badge">
            {sub.t === 'd' ? mentions : `@${mentions}`}
          </span>
        ) : unread ? (
          <span className="badge" data-testid="unread-badge">
            {sub.unread}
          </span>
        ) : null}
      </a>
    </li>
  );
}

function Section({
  title,
  items,
  activeRid,
  onNavigate,
  action,
}: {
  title: string;
  items: SidebarItem[];
  activeRid: string | null;
  onNavigate: () => void;
  action?: { label: string; onClick: () => void };
}) {
  const [collapsed, setCollapsed] = useState(false);
  const id = `section-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <section className="sidebar-section" aria-labelledby={id}>
      <div className="sidebar-section-header">
        <button type="button" className="section-toggle" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)} id={id}>
          <Icon name="chevronDown" size={14} className={collapsed ? 'rotated' : undefined} />
          {title}
        </button>
        {action && (
          <button type="button" className="icon-button icon-button-small" aria-label={action.label} title={action.label} onClick={action.onClick}>
            <Icon name="plus" size={16} />
          </button>
        )}
      </div>
      {!collapsed && (
        <ul className="room-list">
          {items.map((item) => (
            <RoomLink key={item.sub.rid} item={item} active={item.sub.rid === activeRid} onNavigate={onNavigate} />
          ))}
          {items.length === 0 && <li className="room-list-empty">Nothing here yet</li>}
        </ul>
      )}
    </section>
  );
}

export function Sidebar({
  onCreateRoom,
  onStartDirect,
  onNavigate,
}: {
  onCreateRoom: () => void;
  onStartDirect: () => void;
  onNavigate: () => void;
}) {
  const session = useSession();
  const me = session.status === 'authenticated' ? session.me : null;
  const subs = useChat((s) => s.subs);
  const rooms = useChat((s) => s.rooms);
  const activeRid = useChat((s) => s.activeRid);
  const users = useChat((s) => s.users);
  const connection = useChat((s) => s.connection);
  const roomsLoaded = useChat((s) => s.roomsLoaded);
  const route = useRoute();
  const [filter, setFilter] = useState('');

  const sections = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const items: SidebarItem[] = Object.values(subs)
      .filter((sub) => sub.open !== false || sub.rid === activeRid || sub.unread > 0)
      .map((sub) => {
        const room = rooms[sub.rid];
        return { sub, room, title: roomTitle(sub, room, me?.username, users), partner: directPartner(sub, room, me?.username) };
      })
      .filter((item) => !needle || item.title.toLowerCase().includes(needle) || item.sub.name.toLowerCase().includes(needle));
    return {
      favourites: items.filter((i) => i.sub.f).sort(byTitle),
      channels: items.filter((i) => !i.sub.f && i.sub.t === 'c').sort(byTitle),
      groups: items.filter((i) => !i.sub.f && i.sub.t === 'p').sort(byTitle),
      direct: items.filter((i) => !i.sub.f && i.sub.t === 'd').sort(byLastActivity),
    };
  }, [subs, rooms, users, activeRid, filter, me?.username]);

  return (
    <nav className="sidebar" aria-label="Rooms">
      <div className="sidebar-header">
        <a {...linkProps('/', onNavigate)} className="brand">
          <img src="/favicon.svg" alt="" width={26} height={26} />
          <span>OBMeet</span>
        </a>
        <div className="sidebar-header-actions">
          <a {...linkProps('/directory', onNavigate)} className="icon-button" aria-label="Browse channels" title="Browse channels">
            <Icon name="compass" />
          </a>
          <button type="button" className="icon-button" aria-label="Create channel" title="Create channel" onClick={onCreateRoom}>
            <Icon name="edit" />
          </button>
        </div>
      </div>
      <div className="sidebar-filter">
        <Icon name="search" size={16} className="input-icon" />
        <input
          type="search"
          placeholder="Find a room"
          aria-label="Find a room"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="sidebar-scroll">
        {!roomsLoaded ? (
          <p className="sidebar-loading">Loading rooms…</p>
        ) : (
          <>
            {sections.favourites.length > 0 && (
              <Section title="Favourites" items={sections.favourites} activeRid={activeRid} onNavigate={onNavigate} />
            )}
            <Section
              title="Channels"
              items={sections.channels}
              activeRid={activeRid}
              onNavigate={onNavigate}
              action={{ label: 'Create channel', onClick: onCreateRoom }}
            />
            <Section title="Private groups" items={sections.groups} activeRid={activeRid} onNavigate={onNavigate} />
            <Section
              title="Direct messages"
              items={sections.direct}
              activeRid={activeRid}
              onNavigate={onNavigate}
              action={{ label: 'Start a direct message', onClick: onStartDirect }}
            />
            <SidebarChannelMatches filter={filter} onNavigate={onNavigate} />
            <a {...linkProps('/directory', onNavigate)} className={`sidebar-link${route.name === 'directory' ? ' active' : ''}`}>
              <Icon name="compass" size={16} /> Browse all channels
            </a>
            {isAdmin(me) && (
              <a {...linkProps('/admin', onNavigate)} className={`sidebar-link${route.name === 'admin' ? ' active' : ''}`}>
                <Icon name="shield" size={16} /> Administration
              </a>
            )}
          </>
        )}
      </div>
      {me && (
        <div className="sidebar-footer">
          <a {...linkProps('/account/profile', onNavigate)} className="me-link" aria-label="Your profile and account settings">
            {/* while disconnected nobody sees you online: show it */}
            <Avatar username={me.username} size={32} showPresence statusOverride={connection === 'connected' ? undefined : 'offline'} />
            <span className="me-names">
              <span className="me-name">{me.name}</span>
              <span className="me-username">@{me.username}</span>
            </span>
          </a>
          <ThemeToggle />
          <button type="button" className="icon-button" aria-label="Log out" title="Log out" onClick={() => void logOut()}>
            <Icon name="logout" />
          </button>
        </div>
      )}
    </nav>
  );
}
