import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { InlineLoading } from '@carbon/react';
import type { User } from '../../shared/api/auth.js';
import type { Backend } from '../backend/backend.js';
import type { SyncStatus } from '../../shared/ipc/contract.js';
import { SignedInContext, canSeeAdmin, type SignedInValue } from '../auth/auth-context.js';
import { AppHeader } from '../components/AppHeader/index.js';
import { ConnectionNotices } from '../components/ConnectionNotices/index.js';
import { SyncNotices } from '../components/SyncNotices/index.js';
import { DashboardPage } from '../pages/DashboardPage/index.js';
import { NotFoundPage } from '../pages/NotFoundPage/index.js';
import { ProfilePage } from '../pages/ProfilePage/index.js';
import { isAdminRoute, isTimeRoute, parseRoute } from '../router/routes.js';
import { useRouter } from '../router/router.js';

// The admin pages are a separate chunk: most people (accountants) never load them.
const AdminArea = lazy(() => import('../pages/admin/AdminArea.js'));
// Entries, clients and reports: another chunk, so the dashboard stays small.
const TimeArea = lazy(() => import('../pages/time/TimeArea.js'));

export interface SignedInAppProps {
  backend: Backend;
  user: User;
  onSignOut(): void;
}

export function SignedInApp({ backend, user, onSignOut }: SignedInAppProps) {
  const { path } = useRouter();
  const route = parseRoute(path);
  const [sessionsVersion, setSessionsVersion] = useState(0);

  useEffect(
    () =>
      backend.subscribeEvents((event) => {
        if (event.type === 'sessions.changed') setSessionsVersion((v) => v + 1);
      }),
    [backend],
  );

  const [timeVersion, setTimeVersion] = useState(0);
  const timeChanged = useCallback(() => setTimeVersion((v) => v + 1), []);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  useEffect(
    () =>
      backend.onSyncStatus?.((status) => {
        setSync(status);
        // Something was queued, synced or refused: what the server shows may have changed.
        setTimeVersion((v) => v + 1);
      }),
    [backend],
  );

  const value = useMemo<SignedInValue>(
    () => ({ backend, user, signOut: onSignOut, sessionsVersion, timeVersion, timeChanged, sync }),
    [backend, user, onSignOut, sessionsVersion, timeVersion, timeChanged, sync],
  );

  let page;
  if (route.page === 'dashboard') page = <DashboardPage />;
  else if (route.page === 'profile') page = <ProfilePage />;
  else if (isAdminRoute(route)) {
    page = canSeeAdmin(user) ? (
      <Suspense fallback={<InlineLoading description="Loading…" />}>
        <AdminArea route={route} />
      </Suspense>
    ) : (
      <NotFoundPage reason="forbidden" />
    );
  } else if (isTimeRoute(route)) {
    page = (
      <Suspense fallback={<InlineLoading description="Loading…" />}>
        <TimeArea route={route} />
      </Suspense>
    );
  } else page = <NotFoundPage />;

  return (
    <SignedInContext.Provider value={value}>
      <AppHeader user={user} onSignOut={onSignOut} current={route.page} />
      <main id="main-content" className="tab-page" tabIndex={-1}>
        <ConnectionNotices backend={backend} />
        {sync && <SyncNotices />}
        {page}
      </main>
    </SignedInContext.Provider>
  );
}
