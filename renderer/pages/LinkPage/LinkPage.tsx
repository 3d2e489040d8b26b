import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, InlineNotification, Stack } from '@carbon/react';
import { PasswordInput } from '../../components/Fields/index.js';
import { PASSWORD_MIN, type User } from '../../../shared/api/auth.js';
import { ApiError } from '../../../shared/api/client.js';
import type { LinkView } from '../../../shared/api/members.js';
import type { Backend } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { useDisplay } from '../../time/display-context.js';
import { SignInPanel } from '../../components/SignInPanel/index.js';
import './LinkPage.scss';

export interface LinkPageProps {
  backend: Pick<Backend, 'api' | 'kind'>;
  /** The secret, from after the `#` of the link (never sent in a URL). */
  token: string;
  /** Someone already signed in in this browser: they must sign out before using another person's link. */
  signedInAs: User | null;
  onSignOut(): void;
  onSignedIn(user: User): void;
}

/** Why a link cannot be used, in words a person can act on. */
export function linkErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'link_used') return 'This link has been used already. If you did not use it, tell your firm’s TAB admin; otherwise sign in with your password.';
    if (error.code === 'link_expired') return 'This link has expired. Ask your firm’s TAB admin for a new one.';
    if (error.code === 'not_found') return 'This link does not work: it may have been replaced by a newer one or cancelled. Ask your firm’s TAB admin.';
  }
  return callErrorMessage(error);
}

/**
 * An invitation or password-reset link, opened: whose it is (so a forwarded
 * link is noticed before anything happens), then a new password, which signs
 * its holder in. Nothing else: a second factor or single sign-on, once a
 * firm requires one, would still be asked for.
 */
export function LinkPage({ backend, token, signedInAs, onSignOut, onSignedIn }: LinkPageProps) {
  const display = useDisplay();
  const [view, setView] = useState<LinkView | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : 'This link is incomplete: copy the whole link, including the part after “#”.');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ password?: string; again?: string }>({});
  const [busy, setBusy] = useState(false);
  /** The password is set, but the account's second factor (or the enrolment the firm requires) is done at sign-in. */
  const [passwordSetNeedsSignIn, setPasswordSetNeedsSignIn] = useState(false);
  const reset = view?.kind === 'password_reset';
  useDocumentTitle(reset ? 'Reset your password' : 'Join your firm on TAB');

  useEffect(() => {
    if (!token) return;
    let live = true;
    backend.api.lookupLink(token).then(
      (found) => live && setView(found),
      (error: unknown) => live && setProblem(linkErrorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [backend, token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !view) return;
    const found: typeof errors = {};
    if (password.length < PASSWORD_MIN) found.password = `Use at least ${PASSWORD_MIN} characters.`;
    if (again !== password) found.again = 'The two passwords do not match.';
    setErrors(found);
    if (found.password || found.again) return;
    setBusy(true);
    try {
      const result = await backend.api.completeLink({ token, password, client: backend.kind });
      if ('mfaRequired' in result) {
        // Two-factor (the account has it, or the firm requires it): the password is set, and the sign-in
        // page does the second step (or the enrolment) like any sign-in.
        setProblem(null);
        setPasswordSetNeedsSignIn(true);
        setBusy(false);
        return;
      }
      onSignedIn(result.user);
    } catch (error) {
      setProblem(linkErrorMessage(error));
      setBusy(false);
    }
  };

  return (
    <SignInPanel>
      <h1 className="tab-sign-in__title">{reset ? 'Reset your password' : view ? `Join ${view.workspaceName} on TAB` : 'Your TAB link'}</h1>
      {problem && <InlineNotification kind="error" lowContrast hideCloseButton role="alert" title={problem} className="tab-sign-in__notice" data-testid="link-problem" />}
      {!problem && !view && <InlineLoading description="Checking the link…" />}
      {view && !problem && signedInAs && (
        <div className="tab-link__signed-in">
          <InlineNotification
            kind="warning"
            lowContrast
            hideCloseButton
            role="status"
            title={`You are signed in as ${signedInAs.name || signedInAs.email}.`}
            subtitle={`This link is for ${view.name}. Sign out first, then open the link again.`}
            className="tab-sign-in__notice"
          />
          <Button kind="secondary" onClick={onSignOut}>
            Sign out
          </Button>
        </div>
      )}
      {passwordSetNeedsSignIn && (
        <div data-testid="link-needs-sign-in">
          <InlineNotification
            kind="success"
            lowContrast
            hideCloseButton
            role="status"
            title="Your password is set."
            subtitle="Your firm uses two-factor sign-in: sign in with your email and new password to finish."
            className="tab-sign-in__notice"
          />
          <Button kind="primary" href="/">
            Go to sign-in
          </Button>
        </div>
      )}
      {view && !problem && !signedInAs && !passwordSetNeedsSignIn && (
        <>
          <div className="tab-link__who" data-testid="link-who">
            <p>
              {reset ? 'A new password for' : 'For'} <strong>{view.name}</strong> ({view.email}){reset ? ` at ${view.workspaceName}` : ''}.
            </p>
            <p className="tab-muted">Not you? Do not use this link: tell your firm’s TAB admin. It works once, until {display.dateTime(view.expiresAt)}.</p>
            {reset && <p className="tab-muted">Setting it signs you out on every device and ends your API tokens.</p>}
          </div>
          <Form onSubmit={(e) => void submit(e)} aria-label={reset ? 'Reset your password' : 'Set your password'} noValidate>
            <Stack gap={6}>
              <PasswordInput
                id="tab-link-password"
                labelText={reset ? 'New password' : 'Choose a password'}
                helperText={`At least ${PASSWORD_MIN} characters.`}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                invalid={!!errors.password}
                invalidText={errors.password}
              />
              <PasswordInput
                id="tab-link-again"
                labelText="The same password, again"
                autoComplete="new-password"
                value={again}
                onChange={(e) => setAgain(e.target.value)}
                invalid={!!errors.again}
                invalidText={errors.again}
              />
              {busy ? (
                <InlineLoading description="Setting your password…" status="active" />
              ) : (
                <Button type="submit" kind="primary">
                  {reset ? 'Set the new password and sign in' : 'Set password and sign in'}
                </Button>
              )}
            </Stack>
          </Form>
        </>
      )}
    </SignInPanel>
  );
}
