import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { InlineLoading } from '@carbon/react';
import type { User } from '../../shared/api/auth.js';
import type { Backend } from '../backend/backend.js';
import type { SyncStatus } from '../../shared/ipc/contract.js';
import { SignedInContext, canSeeAdmin, isAdmin, type SignedInValue } from '../auth/auth-context.js';
import { AppHeader } from '../components/AppHeader/index.js';
import { ConnectionNotices } from '../components/ConnectionNotices/index.js';
import { SyncNotices } from '../components/SyncNotices/index.js';
import { DesktopShell } from '../components/DesktopShell/index.js';
import { SignInAlerts } from '../components/SignInAlerts/index.js';
import { DashboardPage } from '../pages/DashboardPage/index.js';
import { NotFoundPage } from '../pages/NotFoundPage/index.js';
import { isSecurityRoute, isTeamRoute, isTimeRoute, parseRoute, pathOf } from '../router/routes.js';
import { useRouter } from '../router/router.js';
import { browserTimeZone, createDisplay } from '../time/display.js';
import { DisplayContext } from '../time/display-context.js';
import { useKeyboardScrollableTables } from '../hooks/useKeyboardScrollableTables.js';
import { useLiveEvents } from './useLiveEvents.js';

// Team and Security are a separate chunk: most people (accountants) never load them.
const AdminArea = lazy(() => import('../pages/admin/AdminArea.js'));
// Entries, clients and reports: another chunk, so the dashboard stays small.
const TimeArea = lazy(() => import('../pages/time/TimeArea.js'));
const ProfilePage = lazy(() => import('../pages/ProfilePage/index.js'));

export interface SignedInAppProps {
  backend: Backend;
  user: User;
  onSignOut(): void;
}

const loading = <InlineLoading description="Loading…" />;

/**
 * The profile: the sign-in answer has no time zone or formats (only /me has
 * them), and every date on screen needs them, so pages wait for it; it is
 * read again whenever the server says the account changed (a new role, a
 * profile edited on another device). Unreachable (a desktop offline) falls
 * back to the computer's zone rather than keeping the app shut.
 */
function useProfile(backend: Backend, signedIn: User, accountVersion: number): [User | null, (user: User) => void] {
  const [user, setUser] = useState<User | null>(signedIn.timeZone && signedIn.clock ? signedIn : null);
  const known = accountVersion === 0 && signedIn.timeZone !== undefined && signedIn.clock !== undefined;
  useEffect(() => {
    if (known) return;
    let live = true;
    backend.api.me().then(
      (me) => live && setUser(me.user),
      () => live && setUser((prev) => prev ?? { ...signedIn, timeZone: signedIn.timeZone ?? browserTimeZone() }),
    );
    return () => {
      live = false;
    };
  }, [backend, signedIn, known, accountVersion]);
  return [user, setUser];
}

export function SignedInApp({ backend, user: signedIn, onSignOut }: SignedInAppProps) {
  const { path, navigate } = useRouter();
  const route = parseRoute(path);
  const { sessionsVersion, timeVersion, timeChanged, accountVersion } = useLiveEvents(backend);
  const [profile, updateUser] = useProfile(backend, signedIn, accountVersion);
  const user = profile ?? signedIn;
  const [sync, setSync] = useState<SyncStatus | null>(null);
  useEffect(
    () =>
      backend.onSyncStatus?.((status) => {
        setSync(status);
        // Something was queued, synced or refused: what the server shows may have changed.
        timeChanged();
      }),
    [backend, timeChanged],
  );

  // Desktop only: its settings (from the native menu or the user menu) and the browser's Profile page.
  const [desktopSettingsOpen, setDesktopSettingsOpen] = useState(false);
  useEffect(() => backend.onMenuCommand?.((command) => command === 'open-desktop-settings' && setDesktopSettingsOpen(true)), [backend]);
  const desktopItems = useMemo(
    () =>
      backend.kind === 'desktop'
        ? [
            { label: 'Desktop settings', onClick: () => setDesktopSettingsOpen(true) },
            ...(backend.openProfileInBrowser ? [{ label: 'API tokens (web) ↗', onClick: () => void backend.openProfileInBrowser!().catch(() => undefined) }] : []),
          ]
        : [],
    [backend],
  );
  // A new time zone (here or from another device) moves "today" and "this week": everything time reloads.
  const zone = useRef(user.timeZone);
  useEffect(() => {
    if (zone.current !== undefined && zone.current !== user.timeZone) timeChanged();
    zone.current = user.timeZone;
  }, [user.timeZone, timeChanged]);

  // Old and short addresses (/admin/members, /team) show their page under its one address.
  const canonical = pathOf(route);
  useEffect(() => {
    if (canonical && canonical !== path) navigate(canonical, { replace: true });
  }, [canonical, path, navigate]);

  const value = useMemo<SignedInValue>(
    () => ({ backend, user, updateUser, signOut: onSignOut, sessionsVersion, timeVersion, timeChanged, accountVersion, sync }),
    [backend, user, updateUser, onSignOut, sessionsVersion, timeVersion, timeChanged, accountVersion, sync],
  );
  const display = useMemo(
    () => createDisplay(user.timeZone ?? browserTimeZone(), { clock: user.clock, dateFormat: user.dateFormat }),
    [user.timeZone, user.clock, user.dateFormat],
  );
  const main = useRef<HTMLElement>(null);
  useKeyboardScrollableTables(main);

  let page;
  if (profile === null) page = <InlineLoading description="Loading your profile…" />;
  else if (route.page === 'dashboard') page = <DashboardPage />;
  else if (route.page === 'profile') page = <Suspense fallback={loading}><ProfilePage /></Suspense>;
  else if (isTeamRoute(route)) {
    page = canSeeAdmin(user) ? <Suspense fallback={loading}><AdminArea route={route} /></Suspense> : <NotFoundPage reason="forbidden" />;
  } else if (isSecurityRoute(route) || route.page === 'settings') {
    page = isAdmin(user) ? <Suspense fallback={loading}><AdminArea route={route} /></Suspense> : <NotFoundPage reason="forbidden" audience="admins" />;
  } else if (isTimeRoute(route)) page = <Suspense fallback={loading}><TimeArea route={route} /></Suspense>;
  else page = <NotFoundPage />;

  return (
    <SignedInContext.Provider value={value}>
      <DisplayContext.Provider value={display}>
        <AppHeader user={user} onSignOut={onSignOut} route={route} extraItems={desktopItems} />
        {/* The desktop app shows these as native notifications (its main process hears the same events). */}
        {backend.kind === 'web' && <SignInAlerts backend={backend} />}
        <main id="main-content" className="tab-page" tabIndex={-1} ref={main}>
          <ConnectionNotices backend={backend} />
          {sync && <SyncNotices />}
          {page}
        </main>
        {backend.kind === 'desktop' && <DesktopShell backend={backend} settingsOpen={desktopSettingsOpen} onSettingsClose={() => setDesktopSettingsOpen(false)} />}
      </DisplayContext.Provider>
    </SignedInContext.Provider>
  );
}
