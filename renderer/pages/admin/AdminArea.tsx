import { isSecurityRoute, type SecurityRoute, type SettingsRoute, type TeamRoute } from '../../router/routes.js';
import { AuditLogPage } from './AuditLogPage/index.js';
import { MemberSessionsPage } from './MemberSessionsPage/index.js';
import { MembersPage } from './MembersPage/index.js';
import { TimesheetsPage } from './TimesheetsPage/index.js';
import { WorkspaceSecurityPage } from './WorkspaceSecurityPage/index.js';
import { WorkspaceSettingsPage } from './WorkspaceSettingsPage/index.js';

/**
 * The Team, Security and Settings pages, loaded as one lazy chunk (most people never
 * open them). SignedInApp has checked the role already; the server checks it
 * again on every call.
 */
export default function AdminArea({ route }: { route: TeamRoute | SecurityRoute | SettingsRoute }) {
  if (route.page === 'settings') return <WorkspaceSettingsPage />;
  if (isSecurityRoute(route)) return route.page === 'audit' ? <AuditLogPage /> : <WorkspaceSecurityPage />;
  if (route.page === 'timesheets') return <TimesheetsPage memberId={route.memberId} monday={route.monday} />;
  return route.page === 'member' ? <MemberSessionsPage key={route.userId} userId={route.userId} /> : <MembersPage />;
}
