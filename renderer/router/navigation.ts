import type { User } from '../../shared/api/auth.js';
import { isSecurityRoute, isTeamRoute, paths, type Route } from './routes.js';

export interface NavLinkItem {
  id: string;
  label: string;
  to: string;
  /** Whether the page shown belongs to this link (marks it current). */
  matches(route: Route): boolean;
}

/** A top-level entry; a section (Team, Security) has pages of its own, shown as tabs and in the small-screen menu. */
export interface NavEntry extends NavLinkItem {
  children?: NavLinkItem[];
}

const page =
  (...pages: Route['page'][]) =>
  (route: Route) =>
    pages.includes(route.page);

/**
 * The app's navigation, by role: the top bar (and, on small screens, the side
 * menu) shows these entries; a section's entry opens its first page, so a
 * member's devices are two clicks from the top bar (Team, then the member).
 * The server checks every role again; this only decides what is offered.
 *
 * Adding a page to a section is one line in its `children` (Team's Timesheets
 * goes after Members).
 */
export function mainNavigation(user: Pick<User, 'role'>): NavEntry[] {
  const overseer = user.role === 'admin' || user.role === 'manager';
  const entries: NavEntry[] = [
    { id: 'dashboard', label: 'Dashboard', to: paths.dashboard, matches: page('dashboard') },
    { id: 'entries', label: 'Entries', to: paths.entries, matches: page('entries') },
    // "My week", not "Timesheet": Team › Timesheets (everyone's weeks) is a different page.
    { id: 'my-week', label: 'My week', to: paths['my-week'], matches: page('my-week') },
    { id: 'clients', label: 'Clients', to: paths.clients, matches: page('clients') },
  ];
  if (overseer) {
    entries.push({ id: 'reports', label: 'Reports', to: paths.reports, matches: page('reports') });
    // Billing is managers' and admins' work: invoices, work in progress, and each client's set-up (matters, rates, rounding).
    entries.push({
      id: 'billing',
      label: 'Billing',
      to: paths.invoices,
      matches: page('invoices', 'wip', 'billing-setup'),
      children: [
        { id: 'invoices', label: 'Invoices', to: paths.invoices, matches: page('invoices') },
        { id: 'wip', label: 'Work in progress', to: paths.wip, matches: page('wip') },
        { id: 'billing-setup', label: 'Set-up', to: paths.billingSetup(), matches: page('billing-setup') },
      ],
    });
    entries.push({
      id: 'team',
      label: 'Team',
      to: paths.members,
      matches: isTeamRoute,
      children: [
        { id: 'members', label: 'Members', to: paths.members, matches: page('members', 'member') },
        { id: 'timesheets', label: 'Timesheets', to: paths.timesheets, matches: page('timesheets') },
      ],
    });
  }
  if (user.role === 'admin') {
    entries.push({
      id: 'security',
      label: 'Security',
      to: paths.security,
      matches: isSecurityRoute,
      children: [
        { id: 'session-policy', label: 'Session policy', to: paths.security, matches: page('security') },
        { id: 'audit-log', label: 'Audit log', to: paths.audit, matches: page('audit') },
      ],
    });
    entries.push({
      id: 'settings',
      label: 'Settings',
      to: paths.settings,
      matches: page('settings'),
      children: [{ id: 'workspace', label: 'Workspace', to: paths.settings, matches: page('settings') }],
    });
  }
  return entries;
}

/** The section a page belongs to (its tabs), or null for a page of its own. */
export function sectionOf(user: Pick<User, 'role'>, route: Route): NavEntry | null {
  return mainNavigation(user).find((entry) => entry.children && entry.matches(route)) ?? null;
}
