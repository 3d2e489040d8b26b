import { useCallback, useEffect, useMemo, useState } from 'react';
import { Loading } from '@carbon/react';
import type { User } from '../../shared/api/auth.js';
import type { SessionEndReason } from '../../shared/errors.js';
import type { Backend } from '../backend/backend.js';
import { callErrorMessage } from '../auth/messages.js';
import { SignInPage } from '../pages/SignInPage/index.js';
import { LinkPage } from '../pages/LinkPage/index.js';
import { SsoPage } from '../pages/SsoPage/index.js';
import { DesktopPasskeyPage } from '../pages/DesktopPasskeyPage/index.js';
import { askPasskey } from '../auth/passkey-prompt.js';
import { DESKTOP_PASSKEY_PATH } from '../../shared/api/desktop-passkey.js';
import type { SsoDiscoverResponse, SsoStartResponse } from '../../shared/api/sso.js';
import { parseRoute, paths } from '../router/routes.js';
import { useRouter } from '../router/router.js';
import { SignedInApp } from './SignedInApp.js';

type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: SessionEndReason | null; startupError?: string }
  | { status: 'signed-in'; user: User; generation: number };

/**
 * Who is signed in decides everything: while signed out only the sign-in page
 * exists, and signing out (for any reason) unmounts every signed-in page, so
 * no data of the previous person stays on screen or in memory.
 */
export function App({ backend }: { backend: Backend }) {
  const [auth, setAuth] = useState<AuthState>({ status: 'loading' });
  const { path, navigate } = useRouter();
  const onLink = parseRoute(path).page === 'link';
  // Single sign-on's web addresses (the desktop signs in through the system browser instead).
  const onSso = backend.kind === 'web' && path.startsWith('/sso/');
  // The desktop app's passkey sign-in runs here, in the system browser (its hand-off after `#`); whoever is signed in to the web is not involved.
  const onDesktopPasskey = backend.kind === 'web' && path.replace(/\/+$/, '') === DESKTOP_PASSKEY_PATH;
  // An invitation or reset link (and the desktop's passkey hand-off) carries its secret after `#`: read once, kept in memory only.
  const [linkToken] = useState(() => (typeof window !== 'undefined' ? safeDecode(window.location.hash.slice(1)) : ''));
  useEffect(() => {
    // Off the address bar and history at once (the hand-off stays in memory for this page only).
    if (onDesktopPasskey && window.location.hash) window.history.replaceState(null, '', DESKTOP_PASSKEY_PATH);
  }, [onDesktopPasskey]);

  useEffect(() => {
    let live = true;
    backend.restore().then(
      (snapshot) => {
        if (!live) return;
        setAuth((prev) => {
          if (prev.status !== 'loading') return prev;
          return snapshot.status === 'signed-in' ? { status: 'signed-in', user: snapshot.user, generation: 1 } : snapshot;
        });
      },
      (error: unknown) => {
        if (live) setAuth({ status: 'signed-out', reason: null, startupError: callErrorMessage(error) });
      },
    );
    // Any 401 or `session.revoked`, from anywhere, at any moment.
    const stop = backend.onSignedOut((reason) => {
      setAuth((prev) => (prev.status === 'signed-out' ? prev : { status: 'signed-out', reason }));
    });
    return () => {
      live = false;
      stop();
    };
  }, [backend]);

  const signedIn = useCallback((user: User) => {
    setAuth((prev) => ({ status: 'signed-in', user, generation: (prev.status === 'signed-in' ? prev.generation : 0) + 1 }));
  }, []);

  const webSso = useMemo(
    () =>
      backend.kind === 'web'
        ? {
            discover: (email: string) => backend.request({ method: 'GET', path: `/api/v1/auth/sso/discover?email=${encodeURIComponent(email)}` }) as Promise<SsoDiscoverResponse>,
            start: async (email: string): Promise<null> => {
              const started = (await backend.request({ method: 'POST', path: '/api/v1/auth/sso/start', body: { email } })) as SsoStartResponse;
              window.location.assign(started.authorizationUrl);
              return null;
            },
          }
        : backend.signInWithSso
          ? { start: (email: string) => backend.signInWithSso!(email) }
          : undefined,
    [backend],
  );

  const signOut = useCallback(() => {
    setAuth({ status: 'signed-out', reason: null });
    void backend.signOut();
  }, [backend]);

  if (onDesktopPasskey) {
    return <DesktopPasskeyPage handoff={linkToken} request={backend.request} askPasskey={askPasskey} goTo={(url) => window.location.assign(url)} />;
  }

  if (onLink && auth.status !== 'loading') {
    return (
      <LinkPage
        backend={backend}
        token={linkToken}
        signedInAs={auth.status === 'signed-in' ? auth.user : null}
        onSignOut={signOut}
        onSignedIn={(user) => {
          // Off the link's address (and its secret) for good.
          navigate(paths.dashboard, { replace: true });
          signedIn(user);
        }}
      />
    );
  }

  if (onSso && auth.status !== 'loading') {
    return (
      <SsoPage
        path={path}
        search={typeof window === 'undefined' ? '' : window.location.search}
        request={backend.request}
        goTo={(url) => window.location.assign(url)}
        onSignedIn={(user) => {
          // Off the callback's address (its code and state) for good.
          navigate(paths.dashboard, { replace: true });
          signedIn(user);
        }}
        onBackToSignIn={() => {
          navigate(paths.dashboard, { replace: true });
          setAuth({ status: 'signed-out', reason: null });
        }}
      />
    );
  }

  switch (auth.status) {
    case 'loading':
      return <Loading description="Loading TAB" withOverlay={false} />;
    case 'signed-out':
      return <SignInPage backend={backend} reason={auth.reason} startupError={auth.startupError ?? null} onSignedIn={signedIn} sso={webSso} inSystemBrowser={backend.kind === 'desktop'} />;
    case 'signed-in':
      return <SignedInApp key={`${auth.user.id}:${auth.generation}`} backend={backend} user={auth.user} onSignOut={signOut} />;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
