import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, Stack, Tag, Tile } from '@carbon/react';
import { PasswordInput } from '../Fields/index.js';
import type { TotpEnrolment, TwoFactorStatus } from '../../../shared/api/mfa.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import { TotpSetup } from '../TotpSetup/index.js';
import { RecoveryCodesList } from '../RecoveryCodesList/index.js';
import { ReauthDialog, type ReauthDialogApi } from '../ReauthDialog/index.js';

export interface TwoFactorSectionProps {
  api: Pick<TabApi, 'twoFactorStatus' | 'startTotpEnrolment' | 'confirmTotpEnrolment' | 'disableTwoFactor' | 'regenerateRecoveryCodes'> & ReauthDialogApi;
  /** Offer single sign-on in the re-check (web only). */
  allowSso?: boolean;
}

/**
 * Two-factor on the Profile page: on or off, adding an authenticator app (QR
 * code, key, first code, then the recovery codes once), new recovery codes
 * (the old ones stop working at once; shown once like at enrolment) and
 * turning it off, both behind the shared re-check dialog.
 */
export function TwoFactorSection({ api, allowSso }: TwoFactorSectionProps) {
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [asked, setAsked] = useState<null | 'turn_off' | 'new_codes'>(null);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ password?: string }>({});

  const load = useCallback(async () => {
    try {
      setStatus(await api.twoFactorStatus());
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.isSignedOut)) setNotice({ kind: 'error', title: 'Two-factor could not be loaded', subtitle: callErrorMessage(caught) });
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  /** Starting asks for the password first: a stolen session alone must not add its own authenticator. */
  const [asking, setAsking] = useState(false);
  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!password) {
      setErrors({ password: 'Enter your password to continue.' });
      return;
    }
    setBusy(true);
    setNotice(null);
    setErrors({});
    try {
      setEnrolment(await api.startTotpEnrolment({ currentPassword: password }));
      setPassword('');
      setAsking(false);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      if (caught instanceof ApiError && caught.code === 'reauth_failed') setErrors({ password: 'That is not your password.' });
      else setNotice({ kind: 'error', title: 'Could not start', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (first: string) => {
    const { recoveryCodes: codes } = await api.confirmTotpEnrolment(first);
    setEnrolment(null);
    setRecoveryCodes(codes);
    await load();
  };

  const turnOff = async (grant: string) => {
    await api.disableTwoFactor({ reauthGrant: grant });
    setAsked(null);
    setRecoveryCodes(null);
    setNotice({ kind: 'success', title: 'Two-factor is off', subtitle: 'Your password alone signs you in now.' });
    await load();
  };

  const newCodes = async (grant: string) => {
    const { recoveryCodes: codes } = await api.regenerateRecoveryCodes({ reauthGrant: grant });
    setAsked(null);
    setNotice(null);
    setRecoveryCodes(codes);
    await load();
  };

  // A passkey alone turns two-factor on too (the tag); the authenticator-app parts below are about the app.
  const totpOn = status?.methods.includes('totp') ?? false;
  return (
    <Tile className="tab-profile__section" data-testid="two-factor-section">
      <h2 className="tab-section-title tab-profile__heading">
        Two-factor sign-in {status && <Tag type={status.enabled ? 'green' : 'gray'} size="sm">{status.enabled ? 'On' : 'Off'}</Tag>}
      </h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {!status && !notice && <InlineLoading description="Loading…" />}
      {recoveryCodes && (
        <Stack gap={5}>
          <RecoveryCodesList codes={recoveryCodes} />
          <div>
            <Button kind="secondary" onClick={() => setRecoveryCodes(null)}>
              I saved them
            </Button>
          </div>
        </Stack>
      )}
      {status && !totpOn && !enrolment && (
        <Stack gap={5}>
          <p>{status.required ? 'Your firm requires two-factor sign-in. Set it up now, or TAB will ask you to at your next sign-in.' : 'Add a code from an authenticator app to every sign-in, so a stolen password alone cannot get in.'}</p>
          {!asking ? (
            <div>
              <Button kind="primary" onClick={() => setAsking(true)}>
                Set up an authenticator app
              </Button>
            </div>
          ) : (
            <Form onSubmit={(e) => void start(e)} aria-label="Confirm it is you" noValidate>
              <Stack gap={5}>
                <PasswordInput id="tab-2fa-on-password" labelText="Your password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} invalid={!!errors.password} invalidText={errors.password} />
                <div className="tab-totp-setup__actions">
                  <Button type="submit" kind="primary" disabled={busy}>
                    Continue
                  </Button>
                  <Button kind="ghost" onClick={() => setAsking(false)}>
                    Cancel
                  </Button>
                </div>
              </Stack>
            </Form>
          )}
        </Stack>
      )}
      {enrolment && <TotpSetup enrolment={enrolment} onConfirm={confirm} onCancel={() => setEnrolment(null)} />}
      {status && totpOn && !recoveryCodes && (
        <Stack gap={5}>
          <p>
            Every sign-in asks for a code from your authenticator app.{' '}
            <span data-testid="recovery-codes-left">{status.recoveryCodesLeft === 1 ? '1 recovery code' : `${status.recoveryCodesLeft} recovery codes`} left.</span>
            {/* Few left: a lost phone could then lock the member out for good. */}
            {status.recoveryCodesLeft <= 3 && ' Running low: make new ones.'}
          </p>
          <div className="tab-totp-setup__actions">
            <Button kind="tertiary" onClick={() => setAsked('new_codes')}>
              Make new recovery codes
            </Button>
            <Button kind="danger--tertiary" onClick={() => setAsked('turn_off')}>
              Turn off two-factor
            </Button>
          </div>
        </Stack>
      )}
      <ReauthDialog
        open={asked === 'new_codes'}
        api={api}
        allowSso={allowSso}
        heading="Make new recovery codes"
        confirmText="Make new codes"
        onConfirmed={newCodes}
        onClose={() => setAsked(null)}
      >
        <p>You get ten new codes, shown once. Every old code stops working at once, used or not.</p>
      </ReauthDialog>
      <ReauthDialog
        open={asked === 'turn_off'}
        api={api}
        allowSso={allowSso}
        danger
        heading="Turn off two-factor"
        confirmText="Turn off"
        onConfirmed={turnOff}
        onClose={() => setAsked(null)}
      >
        <p>Your authenticator app and your recovery codes stop working for TAB.</p>
        {status?.required && <p>Your firm requires two-factor: you will be asked to set it up again at your next sign-in.</p>}
      </ReauthDialog>
    </Tile>
  );
}
