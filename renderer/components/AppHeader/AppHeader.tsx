import { useMemo } from 'react';
import { Header, HeaderGlobalBar, HeaderMenuItem, HeaderName, HeaderNavigation, OverflowMenu, OverflowMenuItem, SkipToContent } from '@carbon/react';
import type { User } from '../../../shared/api/auth.js';
import { paths, type Route } from '../../router/routes.js';
import { useLinkHandler, useRouter } from '../../router/router.js';
import { UserAvatar } from '../UserAvatar/index.js';
import './AppHeader.scss';

export interface AppHeaderProps {
  user: User;
  onSignOut(): void;
  /** The page shown, to mark its header link current. */
  current?: Route['page'];
}

function NavItem({ to, current, children }: { to: string; current: boolean; children: string }) {
  const onClick = useLinkHandler(to);
  return (
    <HeaderMenuItem href={to} onClick={onClick} isActive={current} aria-current={current ? 'page' : undefined}>
      {children}
    </HeaderMenuItem>
  );
}

/** The top bar: the app name (home), the time pages, and the user menu with the same pages, the admin pages and Sign out. */
export function AppHeader({ user, onSignOut, current }: AppHeaderProps) {
  const { navigate } = useRouter();
  const goHome = useLinkHandler(paths.dashboard);
  const admin = user.role === 'admin';
  const adminArea = admin || user.role === 'manager';
  const shownName = user.name || user.email;
  // A stable component type, so the menu button does not remount its icon on every render.
  const Avatar = useMemo(() => () => <UserAvatar name={shownName} />, [shownName]);

  return (
    <Header aria-label="TAB" className="tab-header">
      <SkipToContent href="#main-content">Skip to main content</SkipToContent>
      <HeaderName href={paths.dashboard} prefix="" onClick={goHome}>
        TAB
      </HeaderName>
      <HeaderNavigation aria-label="TAB">
        <NavItem to={paths.dashboard} current={current === 'dashboard'}>
          Dashboard
        </NavItem>
        <NavItem to={paths.entries} current={current === 'entries'}>
          Entries
        </NavItem>
        <NavItem to={paths.clients} current={current === 'clients'}>
          Clients
        </NavItem>
        {adminArea && (
          <NavItem to={paths.reports} current={current === 'reports'}>
            Reports
          </NavItem>
        )}
      </HeaderNavigation>
      <HeaderGlobalBar>
        <span className="tab-header__user" aria-hidden="true">
          {user.name}
        </span>
        <OverflowMenu
          className="tab-user-menu"
          menuOptionsClass="tab-user-menu__options"
          iconDescription={`User menu for ${user.name || user.email}`}
          aria-label="User menu"
          renderIcon={Avatar}
          flipped
          size="lg"
          align="bottom-right"
          data-testid="user-menu"
        >
          <OverflowMenuItem itemText="Dashboard" onClick={() => navigate(paths.dashboard)} />
          <OverflowMenuItem itemText="Time entries" onClick={() => navigate(paths.entries)} />
          <OverflowMenuItem itemText="Clients" onClick={() => navigate(paths.clients)} />
          {adminArea && <OverflowMenuItem itemText="Reports" onClick={() => navigate(paths.reports)} />}
          {adminArea && <OverflowMenuItem itemText="Members" onClick={() => navigate(paths.members)} />}
          {adminArea && <OverflowMenuItem itemText="Workspace security" onClick={() => navigate(paths.security)} />}
          {admin && <OverflowMenuItem itemText="Audit log" onClick={() => navigate(paths.audit)} />}
          <OverflowMenuItem itemText="Profile" hasDivider onClick={() => navigate(paths.profile)} />
          <OverflowMenuItem itemText="Sign out" onClick={onSignOut} />
        </OverflowMenu>
      </HeaderGlobalBar>
    </Header>
  );
}
