/** Every page of the renderer, parsed from a path. */
export type Route =
  | { page: 'dashboard' }
  | { page: 'members' }
  | { page: 'member'; userId: string }
  | { page: 'security' }
  | { page: 'audit' }
  | { page: 'not-found' };

export const paths = {
  dashboard: '/',
  members: '/admin/members',
  member: (userId: string) => `/admin/members/${encodeURIComponent(userId)}`,
  security: '/admin/security',
  audit: '/admin/audit',
};

export function parseRoute(path: string): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === '/' || clean === '' || clean === '/index.html') return { page: 'dashboard' };
  if (clean === paths.members) return { page: 'members' };
  if (clean === paths.security) return { page: 'security' };
  if (clean === paths.audit) return { page: 'audit' };
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
