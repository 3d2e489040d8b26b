import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, InlineNotification, PasswordInput, Stack, TextInput, Tile } from '@carbon/react';
import type { User } from '../../../shared/api/auth.js';
import type { SsoDiscoverResponse } from '../../../shared/api/sso.js';
import type { SessionEndReason } from '../../../shared/errors.js';
import type { Backend } from '../../backend/backend.js';
import { endReasonMessage, signInErrorMessage } from '../../auth/messages.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import './SignInPage.scss';

export interface SignInPageProps {
  backend: Pick<Backend, 'signIn' | 'serverUrl' | 'setServerUrl'>;
  /** Why the last session ended, when the server ended it. */
  reason: SessionEndReason | null;
  /** A problem found before anyone typed anything (e.g. the server is unreachable at start-up). */
  startupError?: string | null;
  onSignedIn(user: User): void;
  /** Web only: single sign-on, found from the e-mail's domain (e-mail-first); `start` leaves for the identity provider. */
  sso?: {
    /** Web: the domain says whether SSO is there. Without it (desktop: no call before sign-in), the SSO button is always offered. */
    discover?(email: string): Promise<SsoDiscoverResponse>;
    /** Web: leaves for the provider (never resolves with a user). Desktop: the whole sign-in, through the system browser. */
    start(email: string): Promise<User | null>;
  };
}

export function SignInPage({ backend, reason, startupError = null, onSignedIn, sso }: SignInPageProps) {
  useDocumentTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [savedServerUrl, setSavedServerUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(startupError);
  const [pending, setPending] = useState(false);
  const [ssoFound, setSsoFound] = useState<SsoDiscoverResponse & { email: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const needsServer = typeof backend.serverUrl === 'function';
  // Why the last session ended is news until the person tries again; from then on only that
  // attempt's answer shows (an "account disabled" notice must not outlive the account being re-enabled).
  const [attempted, setAttempted] = useState(false);
  const reasonText = attempted ? null : endReasonMessage(reason);

  useEffect(() => {
    // Someone dropped here by the server should hear why, and land at the top.
    heading.current?.focus();
  }, []);

  useEffect(() => {
    if (!backend.serverUrl) return;
    let live = true;
    void backend.serverUrl().then((url) => {
      if (!live) return;
      setServerUrl(url ?? '');
      setSavedServerUrl(url);
    });
    return () => {
      live = false;
    };
  }, [backend]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setPending(true);
    setError(null);
    setAttempted(true);
    try {
      // Desktop only: tell main about a new server address before signing in against it.
      if (needsServer && backend.setServerUrl && serverUrl !== null) {
        const wanted = serverUrl.trim();
        if (!wanted) {
          setError('Enter the address of your firm’s TAB server.');
          setPending(false);
          return;
        }
        if (wanted !== savedServerUrl) {
          await backend.setServerUrl(wanted);
          setSavedServerUrl(wanted);
        }
      }
      const user = await backend.signIn(email.trim(), password);
      onSignedIn(user);
    } catch (caught) {
      setError(signInErrorMessage(caught));
      setPending(false);
    }
  };

  // E-mail-first: once the address is typed, its domain says whether the firm signs in with SSO.
  const discoverSso = async () => {
    const typed = email.trim();
    if (!sso?.discover || !typed.includes('@') || ssoFound?.email === typed) return;
    try {
      setSsoFound({ ...(await sso.discover(typed)), email: typed });
    } catch {
      setSsoFound(null); // The password form still works; SSO is offered when the server answers.
    }
  };

  const startSso = async () => {
    if (!sso || pending) return;
    setPending(true);
    setError(null);
    setAttempted(true);
    try {
      if (!email.trim()) {
        setError('Enter your email: its domain finds your firm’s sign-in.');
        setPending(false);
        return;
      }
      const user = await sso.start(email.trim());
      if (user) onSignedIn(user);
    } catch (caught) {
      setError(signInErrorMessage(caught));
      setPending(false);
    }
  };

  const alwaysSso = Boolean(sso && !sso.discover);
  const showSso = alwaysSso || Boolean(sso && ssoFound?.sso && ssoFound.email === email.trim());
  const ssoRequired = showSso && (ssoFound?.required ?? false);

  return (
    <main className="tab-sign-in" id="main-content">
      <Tile className="tab-sign-in__panel">
        <p className="tab-sign-in__brand" aria-hidden="true">
          TAB
        </p>
        <h1 className="tab-sign-in__title" ref={heading} tabIndex={-1}>
          Sign in to TAB
        </h1>
        {reasonText && (
          <InlineNotification
            kind={reason === 'signed_out' ? 'info' : 'warning'}
            title={reasonText}
            lowContrast
            hideCloseButton
            role="status"
            className="tab-sign-in__notice"
            data-testid="sign-out-reason"
          />
        )}
        {error && (
          <InlineNotification
            kind="error"
            title={error}
            lowContrast
            hideCloseButton
            role="alert"
            className="tab-sign-in__notice"
            data-testid="sign-in-error"
          />
        )}
        <Form onSubmit={(e) => void submit(e)} aria-label="Sign in" noValidate>
          <Stack gap={6}>
            {needsServer && serverUrl !== null && (
              <TextInput
                id="tab-server-url"
                labelText="Server address"
                helperText="Ask your firm’s TAB admin, e.g. https://tab.yourfirm.com"
                value={serverUrl}
                onChange={(e) => setServerUrl(e.target.value)}
                autoComplete="url"
              />
            )}
            <TextInput
              id="tab-email"
              labelText="Email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              onBlur={() => void discoverSso()}
            />
            {showSso && (
              <div className="tab-sign-in__sso">
                {!alwaysSso && (
                  <p className="tab-sign-in__sso-note">
                    {ssoRequired ? 'Your firm signs in to TAB with single sign-on.' : 'Your firm can sign in to TAB with single sign-on.'}
                  </p>
                )}
                <Button type="button" kind={ssoRequired ? 'primary' : 'tertiary'} onClick={() => void startSso()} disabled={pending} data-testid="sso-button">
                  Sign in with SSO
                </Button>
              </div>
            )}
            <PasswordInput
              id="tab-password"
              labelText="Password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {pending ? (
              <InlineLoading description="Signing in…" status="active" />
            ) : (
              <Button type="submit" kind={ssoRequired ? 'secondary' : 'primary'}>
                {showSso && !alwaysSso ? 'Sign in with password' : 'Sign in'}
              </Button>
            )}
          </Stack>
        </Form>
      </Tile>
    </main>
  );
}
