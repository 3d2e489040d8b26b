import { useEffect, useState, type ReactNode } from 'react';
import { Button, InlineLoading, InlineNotification, Link, Modal, Stack } from '@carbon/react';
import { PasswordInput } from '../Fields/index.js';
import type { ReauthOptions } from '../../../shared/api/mfa.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { callErrorMessage, waitTime } from '../../auth/messages.js';
import { askPasskey, passkeysSupported } from '../../auth/passkey-prompt.js';
import { confirmWithSso, SsoReauthCancelled, ssoReauthSupported } from '../../auth/sso-reauth.js';
import { ReauthCodeField, reauthCodeProblem } from '../ReauthCodeField/index.js';
import './ReauthDialog.scss';

export type ReauthDialogApi = Pick<TabApi, 'reauthOptions' | 'reauth' | 'reauthPasskeyOptions' | 'reauthPasskey' | 'ssoReauthStart' | 'ssoReauthComplete'>;

export interface ReauthDialogProps {
  open: boolean;
  api: ReauthDialogApi;
  heading: string;
  /** What confirming will do, in words. */
  children?: ReactNode;
  /** The primary button: “Reset two-factor”, “Sign everyone out”… */
  confirmText: string;
  danger?: boolean;
  /** Offer single sign-on (a pop-up to the provider): the web client only. */
  allowSso?: boolean;
  /** The sensitive change itself, with the re-check grant; its ApiError is shown in the dialog. */
  onConfirmed(grant: string): Promise<void>;
  onClose(): void;
}

type Errors = { password?: string; code?: string; form?: string };

/**
 * The one re-check dialog (issue #15): before a sensitive change it asks the
 * person to prove it is them with what they have — their workspace's single
 * sign-on (“Confirm with Google”, a pop-up with `max_age=0`; first for members
 * who sign in that way, since their TAB password may be one nobody knows), a
 * passkey, or the password (plus the authenticator code when they have
 * two-factor). Every way ends in a re-check grant for this session
 * (5 minutes), which `onConfirmed` hands to the change.
 */
export function ReauthDialog({ open, api, heading, children, confirmText, danger, allowSso = true, onConfirmed, onClose }: ReauthDialogProps) {
  const [options, setOptions] = useState<ReauthOptions | null>(null);
  const [usePassword, setUsePassword] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState<null | 'password' | 'passkey' | 'sso'>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setOptions(null);
    api.reauthOptions().then(
      (found) => {
        if (!live) return;
        setOptions(found);
        setNeedsCode(found.totp);
      },
      // Without the options the password still works: offer it.
      () => live && setOptions({ totp: false, passkey: false, sso: null }),
    );
    return () => {
      live = false;
    };
  }, [open, api]);

  const reset = () => {
    setPassword('');
    setCode('');
    setErrors({});
    setUsePassword(false);
    setPending(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const sso = allowSso && ssoReauthSupported() ? (options?.sso ?? null) : null;
  const passwordShown = !sso || usePassword;

  /** Runs one way of re-checking, then the change; errors land where they belong. */
  const run = async (how: 'password' | 'passkey' | 'sso', grantOf: () => Promise<string>) => {
    if (pending) return;
    setPending(how);
    setErrors({});
    try {
      const grant = await grantOf();
      await onConfirmed(grant);
      reset();
    } catch (caught) {
      setPending(null);
      if (caught instanceof ApiError && caught.isSignedOut) return;
      if (caught instanceof SsoReauthCancelled) return;
      const codeProblem = reauthCodeProblem(caught);
      if (codeProblem) {
        setNeedsCode(true);
        setErrors({ code: codeProblem });
      } else if (caught instanceof ApiError && caught.code === 'reauth_failed' && how === 'password') setErrors({ password: 'That password is not right.' });
      else if (caught instanceof ApiError && caught.code === 'too_many_attempts') setErrors({ form: `Too many wrong tries. Try again in ${waitTime(caught.retryAfterSeconds ?? 900)}.` });
      else if (caught instanceof ApiError && caught.code === 'passkey_required') setErrors({ form: 'Your second factor is a passkey: confirm with it instead.' });
      else setErrors({ form: caught instanceof Error && !(caught instanceof ApiError) && how === 'sso' ? caught.message : callErrorMessage(caught) });
    }
  };

  const withPassword = () => {
    if (!password) return setErrors({ password: 'Enter your password.' });
    if (needsCode && !code.trim()) return setErrors({ code: 'Enter the code from your authenticator app (or a recovery code).' });
    void run('password', async () => (await api.reauth({ password, ...(needsCode ? { code: code.trim() } : {}) })).grant);
  };
  const withPasskey = () =>
    void run('passkey', async () => {
      const { options: challenge } = await api.reauthPasskeyOptions();
      return (await api.reauthPasskey({ response: await askPasskey(challenge) })).grant;
    });
  const withSso = () => void run('sso', () => confirmWithSso(api));

  // Mounted only while open: a closed dialog leaves no second "Reset two-factor" button in the page.
  if (!open) return null;
  const primaryText = pending ? 'Confirming…' : passwordShown ? confirmText : `Confirm with ${sso!.provider}`;
  return (
    <Modal
      open={open}
      danger={danger}
      modalHeading={heading}
      primaryButtonText={primaryText}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={pending !== null || options === null}
      onRequestClose={close}
      onRequestSubmit={() => (passwordShown ? withPassword() : withSso())}
      shouldSubmitOnEnter={passwordShown}
      size="sm"
      data-testid="reauth-dialog"
    >
      <Stack gap={5}>
        {children && <div className="tab-reauth__text">{children}</div>}
        {errors.form && <InlineNotification kind="error" lowContrast hideCloseButton role="alert" title="Not done" subtitle={errors.form} />}
        {options === null ? (
          <InlineLoading description="Loading…" />
        ) : (
          <>
            <p className="tab-muted">
              {sso && !usePassword ? `Confirm it is you with ${sso.provider}: its sign-in opens in a small window.` : 'Confirm it is you.'}
            </p>
            {options.passkey && passkeysSupported() && (
              <div>
                <Button kind="tertiary" size="md" disabled={pending !== null} onClick={withPasskey} data-testid="reauth-passkey">
                  {pending === 'passkey' ? 'Waiting for your passkey…' : 'Confirm with a passkey'}
                </Button>
              </div>
            )}
            {passwordShown && (
              <>
                <PasswordInput
                  id="tab-reauth-password"
                  labelText="Your password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  invalid={errors.password !== undefined}
                  invalidText={errors.password}
                  data-modal-primary-focus
                />
                {needsCode && <ReauthCodeField id="tab-reauth-code" value={code} onChange={setCode} error={errors.code} />}
              </>
            )}
            {sso && (
              <Link
                href="#"
                className="tab-reauth__switch"
                onClick={(e) => {
                  e.preventDefault();
                  setErrors({});
                  setUsePassword(!usePassword);
                }}
              >
                {usePassword ? `Confirm with ${sso.provider} instead` : 'Use your TAB password instead'}
              </Link>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}
