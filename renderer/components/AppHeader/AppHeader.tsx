import { useMemo, useState, type MouseEvent } from 'react';
import {
  Header,
  HeaderGlobalBar,
  HeaderMenuButton,
  HeaderMenuItem,
  HeaderName,
  HeaderNavigation,
  OverflowMenu,
  OverflowMenuItem,
  SideNav,
  SideNavItems,
  SideNavLink,
  SideNavMenu,
  SideNavMenuItem,
  SkipToContent,
} from '@carbon/react';
import type { User } from '../../../shared/api/auth.js';
import { mainNavigation } from '../../router/navigation.js';
import { paths, type Route } from '../../router/routes.js';
import { useRouter } from '../../router/router.js';
import { UserAvatar } from '../UserAvatar/index.js';
import './AppHeader.scss';

export interface AppHeaderProps {
  user: User;
  onSignOut(): void;
  /** More user-menu items before Sign out (the desktop's settings and Profile link). */
  extraItems?: ReadonlyArray<{ label: string; onClick(): void }>;
  /** The page shown, to mark its links current. */
  route: Route;
}

const current = (active: boolean) => (active ? ('page' as const) : undefined);

/**
 * The top bar: the app name (home), the pages this person's role has (Team and
 * Security open their first page; their other pages are tabs there), and the
 * avatar menu with Profile and Sign out. Below Carbon's `lg` breakpoint the
 * links move into a side menu behind the menu button, so every page stays
 * reachable on a phone.
 */
export function AppHeader({ user, onSignOut, route, extraItems = [] }: AppHeaderProps) {
  const { navigate } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const entries = mainNavigation(user);
  const shownName = user.name || user.email;
  // A stable component type, so the menu button does not remount its icon on every render.
  const Avatar = useMemo(() => () => <UserAvatar name={shownName} />, [shownName]);

  /** Plain left clicks route in the app (and close the side menu); modified clicks keep the browser's behaviour. */
  const follow = (to: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setMenuOpen(false);
    navigate(to);
  };

  return (
    <Header aria-label="TAB" className="tab-header">
      <SkipToContent href="#main-content">Skip to main content</SkipToContent>
      <HeaderMenuButton
        aria-label={menuOpen ? 'Close menu' : 'Open menu'}
        aria-expanded={menuOpen}
        aria-controls="tab-side-nav"
        isActive={menuOpen}
        onClick={() => setMenuOpen((open) => !open)}
      />
      <HeaderName href={paths.dashboard} prefix="" onClick={follow(paths.dashboard)}>
        TAB
      </HeaderName>
      <HeaderNavigation aria-label="TAB">
        {entries.map((entry) => (
          <HeaderMenuItem key={entry.id} href={entry.to} onClick={follow(entry.to)} isActive={entry.matches(route)} aria-current={current(entry.matches(route))}>
            {entry.label}
          </HeaderMenuItem>
        ))}
      </HeaderNavigation>
      <HeaderGlobalBar>
        <span className="tab-header__user" aria-hidden="true">
          {user.name}
        </span>
        <OverflowMenu
          className="tab-user-menu"
          menuOptionsClass="tab-user-menu__options"
          iconDescription={`User menu for ${shownName}`}
          aria-label="User menu"
          renderIcon={Avatar}
          flipped
          size="lg"
          align="bottom-right"
          data-testid="user-menu"
        >
          <OverflowMenuItem itemText="Profile" onClick={() => navigate(paths.profile)} />
          {extraItems.map((item) => (
            <OverflowMenuItem key={item.label} itemText={item.label} onClick={item.onClick} />
          ))}
          <OverflowMenuItem itemText="Sign out" hasDivider onClick={onSignOut} />
        </OverflowMenu>
      </HeaderGlobalBar>
      <SideNav
        id="tab-side-nav"
        aria-label="Menu"
        expanded={menuOpen}
        isPersistent={false}
        onOverlayClick={() => setMenuOpen(false)}
        onSideNavBlur={() => setMenuOpen(false)}
        className="tab-side-nav"
      >
        <SideNavItems>
          {entries.map((entry) =>
            entry.children ? (
              <SideNavMenu key={entry.id} title={entry.label} isActive={entry.matches(route)} defaultExpanded>
                {entry.children.map((child) => (
                  <SideNavMenuItem key={child.id} href={child.to} onClick={follow(child.to)} isActive={child.matches(route)} aria-current={current(child.matches(route))}>
                    {child.label}
                  </SideNavMenuItem>
                ))}
              </SideNavMenu>
            ) : (
              <SideNavLink key={entry.id} href={entry.to} onClick={follow(entry.to)} isActive={entry.matches(route)} aria-current={current(entry.matches(route))}>
                {entry.label}
              </SideNavLink>
            ),
          )}
        </SideNavItems>
      </SideNav>
    </Header>
  );
}
