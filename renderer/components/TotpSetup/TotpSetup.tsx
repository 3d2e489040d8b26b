import { useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, Stack } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import type { TotpEnrolment } from '../../../shared/api/mfa.js';
import { ApiError } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import './TotpSetup.scss';

export interface TotpSetupProps {
  enrolment: TotpEnrolment;
  /** Sends the first code; throws ApiError `mfa_code_invalid` when it is not right. */
  onConfirm(code: string): Promise<void>;
  onCancel?(): void;
  confirmLabel?: string;
}

/** The secret as people type it: groups of four. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * Adding an authenticator app: the QR code (the server's SVG of the
 * otpauth URI, shown as an image, never as markup), the secret to type
 * instead, and the first code that confirms it. The same on the Profile page
 * and at a sign-in the firm's policy sent to enrol.
 */
export function TotpSetup({ enrolment, onConfirm, onCancel, confirmLabel = 'Turn on two-factor' }: TotpSetupProps) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setError('Enter the 6-digit code your app shows.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(code.replace(/\s/g, ''));
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'mfa_code_invalid' ? 'That code is not right. Check the app shows TAB and try the newest code.' : callErrorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <div className="tab-totp-setup" data-testid="totp-setup">
      <ol className="tab-totp-setup__steps">
        <li>Open an authenticator app (Microsoft Authenticator, Google Authenticator, 1Password…) and add an account.</li>
        <li>Scan this QR code, or type the key below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <img className="tab-totp-setup__qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`} alt="QR code to scan with your authenticator app" width={176} height={176} data-testid="totp-qr" />
      <p className="tab-totp-setup__key">
        Key: <code data-testid="totp-secret">{grouped(enrolment.secret)}</code>
      </p>
      <Form onSubmit={(e) => void submit(e)} aria-label="Confirm your authenticator app" noValidate>
        <Stack gap={5}>
          <TextInput
            id="tab-totp-setup-code"
            labelText="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            invalid={error !== null}
            invalidText={error ?? undefined}
          />
          <div className="tab-totp-setup__actions">
            {busy ? (
              <InlineLoading description="Checking…" status="active" />
            ) : (
              <>
                <Button type="submit" kind="primary">
                  {confirmLabel}
                </Button>
                {onCancel && (
                  <Button kind="ghost" onClick={onCancel}>
                    Cancel
                  </Button>
                )}
              </>
            )}
          </div>
        </Stack>
      </Form>
    </div>
  );
}
