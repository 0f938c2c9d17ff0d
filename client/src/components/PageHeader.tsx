import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** The top bar of a full page (directory, account, admin), with the phone-width menu button. */
export function PageHeader({ title, icon, onOpenSidebar, children }: { title: string; icon: IconName; onOpenSidebar: () => void; children?: ReactNode }) {
  return (
    <header className="page-header">
      <button type="button" className="icon-button sidebar-open" aria-label="Open the room list" onClick={onOpenSidebar}>
        <Icon name="menu" />
      </button>
      <Icon name={icon} className="page-header-icon" />
      <h1>{title}</h1>
      <div className="page-header-actions">{children}</div>
    </header>
  );
}
