import { useEffect, useRef, useState } from 'react';
import { InlineLoading, InlineNotification, Link } from '@carbon/react';
import type { LoginResponse, User } from '../../../shared/api/auth.js';
import type { HttpRequest } from '../../../shared/api/client.js';
import type { SsoStartResponse } from '../../../shared/api/sso.js';
import { signInErrorMessage } from '../../auth/messages.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { handOffSsoReauth } from '../../auth/sso-reauth.js';
import { SignInPanel } from '../../components/SignInPanel/index.js';

export interface SsoPageProps {
  /** `/sso/callback?code&state&iss` (back from the provider) or `/sso/<workspace id>` (the workspace's own SSO address). */
  path: string;
  search: string;
  request(request: HttpRequest): Promise<unknown>;
  /** Leaves for the identity provider. */
  goTo(url: string): void;
  onSignedIn(user: User): void;
  onBackToSignIn(): void;
}

/** The two single sign-on addresses of the web client: where a sign-in starts for a workspace, and where the provider sends people back. */
export function SsoPage({ path, search, request, goTo, onSignedIn, onBackToSignIn }: SsoPageProps) {
  const callback = path.replace(/\/+$/, '') === '/sso/callback';
  useDocumentTitle(callback ? 'Signing in' : 'Single sign-on');
  const [error, setError] = useState<string | null>(null);
  const [handedOff, setHandedOff] = useState(false);
  const ran = useRef(false);

  useEffect(() => {
    // Once: a state is good for one try (React's development double effect must not spend it).
    if (ran.current) return;
    ran.current = true;
    const params = new URLSearchParams(search);
    const run = async () => {
      if (callback && handOffSsoReauth(params)) {
        // A re-check's pop-up (renderer/auth/sso-reauth.ts): the tab that opened it finishes it.
        setHandedOff(true);
        window.close();
        return;
      }
      if (callback) {
        const providerError = params.get('error');
        if (providerError) throw new Error(params.get('error_description') || (providerError === 'access_denied' ? 'The sign-in was cancelled at your identity provider.' : `Your identity provider refused the sign-in (${providerError}).`));
        const code = params.get('code');
        const state = params.get('state');
        if (!code || !state) throw new Error('This address is missing the sign-in’s code. Start again.');
        const iss = params.get('iss');
        const result = (await request({ method: 'POST', path: '/api/v1/auth/sso/complete', body: { code, state, ...(iss ? { iss } : {}) } })) as LoginResponse;
        onSignedIn(result.user);
      } else {
        const workspaceId = decodeURIComponent(path.replace(/^\/sso\//, '').replace(/\/+$/, ''));
        const started = (await request({ method: 'POST', path: '/api/v1/auth/sso/start', body: { workspaceId } })) as SsoStartResponse;
        goTo(started.authorizationUrl);
      }
    };
    run().catch((caught: unknown) => setError(caught instanceof Error && !('code' in caught) ? caught.message : signInErrorMessage(caught)));
  }, [callback, path, search, request, goTo, onSignedIn]);

  return (
    <SignInPanel>
      <h1 className="tab-sign-in__title">{callback ? 'Signing in with single sign-on' : 'Single sign-on'}</h1>
      {handedOff ? (
        <p data-testid="sso-reauth-handed-off">Confirmed. You can close this window.</p>
      ) : error ? (
        <>
          <InlineNotification kind="error" title="Not signed in" subtitle={error} lowContrast hideCloseButton role="alert" className="tab-sign-in__notice" data-testid="sso-error" />
          <Link href="/" onClick={(e) => { e.preventDefault(); onBackToSignIn(); }}>
            Back to sign-in
          </Link>
        </>
      ) : (
        <InlineLoading description={callback ? 'Finishing the sign-in…' : 'Going to your identity provider…'} status="active" />
      )}
    </SignInPanel>
  );
}
