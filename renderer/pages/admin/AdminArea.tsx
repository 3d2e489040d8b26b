import type { Route } from '../../router/routes.js';
import { useSignedIn } from '../../auth/auth-context.js';
import { NotFoundPage } from '../NotFoundPage/index.js';
import { AuditLogPage } from './AuditLogPage/index.js';
import { MemberSessionsPage } from './MemberSessionsPage/index.js';
import { MembersPage } from './MembersPage/index.js';
import { WorkspaceSecurityPage } from './WorkspaceSecurityPage/index.js';

/** The admin pages, loaded as one lazy chunk. Role checks mirror the server's (which has the last word). */
export default function AdminArea({ route }: { route: Route }) {
  const { user } = useSignedIn();
  switch (route.page) {
    case 'members':
      return <MembersPage />;
    case 'member':
      return <MemberSessionsPage key={route.userId} userId={route.userId} />;
    case 'security':
      return <WorkspaceSecurityPage />;
    case 'audit':
      return user.role === 'admin' ? <AuditLogPage /> : <NotFoundPage reason="forbidden" />;
    default:
      return <NotFoundPage />;
  }
}
