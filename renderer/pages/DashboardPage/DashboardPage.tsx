import { useSignedIn } from '../../auth/auth-context.js';
import { ActiveSessionsCard } from '../../components/ActiveSessionsCard/index.js';
import { DashboardTiles } from '../../components/DashboardTiles/index.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';

/** Figures at the top, then where you are signed in. Visible to every role. */
export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const { backend, user, sessionsVersion } = useSignedIn();
  const firstName = user.name.split(/\s+/)[0] || user.email;
  return (
    <>
      <h1 className="tab-page__title">Welcome, {firstName}</h1>
      <DashboardTiles request={backend.request} />
      <ActiveSessionsCard api={backend.api} refreshKey={sessionsVersion} />
    </>
  );
}
