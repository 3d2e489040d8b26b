import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, InlineNotification, Stack } from '@carbon/react';
import { PasswordInput, TextInput } from '../../components/Fields/index.js';
import { passkeysUnavailableAt } from '../../../shared/api/passkeys.js';
import type { User } from '../../../shared/api/auth.js';
import type { SsoDiscoverResponse } from '../../../shared/api/sso.js';
import type { SessionEndReason } from '../../../shared/errors.js';
import type { Backend } from '../../backend/backend.js';
import type { MfaMethod, TotpEnrolment } from '../../../shared/api/mfa.js';
import { ApiError } from '../../../shared/api/client.js';
import { TotpSetup } from '../../components/TotpSetup/index.js';
import { BrowserWait, useBrowserWait } from '../../components/BrowserWait/index.js';
import { RecoveryCodesList } from '../../components/RecoveryCodesList/index.js';
import { endReasonMessage, signInErrorMessage } from '../../auth/messages.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { SignInPanel } from '../../components/SignInPanel/index.js';
import { ServerAddressField } from '../../components/ServerAddressField/index.js';

const STAGE_TITLES = {
  password: 'Sign in to TAB',
  code: 'Two-factor sign-in',
  enrol: 'Set up two-factor',
  'enrol-elsewhere': 'Set up two-factor',
  'recovery-codes': 'Your recovery codes',
} as const;

export interface SignInPageProps {
  backend: Pick<Backend, 'signIn' | 'finishSignIn' | 'finishSignInWithPasskey' | 'signInWithPasskey' | 'startSignInEnrolment' | 'confirmSignInEnrolment' | 'cancelBrowserSignIn' | 'serverUrl' | 'setServerUrl'>;
  /** Desktop: single sign-on and passkeys run in the system browser; the page says so while it waits, with a Cancel. */
  inSystemBrowser?: boolean;
  /** Why the last session ended, when the server ended it. */
  reason: SessionEndReason | null;
  /** A problem found before anyone typed anything (e.g. the server is unreachable at start-up). */
  startupError?: string | null;
  onSignedIn(user: User): void;
  /** Single sign-on. Web: found from the e-mail's domain (e-mail-first); desktop: always offered, through the system browser. */
  sso?: {
    /** Web: the domain says whether SSO is there. Without it (desktop: no call before sign-in), the SSO button is always offered. */
    discover?(email: string): Promise<SsoDiscoverResponse>;
    /** Web: leaves for the provider (never resolves with a user). Desktop: the whole sign-in, through the system browser. */
    start(email: string): Promise<User | null>;
  };
}

