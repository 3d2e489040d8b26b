import { parseCivil } from '../../shared/time/periods.js';

/** Every page of the renderer, parsed from a path. */
export type Route =
  | { page: 'dashboard' }
  | { page: 'entries' }
  /** The signed-in person's own week grid ("My week"; Team › Timesheets is everyone's). */
  | { page: 'my-week' }
  | { page: 'clients' }
  | { page: 'reports' }
  | { page: 'invoices' }
  | { page: 'wip' }
  /** Billing › Set-up for one client (null: the first client). */
  | { page: 'billing-setup'; clientId: string | null }
  | { page: 'profile' }
  /** An invitation or password-reset link (public; the secret is after `#`). */
  | { page: 'link' }
  | { page: 'settings' }
  | { page: 'members' }
  | { page: 'member'; userId: string }
  /**
   * Team › Timesheets: one member's week. Null parts are chosen by the page
   * (the oldest week waiting for approval, else the first other member and this
   * week) and then written into the address, so any week can be linked to.
   */
  | { page: 'timesheets'; memberId: string | null; monday: string | null }
  | { page: 'security' }
  | { page: 'audit' }
  | { page: 'not-found' };

export const paths = {
  dashboard: '/',
  entries: '/entries',
  'my-week': '/my-week',
  clients: '/clients',
  reports: '/reports',
  invoices: '/invoices',
  wip: '/wip',
  billingSetup: (clientId?: string | null) => (clientId ? `/billing/setup/${encodeURIComponent(clientId)}` : '/billing/setup'),
  profile: '/profile',
  link: '/link',
  settings: '/settings/workspace',
  members: '/team/members',
  member: (userId: string) => `/team/members/${encodeURIComponent(userId)}`,
  timesheets: '/team/timesheets',
  /** A member's timesheet; without a week the page picks one (their oldest waiting week, else this week). */
  timesheetWeek: (memberId: string, monday?: string | null) =>
    `/team/timesheets/${encodeURIComponent(memberId)}${monday ? `/${monday}` : ''}`,
  security: '/security/session-policy',
  audit: '/security/audit-log',
};

/** Where each page lives: a section's bare path and the admin area's old paths lead to the same pages. */
const FIXED: Record<string, Route> = {
  '/': { page: 'dashboard' },
  '/index.html': { page: 'dashboard' },
  [paths.entries]: { page: 'entries' },
  [paths['my-week']]: { page: 'my-week' },
  // The page was called "Timesheet" until it was renamed, to tell it from Team › Timesheets.
  '/timesheet': { page: 'my-week' },
  [paths.clients]: { page: 'clients' },
  [paths.reports]: { page: 'reports' },
  [paths.invoices]: { page: 'invoices' },
  [paths.wip]: { page: 'wip' },
  [paths.billingSetup()]: { page: 'billing-setup', clientId: null },
  // Billing's first page is the invoices.
  '/billing': { page: 'invoices' },
  [paths.profile]: { page: 'profile' },
  [paths.link]: { page: 'link' },
  [paths.settings]: { page: 'settings' },
  '/settings': { page: 'settings' },
  [paths.members]: { page: 'members' },
  '/team': { page: 'members' },
  '/admin/members': { page: 'members' },
  [paths.timesheets]: { page: 'timesheets', memberId: null, monday: null },
  [paths.security]: { page: 'security' },
  '/security': { page: 'security' },
  '/admin/security': { page: 'security' },
  [paths.audit]: { page: 'audit' },
  '/admin/audit': { page: 'audit' },
};

export function parseRoute(path: string): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const fixed = FIXED[clean === '' ? '/' : clean];
  if (fixed) return fixed;
  const setup = /^\/billing\/setup\/([^/]+)$/.exec(clean);
  if (setup?.[1]) {
    try {
      return { page: 'billing-setup', clientId: decodeURIComponent(setup[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  const sheet = /^\/team\/timesheets\/([^/]+)(?:\/([^/]+))?$/.exec(clean);
  if (sheet?.[1]) {
    const monday = sheet[2] ?? null;
    // A week is a real `YYYY-MM-DD` day (the page moves any day to its Monday); anything else is no page.
    if (monday !== null && parseCivil(monday) === null) return { page: 'not-found' };
    try {
      return { page: 'timesheets', memberId: decodeURIComponent(sheet[1]), monday };
    } catch {
      return { page: 'not-found' };
    }
  }
  const member = /^\/(?:team|admin)\/members\/([^/]+)$/.exec(clean);
  if (member?.[1]) {
    try {
      return { page: 'member', userId: decodeURIComponent(member[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

/** The one address of a page (old and short addresses are replaced by it in the address bar). */
export function pathOf(route: Route): string | null {
  switch (route.page) {
    case 'member':
      return paths.member(route.userId);
    case 'billing-setup':
      return paths.billingSetup(route.clientId);
    case 'timesheets':
      return route.memberId === null ? paths.timesheets : paths.timesheetWeek(route.memberId, route.monday);
    case 'not-found':
      return null;
    default:
      return paths[route.page];
  }
}

export type TeamRoute = Extract<Route, { page: 'members' | 'member' | 'timesheets' }>;
export type SecurityRoute = Extract<Route, { page: 'security' | 'audit' }>;
export type SettingsRoute = Extract<Route, { page: 'settings' }>;
export type TimeRoute = Extract<Route, { page: 'entries' | 'my-week' | 'clients' | 'reports' | 'invoices' | 'wip' | 'billing-setup' }>;

export const isTeamRoute = (route: Route): route is TeamRoute => route.page === 'members' || route.page === 'member' || route.page === 'timesheets';
export const isSecurityRoute = (route: Route): route is SecurityRoute => route.page === 'security' || route.page === 'audit';
const TIME_PAGES: ReadonlySet<Route['page']> = new Set(['entries', 'my-week', 'clients', 'reports', 'invoices', 'wip', 'billing-setup']);
export const isTimeRoute = (route: Route): route is TimeRoute => TIME_PAGES.has(route.page);
