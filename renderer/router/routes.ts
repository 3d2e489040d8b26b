/** Every page of the renderer, parsed from a path. */
export type Route =
  | { page: 'dashboard' }
  | { page: 'members' }
  | { page: 'member'; userId: string }
  | { page: 'security' }
  | { page: 'audit' }
  | { page: 'entries' }
  | { page: 'clients' }
  | { page: 'reports' }
  | { page: 'profile' }
  | { page: 'not-found' };

export const paths = {
  dashboard: '/',
  members: '/admin/members',
  member: (userId: string) => `/admin/members/${encodeURIComponent(userId)}`,
  security: '/admin/security',
  audit: '/admin/audit',
  entries: '/entries',
  clients: '/clients',
  reports: '/reports',
  profile: '/profile',
};

export function parseRoute(path: string): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === '/' || clean === '' || clean === '/index.html') return { page: 'dashboard' };
  if (clean === paths.members) return { page: 'members' };
  if (clean === paths.security) return { page: 'security' };
  if (clean === paths.audit) return { page: 'audit' };
  if (clean === paths.entries) return { page: 'entries' };
  if (clean === paths.clients) return { page: 'clients' };
  if (clean === paths.reports) return { page: 'reports' };
  if (clean === paths.profile) return { page: 'profile' };
  const member = /^\/admin\/members\/([^/]+)$/.exec(clean);
  if (member?.[1]) {
    try {
      return { page: 'member', userId: decodeURIComponent(member[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export const isAdminRoute = (route: Route) => route.page === 'members' || route.page === 'member' || route.page === 'security' || route.page === 'audit';

export const isTimeRoute = (route: Route): route is { page: 'entries' | 'clients' | 'reports' } =>
  route.page === 'entries' || route.page === 'clients' || route.page === 'reports';