export function SignInPage({ backend, reason, startupError = null, onSignedIn, sso, inSystemBrowser = false }: SignInPageProps) {
  useDocumentTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [savedServerUrl, setSavedServerUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(startupError);
  /** 'browser': the desktop waits for the passkey in the system browser. */
  const [pending, setPending] = useState<boolean | 'browser'>(false);
  const browserWait = useBrowserWait({ inSystemBrowser, cancelBrowserSignIn: backend.cancelBrowserSignIn, setPending, setError });
  const [ssoFound, setSsoFound] = useState<(SsoDiscoverResponse & { email: string }) | null>(null);
  /**
   * Where the sign-in is: the password; the second step (two-factor code);
   * the enrolment the firm's policy requires (web only); the recovery codes
   * that enrolment made, shown once before going on.
   */
  const [stage, setStage] = useState<'password' | 'code' | 'enrol' | 'enrol-elsewhere' | 'recovery-codes'>('password');
  const [code, setCode] = useState('');
  const [methods, setMethods] = useState<MfaMethod[]>([]);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [enrolled, setEnrolled] = useState<{ user: User; recoveryCodes: string[] } | null>(null);
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
    setError(null);
    setAttempted(true);
    if (!email.trim()) {
      setError('Enter your email: its domain finds your firm’s sign-in.');
      return;
    }
    browserWait.start();
    try {
      const user = await sso.start(email.trim());
      if (user) onSignedIn(user);
    } catch (caught) {
      browserWait.failed(caught);
    }
  };

  const alwaysSso = Boolean(sso && !sso.discover);
  const showSso = alwaysSso || Boolean(sso && ssoFound?.sso && ssoFound.email === email.trim());
  const ssoRequired = showSso && (ssoFound?.required ?? false);

  /** Desktop only: tells main about a new server address before signing in against it; false (and says why) when there is none. */
  const saveServer = async (): Promise<boolean> => {
    if (!needsServer || !backend.setServerUrl || serverUrl === null) return true;
    const wanted = serverUrl.trim();
    if (!wanted) {
      setError('Enter the address of your firm’s TAB server.');
      return false;
    }
    if (wanted !== savedServerUrl) {
      await backend.setServerUrl(wanted);
      setSavedServerUrl(wanted);
    }
    return true;
  };
  // Passkeys are offered only where they can work (a host name, not an IP address): on the desktop its
  // server address; on the web this page's own (a browser refuses WebAuthn at http://127.0.0.1:4000/).
  const passkeyAddress = needsServer ? serverUrl : (globalThis.location?.origin ?? null);
  const passkeysHere = passkeyAddress === null || passkeysUnavailableAt(passkeyAddress) === null;

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
      if (!(await saveServer())) return setPending(false);
      const step = await backend.signIn(email.trim(), password);
      if (step.status === 'signed-in') return onSignedIn(step.user);
      setPassword('');
      setPending(false);
      if (!step.enrolRequired) {
        setMethods(step.methods);
        return setStage('code');
      }
      if (!backend.startSignInEnrolment) return setStage('enrol-elsewhere');
      setEnrolment(await backend.startSignInEnrolment());
      setStage('enrol');
    } catch (caught) {
      setError(signInErrorMessage(caught));
      setPending(false);
    }
  };

  /** The second step failed so that only a new sign-in helps (expired or used challenge): back to the password. */
  const restartIfExpired = (caught: unknown) => {
    if (caught instanceof ApiError && caught.code === 'mfa_challenge_expired') {
      setStage('password');
      setEnrolment(null);
    }
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!code.trim()) {
      setError('Enter the code from your authenticator app.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      onSignedIn(await backend.finishSignIn(code.trim()));
    } catch (caught) {
      setError(signInErrorMessage(caught));
      restartIfExpired(caught);
      setCode('');
      setPending(false);
    }
  };

  /** A passkey: the second step (`second`), or the whole sign-in (passwordless). */
  const passkeyStep = async (second: boolean) => {
    if (pending) return;
    browserWait.start();
    setError(null);
    setAttempted(true);
    try {
      if (!second && !(await saveServer())) return setPending(false);
      onSignedIn(second ? await backend.finishSignInWithPasskey!() : await backend.signInWithPasskey!());
    } catch (caught) {
      browserWait.failed(caught);
      restartIfExpired(caught);
    }
  };
  const passkeySecondStep = methods.includes('passkey') && Boolean(backend.finishSignInWithPasskey) && passkeysHere;
  // A passkey-only member on a client without passkeys still sees the code field (and its recovery-code hint).
  const codeSecondStep = methods.includes('totp') || !passkeySecondStep;
  // A client without passkeys: a member whose only second factor is one is told where to sign in instead.
  const passkeyElsewhere = !passkeySecondStep && methods.length > 0 && methods.every((m) => m === 'passkey');

  const confirmEnrolment = async (first: string) => {
    try {
      setEnrolled(await backend.confirmSignInEnrolment!(first));
      setStage('recovery-codes');
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'mfa_challenge_expired') {
        setError(signInErrorMessage(caught));
        restartIfExpired(caught);
        return;
      }
      throw caught;
    }
  };

  const backToPassword = () => {
    setStage('password');
    setCode('');
    setEnrolment(null);
    setError(null);
  };

  return (
    <SignInPanel>
      <h1 className="tab-sign-in__title" ref={heading} tabIndex={-1}>
        {STAGE_TITLES[stage]}
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
      {stage === 'code' && (
        <Form onSubmit={(e) => void submitCode(e)} aria-label="Two-factor code" noValidate>
          <Stack gap={6}>
            {passkeySecondStep && (
              <Button type="button" kind={codeSecondStep ? 'tertiary' : 'primary'} onClick={() => void passkeyStep(true)} disabled={pending !== false} data-testid="passkey-second-step">
                Use a passkey
              </Button>
            )}
            {passkeyElsewhere && (
              <InlineNotification
                kind="info"
                lowContrast
                hideCloseButton
                role="status"
                title={passkeysHere ? 'Your second factor is a passkey, which this app cannot use yet.' : 'Your second factor is a passkey, which cannot work with this server address.'}
                subtitle={passkeysHere ? 'Sign in to TAB on the web, or add an authenticator app on your Profile page there.' : (passkeysUnavailableAt(passkeyAddress ?? '') ?? undefined)}
                className="tab-sign-in__notice"
              />
            )}
            {codeSecondStep && !passkeyElsewhere && (
              <>
            <p className="tab-muted">{passkeySecondStep ? 'Or open your authenticator app and enter the 6-digit code for TAB.' : 'Open your authenticator app and enter the 6-digit code for TAB.'}</p>
            <TextInput
              id="tab-mfa-code"
              labelText="Authenticator code"
              helperText="Lost your phone? Enter one of your recovery codes instead."
              autoComplete="one-time-code"
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
              </>
            )}
            {pending ? (
              pending === 'browser' ? <BrowserWait onCancel={browserWait.cancel} /> : <InlineLoading description="Checking…" status="active" />
            ) : (
              <div className="tab-sign-in__actions">
                {codeSecondStep && !passkeyElsewhere && (
                  <Button type="submit" kind="primary">
                    Verify and sign in
                  </Button>
                )}
                <Button kind="ghost" onClick={backToPassword}>
                  Back
                </Button>
              </div>
            )}
          </Stack>
        </Form>
      )}
      {stage === 'enrol' && enrolment && (
        <>
          <p className="tab-muted tab-sign-in__lead">Your firm requires two-factor sign-in. Add TAB to an authenticator app to finish signing in.</p>
          <TotpSetup enrolment={enrolment} onConfirm={confirmEnrolment} onCancel={backToPassword} confirmLabel="Turn on and sign in" />
        </>
      )}
      {stage === 'enrol-elsewhere' && (
        <Stack gap={6}>
          <InlineNotification
            kind="info"
            lowContrast
            hideCloseButton
            role="status"
            title="Your firm requires two-factor sign-in."
            subtitle="Set it up once in TAB on the web (sign in there and follow the steps), then sign in here with your code."
            className="tab-sign-in__notice"
          />
          <Button kind="secondary" onClick={backToPassword}>
            Back
          </Button>
        </Stack>
      )}
      {stage === 'recovery-codes' && enrolled && (
        <Stack gap={6}>
          <RecoveryCodesList codes={enrolled.recoveryCodes} />
          <Button kind="primary" onClick={() => onSignedIn(enrolled.user)}>
            I saved them — continue
          </Button>
        </Stack>
      )}
      {stage === 'password' && (
      <Form onSubmit={(e) => void submit(e)} aria-label="Sign in" noValidate>
        <Stack gap={6}>
          {needsServer && serverUrl !== null && <ServerAddressField value={serverUrl} onChange={setServerUrl} />}
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
              <Button type="button" kind={ssoRequired ? 'primary' : 'tertiary'} onClick={() => void startSso()} disabled={pending !== false} data-testid="sso-button">
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
            pending === 'browser' ? <BrowserWait onCancel={browserWait.cancel} /> : <InlineLoading description="Signing in…" status="active" />
          ) : (
            <Button type="submit" kind={ssoRequired ? 'secondary' : 'primary'}>
              {showSso && !alwaysSso ? 'Sign in with password' : 'Sign in'}
            </Button>
          )}
          {backend.signInWithPasskey && passkeysHere && !pending && (
            <Button type="button" kind="ghost" className="tab-sign-in__passkey" onClick={() => void passkeyStep(false)} data-testid="passkey-sign-in">
              Sign in with a passkey
            </Button>
          )}
        </Stack>
      </Form>
      )}
    </SignInPanel>
  );
}
