import { useEffect, useState } from 'react';
import type { RoomDto, SubscriptionDto } from '@obmeet/contracts';
import { errorMessage, roomsApi } from '../../api';
import { Avatar, PresenceDot } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { navigate, roomPath } from '../../lib/router';
import { renderMarkdown } from '../../lib/markdown';
import { chatStore, useChat } from '../../state/chatStore';
import { isAdmin, useSession } from '../auth/session';
import { FileDropZone } from '../files/FileDropZone';
import { StartMeetingButton } from '../meetings/StartMeetingButton';
import { RoomFilesPanel } from '../files/RoomFilesPanel';
import { SearchBox } from '../search/SearchBox';
import { SearchPanel } from '../search/SearchPanel';
import { setSearch, useSearch } from '../search/searchState';
import { Composer } from '../messages/Composer';
import { MessageList } from '../messages/MessageList';
import { ThreadPanel } from '../messages/ThreadPanel';
import { TypingIndicator } from '../messages/TypingIndicator';
import { MembersPanel } from './MembersPanel';
import { RoomInfoPanel } from './RoomInfoPanel';
import { canModerate, canPost, directPartner, roomIcon, roomTitle } from './roomDisplay';

type Panel = 'members' | 'info' | 'files' | null;

function RoomHeader({
  room,
  sub,
  me,
  panel,
  setPanel,
  onOpenSidebar,
}: {
  room: RoomDto;
  sub: SubscriptionDto | undefined;
  me: string;
  panel: Panel;
  setPanel: (p: Panel) => void;
  onOpenSidebar: () => void;
}) {
  const partner = directPartner(sub, room, me);
  const partnerStatus = useChat((s) => (partner ? s.presence[partner] : undefined));
  const users = useChat((s) => s.users);
  const title = roomTitle(sub, room, me, users);
  const toggle = (p: Panel) => setPanel(panel === p ? null : p);
  return (
    <header className="room-header">
      <button type="button" className="icon-button sidebar-open" aria-label="Open the room list" onClick={onOpenSidebar}>
        <Icon name="menu" />
      </button>
      <div className="room-header-title">
        <h1>
          {partner ? <Avatar username={partner} size={24} /> : <Icon name={roomIcon(room.t)} size={18} />}
          <span className="room-name" data-testid="room-title">
            {title}
          </span>
          {partner && <PresenceDot status={partnerStatus ?? 'offline'} inline />}
          {room.ro && <span className="tag tag-warning">Read-only</span>}
          {room.archived && <span className="tag tag-warning">Archived</span>}
        </h1>
        {room.topic && (
          <p className="room-topic" title={room.topic}>
            {room.topic}
          </p>
        )}
      </div>
      <div className="room-header-actions">
        <SearchBox onOpen={() => setPanel(null)} />
        {sub && !room.archived && <StartMeetingButton rid={room._id} direct={room.t === 'd'} />}
        {sub && (
          <button
            type="button"
            className={`icon-button${sub.f ? ' favourite' : ''}`}
            aria-pressed={sub.f}
            aria-label={sub.f ? 'Remove from favourites' : 'Add to favourites'}
            title={sub.f ? 'Remove from favourites' : 'Add to favourites'}
            onClick={() =>
              void roomsApi
                .setFavorite(room._id, !sub.f)
                .then(() => chatStore.patchSubscription(room._id, { f: !sub.f }))
                .catch((e) => chatStore.toast({ text: errorMessage(e), kind: 'error' }))
            }
          >
            <Icon name="star" filled={sub.f} />
          </button>
        )}
        <button type="button" className={`icon-button with-count${panel === 'members' ? ' active' : ''}`} aria-pressed={panel === 'members'} aria-label="Members" title="Members" onClick={() => toggle('members')}>
          <Icon name="users" />
          <span className="count">{room.usersCount}</span>
        </button>
        <button type="button" className={`icon-button${panel === 'files' ? ' active' : ''}`} aria-pressed={panel === 'files'} aria-label="Files" title="Files" onClick={() => toggle('files')}>
          <Icon name="file" />
        </button>
        <button type="button" className={`icon-button${panel === 'info' ? ' active' : ''}`} aria-pressed={panel === 'info'} aria-label="Room info" title="Room info" onClick={() => toggle('info')}>
          <Icon name="info" />
        </button>
      </div>
    </header>
  );
}

