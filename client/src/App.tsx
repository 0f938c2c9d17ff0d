import { lazy, Suspense, useEffect, useState } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Icon } from './components/Icon';
import { Toasts } from './components/Toasts';
import { PageHeader } from './components/PageHeader';
import { AdminLayout } from './features/admin/AdminLayout';
import { LoginPage, SignupPage } from './features/auth/AuthPages';
import { bootstrapSession, useSession } from './features/auth/session';
import { DirectoryPage } from './features/directory/DirectoryPage';
import { MeetingHistoryPage } from './features/meetings/MeetingHistoryPage';
import { AccountPage } from './features/profile/AccountPage';
import { CreateRoomDialog } from './features/rooms/CreateRoomDialog';
import { RoomView } from './features/rooms/RoomView';
import { Sidebar } from './features/rooms/Sidebar';
import { StartDirectDialog } from './features/rooms/StartDirectDialog';
import { navigate, roomPath, useRoute, type Route } from './lib/router';
import { storage } from './lib/storage';
import { realtime } from './realtime';
import { chatStore, useChat } from './state/chatStore';

const LAST_ROOM_KEY = 'obmeet.lastRoom';
// the meeting page (WebRTC, recording) loads only when a meeting is opened
const MeetingPage = lazy(() => import('./features/meetings/MeetingPage').then((m) => ({ default: m.MeetingPage })));

export function App() {
  const session = useSession();
  const route = useRoute();

  useEffect(() => {
    void bootstrapSession();
  }, []);

  // signed-in people have no business on the login pages, and vice versa
  useEffect(() => {
    if (session.status === 'authenticated' && (route.name === 'login' || route.name === 'signup')) navigate('/', { replace: true });
  }, [session.status, route.name]);

  if (session.status === 'loading') {
    return (
      <div className="splash" aria-busy="true">
        <img src="/favicon.svg" alt="" width={48} height={48} />
        <span>Loading OBMeet…</span>
      </div>
    );
  }
  // a meeting is full screen, and open to guests with the link (they wait in the lobby)
  if (route.name === 'meet') {
    return (
      <Suspense fallback={<div className="splash">Opening the meeting…</div>}>
        <MeetingPage key={route.id} idOrToken={route.id} me={session.status === 'authenticated' ? session.me : null} />
      </Suspense>
    );
  }
  if (session.status === 'anonymous') {
    const firstRun = session.info ? !session.info.setupDone : false;
    if (route.name === 'signup' || firstRun) return <SignupPage invite={route.name === 'signup' ? route.invite : undefined} />;
    return <LoginPage />;
  }
  return <Workspace me={session.me} route={route} />;
}

function Workspace({ me, route }: { me: UserDto; route: Route }) {
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [dialog, setDialog] = useState<'createRoom' | 'startDirect' | null>(null);
  const subs = useChat((s) => s.subs);
  const roomsLoaded = useChat((s) => s.roomsLoaded);

  useEffect(() => {
    chatStore.onActiveRoomRemoved = () => navigate('/', { replace: true });
  }, []);

  useEffect(() => {
    if (route.name === 'room') storage.set(LAST_ROOM_KEY, route.rid);
  }, [route]);

  // unread rooms in the tab title, so a background tab still tells you
  useEffect(() => {
    const unreadRooms = Object.values(subs).filter((s) => s.unread > 0).length;
    document.title = unreadRooms > 0 ? `(${unreadRooms}) OBMeet` : 'OBMeet';
  }, [subs]);

  // presence: away when the tab has been hidden for a while
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onVisibility = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'hidden') timer = setTimeout(() => realtime.setPresence('away'), 5 * 60_000);
      else realtime.setPresence('online');
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  const openSidebar = () => setSidebarOpen(true);
  const closeSidebar = () => setSidebarOpen(false);

  let content: React.ReactNode;
  if (!roomsLoaded && (route.name === 'room' || route.name === 'home')) {
    content = <div className="splash splash-inline">Loading…</div>;
  } else if (route.name === 'room') {
    content = <RoomView key={route.rid} rid={route.rid} tmid={route.tmid} msgId={route.msgId} onOpenSidebar={openSidebar} />;
  } else if (route.name === 'directory') {
    content = <DirectoryPage onOpenSidebar={openSidebar} />;
  } else if (route.name === 'account') {
    content = <AccountPage me={me} tab={route.tab} onOpenSidebar={openSidebar} />;
  } else if (route.name === 'meetings') {
    content = <MeetingHistoryPage key={route.rid ?? 'mine'} rid={route.rid} me={me} onOpenSidebar={openSidebar} />;
  } else if (route.name === 'admin') {
    content = <AdminLayout me={me} page={route.page} onOpenSidebar={openSidebar} />;
  } else if (route.name === 'home') {
    content = <Home onOpenSidebar={openSidebar} onCreateRoom={() => setDialog('createRoom')} />;
  } else {
    content = (
      <div className="page">
        <PageHeader title="Not found" icon="alert" onOpenSidebar={openSidebar} />
        <div className="empty-state">
          <h2>This page does not exist</h2>
          <button type="button" className="button" onClick={() => navigate('/')}>
            Go home
          </button>
        </div>
      </div>
    );
  }

  return (
    <div
      className={`workspace${sidebarOpen ? ' sidebar-is-open' : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && sidebarOpen) closeSidebar();
      }}
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="sidebar-container">
        <Sidebar onCreateRoom={() => setDialog('createRoom')} onStartDirect={() => setDialog('startDirect')} onNavigate={closeSidebar} />
      </div>
      {sidebarOpen && <div className="sidebar-backdrop" onClick={closeSidebar} aria-hidden="true" />}
      <main id="main" className="workspace-main">
        <ConnectionBanner />
        {content}
      </main>
      {dialog === 'createRoom' && <CreateRoomDialog me={me.username} onClose={() => setDialog(null)} />}
      {dialog === 'startDirect' && <StartDirectDialog me={me.username} onClose={() => setDialog(null)} />}
      <Toasts />
    </div>
  );
}

/** The room to open on arrival: the last one visited, else a channel, else any room. */
function arrivalRoom(subs: Record<string, { rid: string; t: string }>): string | undefined {
  const last = storage.get(LAST_ROOM_KEY);
  if (last && subs[last]) return last;
  return Object.values(subs).find((s) => s.t === 'c')?.rid ?? Object.keys(subs)[0];
}

function Home({ onOpenSidebar, onCreateRoom }: { onOpenSidebar: () => void; onCreateRoom: () => void }) {
  // decided once on arrival: a room that appears later (an invitation) must not pull you away
  const [target] = useState(() => arrivalRoom(chatStore.state.subs));
  useEffect(() => {
    if (target) navigate(roomPath(target), { replace: true });
  }, [target]);
  if (target) return null;

  return (
    <div className="page">
      <PageHeader title="Welcome" icon="message" onOpenSidebar={onOpenSidebar} />
      <div className="welcome">
        <h2>You are not in any room yet</h2>
        <p className="muted">Start a channel for your team, or browse the channels that already exist.</p>
        <div className="welcome-actions">
          <button type="button" className="button button-primary" onClick={onCreateRoom}>
            <Icon name="plus" size={16} /> Create a channel
          </button>
          <button type="button" className="button" onClick={() => navigate('/directory')}>
            <Icon name="compass" size={16} /> Browse channels
          </button>
        </div>
      </div>
    </div>
  );
}
