import { useSignedIn } from '../../auth/auth-context.js';
import { ActiveSessionsCard } from '../../components/ActiveSessionsCard/index.js';
import { DashboardTiles } from '../../components/DashboardTiles/index.js';
import { TimerBar } from '../../components/TimerBar/index.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { paths } from '../../router/routes.js';
import { useRouter } from '../../router/router.js';
import { useBillingRefs, useClients, useDashboard } from '../../time/useTimeData.js';

/** The timer, the figures, then where you are signed in. Visible to every role. */
export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const { backend, user, sessionsVersion, timeChanged } = useSignedIn();
  const { dashboard, running } = useDashboard();
  const clients = useClients();
  const refs = useBillingRefs();
  const { navigate } = useRouter();
  const firstName = user.name.split(/\s+/)[0] || user.email;
  return (
    <>
      <h1 className="tab-page__title">Welcome, {firstName}</h1>
      <TimerBar writes={backend} clients={clients.list} running={running} onChanged={timeChanged} matters={refs.matters} activities={refs.activities} />
      <DashboardTiles dashboard={dashboard.data} error={dashboard.error} running={running} clientName={clients.nameOf} />
      <ActiveSessionsCard api={backend.api} refreshKey={sessionsVersion} onOpenProfile={() => navigate(paths.profile)} />
    </>
  );
}