export function RoomView({ rid, tmid, msgId, onOpenSidebar }: { rid: string; tmid?: string; msgId?: string; onOpenSidebar: () => void }) {
  const session = useSession();
  const me = session.status === 'authenticated' ? session.me : null;
  const room = useChat((s) => s.rooms[rid]);
  const sub = useChat((s) => s.subs[rid]);
  const roomsLoaded = useChat((s) => s.roomsLoaded);
  const users = useChat((s) => s.users);
  const [panel, setPanel] = useState<Panel>(null);
  const search = useSearch();
  const [missing, setMissing] = useState(false);
  const [joining, setJoining] = useState(false);
  // where "New messages" goes: decided once, when the room opens, before it is marked read
  const [dividerAfterSeq] = useState(() => (sub && sub.unread > 0 ? sub.readSeq : null));

  useEffect(() => {
    chatStore.setActiveRoom(rid);
    return () => chatStore.setActiveRoom(null);
  }, [rid]);

  // a room that is not in my list may still be a public channel I can preview
  useEffect(() => {
    if (room || !roomsLoaded) return;
    let cancelled = false;
    void chatStore.fetchRoom(rid).then((r) => !cancelled && !r && setMissing(true));
    return () => {
      cancelled = true;
    };
  }, [rid, room, roomsLoaded]);

  useEffect(() => {
    if (!room) return;
    void chatStore.openTimeline(rid).catch(() => undefined);
    // members feed @-autocomplete and presence; direct rooms know theirs already
    void chatStore.loadMembers(rid).catch(() => undefined);
  }, [rid, room?._id]);

  // reading a room in a background tab does not count: mark it read when the tab comes back
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && chatStore.scheduleMarkRead(rid, 0);
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [rid]);

  // one side panel at a time: opening a thread closes members/info
  useEffect(() => {
    if (tmid) setPanel(null);
  }, [tmid]);

  // opening a panel closes the search results, which otherwise stay open from room to room
  useEffect(() => {
    if (panel) setSearch({ open: false });
  }, [panel]);

  if (!me) return null;
  if (!room) {
    return (
      <div className="room-view room-missing">
        <header className="room-header">
          <button type="button" className="icon-button sidebar-open" aria-label="Open the room list" onClick={onOpenSidebar}>
            <Icon name="menu" />
          </button>
        </header>
        {missing ? (
          <div className="empty-state">
            <h2>Room not found</h2>
            <p>It may have been deleted, or it is private and you are not a member.</p>
            <button type="button" className="button" onClick={() => navigate('/')}>
              Go home
            </button>
          </div>
        ) : (
          <p className="muted center">Loading…</p>
        )}
      </div>
    );
  }

  const admin = isAdmin(me);
  const moderator = canModerate(sub, admin);
  const posting = canPost(room, sub, admin);
  const title = roomTitle(sub, room, me.username, users);
  const meRef = { _id: me._id, username: me.username };

  const join = async () => {
    setJoining(true);
    try {
      await roomsApi.join(rid);
      await chatStore.loadRoomsAndSubscriptions();
    } catch (e) {
      chatStore.toast({ text: errorMessage(e), kind: 'error' });
    } finally {
      setJoining(false);
    }
  };

  return (
    <div className={`room-view${tmid || panel || search.open ? ' with-panel' : ''}`} data-room-id={rid}>
      <div className="room-main">
        <FileDropZone rid={rid} label={`Drop files to upload to ${room.t === 'c' ? '#' : ''}${title}`} disabled={!posting.ok} />
        <RoomHeader room={room} sub={sub} me={me.username} panel={panel} setPanel={setPanel} onOpenSidebar={onOpenSidebar} />
        {room.announcement && (
          <div className="announcement" role="note">
            <Icon name="info" size={16} />
            <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(room.announcement, me.username) }} />
          </div>
        )}
        <MessageList
          rid={rid}
          me={meRef}
          canModerate={moderator}
          canInteract={posting.ok}
          dividerAfterSeq={dividerAfterSeq}
          focusMsgId={msgId}
          onOpenThread={(id) => navigate(roomPath(rid, { tmid: id }))}
          emptyState={
            <div className="room-intro">
              <div className="room-intro-icon">
                <Icon name={roomIcon(room.t)} size={28} />
              </div>
              <h2>{room.t === 'd' ? title : `Welcome to ${room.t === 'c' ? '#' : ''}${title}`}</h2>
              <p className="muted">
                {room.t === 'd'
                  ? `This is the beginning of your conversation with ${title}.`
                  : `This is the very beginning of ${room.t === 'c' ? 'the channel' : 'the private group'}${room.topic ? `: ${room.topic}` : '.'}`}
              </p>
            </div>
          }
        />
        <TypingIndicator rid={rid} />
        {!sub && room.t === 'c' && !room.archived ? (
          <div className="composer composer-disabled join-bar">
            <span>You are previewing #{title}.</span>
            <button type="button" className="button button-primary" disabled={joining} onClick={() => void join()}>
              {joining ? 'Joining…' : 'Join channel'}
            </button>
          </div>
        ) : (
          <Composer rid={rid} autoFocus placeholder={`Message ${room.t === 'd' ? title : `${room.t === 'c' ? '#' : ''}${title}`}`} disabledReason={posting.reason} />
        )}
      </div>
      {tmid ? (
        <ThreadPanel
          key={tmid}
          rid={rid}
          tmid={tmid}
          me={meRef}
          canModerate={moderator}
          disabledReason={posting.reason}
          onClose={() => navigate(roomPath(rid))}
          onJumpToParent={() => navigate(roomPath(rid, { tmid, msgId: tmid }))}
        />
      ) : panel === 'members' ? (
        <MembersPanel room={room} canManage={moderator} meId={me._id} onClose={() => setPanel(null)} />
      ) : panel === 'info' ? (
        <RoomInfoPanel room={room} sub={sub} canManage={moderator} me={me.username} onClose={() => setPanel(null)} />
      ) : panel === 'files' ? (
        <RoomFilesPanel rid={rid} onClose={() => setPanel(null)} />
      ) : search.open ? (
        <SearchPanel rid={rid} me={me.username} />
      ) : null}
    </div>
  );
}
