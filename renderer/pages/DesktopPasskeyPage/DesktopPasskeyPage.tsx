import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, InlineLoading, InlineNotification, Stack } from '@carbon/react';
import type { HttpRequest } from '../../../shared/api/client.js';
import type { DesktopPasskeyOptionsResponse, DesktopRedirectResponse } from '../../../shared/api/desktop-passkey.js';
import { signInErrorMessage } from '../../auth/messages.js';
import { PasskeyPromptError } from '../../auth/passkey-prompt.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { SignInPanel } from '../../components/SignInPanel/index.js';

export interface DesktopPasskeyPageProps {
  /** The hand-off id the app put after `#` (read once by the caller, kept in memory only). */
  handoff: string;
  request(request: HttpRequest): Promise<unknown>;
  /** The browser's passkey prompt (navigator.credentials.get through SimpleWebAuthn). */
  askPasskey(options: unknown): Promise<unknown>;
  /** Leaves for the app's loopback address. */
  goTo(url: string): void;
}

type Stage = 'asking' | 'ready' | 'done' | 'cancelled' | 'gone';

/**
 * `/desktop/passkey`: the TAB desktop app opened this page in the system
 * browser (RFC 8252) to run a passkey sign-in here, where the platform
 * authenticator and the person's synced passkeys are — never in the app's
 * own window. On success the server answers the app's loopback address with
 * a one-time code, and the browser goes there; the browser itself is not
 * signed in to anything. See server/mfa/desktop-passkey.ts.
 */
export function DesktopPasskeyPage({ handoff, request, askPasskey, goTo }: DesktopPasskeyPageProps) {
  useDocumentTitle('Sign in to the TAB app');
  const [stage, setStage] = useState<Stage>('ready');
  const [secondStep, setSecondStep] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  const run = useCallback(async () => {
    setStage('asking');
    setError(null);
    try {
      const { options, secondStep: second } = (await request({ method: 'POST', path: '/api/v1/auth/desktop/passkey/options', body: { handoff } })) as DesktopPasskeyOptionsResponse;
      setSecondStep(second);
      const response = await askPasskey(options);
      const { redirectTo } = (await request({ method: 'POST', path: '/api/v1/auth/desktop/passkey/finish', body: { handoff, response } })) as DesktopRedirectResponse;
      setStage('done');
      goTo(redirectTo);
    } catch (caught) {
      const gone = !(caught instanceof PasskeyPromptError) && (caught as { code?: string }).code === 'passkey_challenge_expired';
      setError(caught instanceof PasskeyPromptError ? caught.message : gone ? 'This sign-in has expired or was finished already. Start it again in the TAB app.' : signInErrorMessage(caught));
      setStage(gone ? 'gone' : 'ready');
    }
  }, [handoff, request, askPasskey, goTo]);

  const cancel = async () => {
    try {
      const { redirectTo } = (await request({ method: 'POST', path: '/api/v1/auth/desktop/passkey/cancel', body: { handoff } })) as DesktopRedirectResponse;
      setStage('cancelled');
      goTo(redirectTo);
    } catch {
      setStage('gone');
    }
  };

  useEffect(() => {
    // The person just chose "passkey" in the app: ask at once (once: React's development double effect must not spend a challenge).
    if (started.current || !handoff) return;
    started.current = true;
    void run();
  }, [handoff, run]);

  const lead =
    secondStep === true
      ? 'Confirm your sign-in to the TAB desktop app with your passkey.'
      : 'Sign in to the TAB desktop app with your passkey. Your browser asks for it; the app signs in when you are done.';

  return (
    <SignInPanel>
      <h1 className="tab-sign-in__title">Sign in to the TAB app</h1>
      {!handoff ? (
        <InlineNotification kind="error" title="This address is incomplete." subtitle="Start the passkey sign-in again in the TAB app." lowContrast hideCloseButton role="alert" className="tab-sign-in__notice" />
      ) : stage === 'done' ? (
        <InlineNotification kind="success" title="Done — go back to the TAB app." subtitle="You can close this tab." lowContrast hideCloseButton role="status" className="tab-sign-in__notice" data-testid="desktop-passkey-done" />
      ) : stage === 'cancelled' ? (
        <InlineNotification kind="info" title="Cancelled." subtitle="The TAB app was told. You can close this tab." lowContrast hideCloseButton role="status" className="tab-sign-in__notice" />
      ) : (
        <Stack gap={6}>
          <p className="tab-muted tab-sign-in__lead">{lead}</p>
          {error && <InlineNotification kind="error" title={error} lowContrast hideCloseButton role="alert" className="tab-sign-in__notice" data-testid="desktop-passkey-error" />}
          {stage === 'asking' ? (
            <InlineLoading description="Waiting for your passkey…" status="active" />
          ) : stage === 'ready' ? (
            <div className="tab-sign-in__actions">
              <Button kind="primary" onClick={() => void run()} data-testid="desktop-passkey-retry">
                Use a passkey
              </Button>
              <Button kind="ghost" onClick={() => void cancel()}>
                Cancel
              </Button>
            </div>
          ) : null}
        </Stack>
      )}
    </SignInPanel>
  );
}
