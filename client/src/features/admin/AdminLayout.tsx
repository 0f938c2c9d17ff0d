import type { ComponentType } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { Icon, type IconName } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { linkProps } from '../../lib/router';
import { isAdmin } from '../auth/session';
import { AdminCloud } from './AdminCloud';
import { AdminInfo } from './AdminInfo';
import { AdminOutboundLog } from './AdminOutboundLog';
import { AdminOverview } from './AdminOverview';
import { AdminRooms } from './AdminRooms';
import { AdminSettings } from './AdminSettings';
import { AdminStatistics } from './AdminStatistics';
import { AdminUsers } from './AdminUsers';
import { IntegrationsPage } from './IntegrationsPage';

/** The admin section's pages. Each admin feature adds its entry here. */
export const ADMIN_PAGES: { id: string; label: string; icon: IconName; component: ComponentType }[] = [
  { id: 'overview', label: 'Overview', icon: 'grid', component: AdminOverview },
  { id: 'settings', label: 'Settings', icon: 'settings', component: AdminSettings },
  { id: 'users', label: 'Users', icon: 'users', component: AdminUsers },
  { id: 'rooms', label: 'Rooms', icon: 'hash', component: AdminRooms },
  { id: 'integrations', label: 'Integrations', icon: 'link', component: IntegrationsPage },
  { id: 'info', label: 'Workspace info', icon: 'grid', component: AdminInfo },
  { id: 'statistics', label: 'Statistics', icon: 'shield', component: AdminStatistics },
  { id: 'cloud', label: 'Cloud registration', icon: 'link', component: AdminCloud },
  { id: 'outbound', label: 'Outbound data log', icon: 'shield', component: AdminOutboundLog },
];

export function AdminLayout({ me, page, onOpenSidebar }: { me: UserDto; page: string; onOpenSidebar: () => void }) {
  if (!isAdmin(me)) {
    return (
      <div className="page">
        <PageHeader title="Administration" icon="shield" onOpenSidebar={onOpenSidebar} />
        <div className="empty-state">
          <h2>Administrators only</h2>
          <p>You need the admin role to see this section.</p>
        </div>
      </div>
    );
  }
  const current = ADMIN_PAGES.find((p) => p.id === page);
  const Page = current?.component;
  return (
    <div className="page">
      <PageHeader title="Administration" icon="shield" onOpenSidebar={onOpenSidebar} />
      <div className="page-with-nav">
        <nav className="sub-nav" aria-label="Administration sections">
          {ADMIN_PAGES.map((p) => (
            <a key={p.id} {...linkProps(`/admin/${p.id}`)} className={p.id === page ? 'active' : undefined} aria-current={p.id === page ? 'page' : undefined}>
              <Icon name={p.icon} size={16} /> {p.label}
            </a>
          ))}
        </nav>
        <div className="page-body">
          {Page ? (
            <Page />
          ) : (
            <div className="empty-state">
              <h2>Page not found</h2>
              <p>There is no admin page called “{page}”.</p>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
