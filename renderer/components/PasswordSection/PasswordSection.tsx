import { useState, type FormEvent } from 'react';
import { Button, Form, Stack, Tile } from '@carbon/react';
import { Checkbox } from '../Fields/index.js';
import { PasswordInput } from '../Fields/index.js';
import { PASSWORD_MIN } from '../../../shared/api/auth.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import { ReauthCodeField, reauthCodeProblem } from '../ReauthCodeField/index.js';

export interface PasswordSectionProps {
  api: Pick<TabApi, 'changePassword'>;
  /** After a change that signed other devices out: their rows leave the sessions card. */
  onChanged?(revoked: number): void;
}

interface FieldErrors {
  current?: string;
  next?: string;
  confirm?: string;
  code?: string;
}

const sessions = (n: number) => (n === 1 ? '1 other session' : `${n} other sessions`);

/**
 * Change your password. "Sign out my other sessions" is on by default: a
 * password is usually changed because another device should not have it.
 * This session stays signed in either way.
 */
export function PasswordSection({ api, onChanged }: PasswordSectionProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  /** Shown once the server says the account has two-factor. */
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: FieldErrors = {};
    if (!current) found.current = 'Enter your current password.';
    if (next.length < PASSWORD_MIN) found.next = `Use at least ${PASSWORD_MIN} characters.`;
    else if (next === current) found.next = 'The new password must differ from the current one.';
    if (confirm !== next) found.confirm = 'The two new passwords do not match.';
    setErrors(found);
    setNotice(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const { revoked } = await api.changePassword({ currentPassword: current, newPassword: next, signOutOtherSessions: signOutOthers, ...(needsCode ? { code: code.trim() } : {}) });
      setCode('');
      setCurrent('');
      setNext('');
      setConfirm('');
      setNotice({ kind: 'success', title: 'Password changed', subtitle: signOutOthers ? (revoked > 0 ? `Signed out ${sessions(revoked)}.` : 'No other session was signed in.') : 'Your other sessions stay signed in.' });
      onChanged?.(revoked);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      const codeProblem = reauthCodeProblem(caught);
      if (codeProblem) {
        setNeedsCode(true);
        setErrors({ code: codeProblem });
      } else if (caught instanceof ApiError && caught.code === 'reauth_failed') setErrors({ current: 'That is not your current password. Nothing was changed.' });
      else if (caught instanceof ApiError && caught.code === 'invalid_request') setErrors({ next: caught.message });
      else setNotice({ kind: 'error', title: 'The password was not changed', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tile className="tab-profile__section" data-testid="password-section">
      <h2 className="tab-section-title tab-profile__heading">Password</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <Form onSubmit={(e) => void submit(e)} aria-label="Change your password" noValidate>
        <Stack gap={6}>
          <PasswordInput
            id="tab-password-current"
            labelText="Current password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            invalid={errors.current !== undefined}
            invalidText={errors.current}
          />
          {needsCode && <ReauthCodeField id="tab-password-code" value={code} onChange={setCode} error={errors.code} />}
          <PasswordInput
            id="tab-password-new"
            labelText="New password"
            helperText={`At least ${PASSWORD_MIN} characters.`}
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            invalid={errors.next !== undefined}
            invalidText={errors.next}
          />
          <PasswordInput
            id="tab-password-confirm"
            labelText="New password, again"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            invalid={errors.confirm !== undefined}
            invalidText={errors.confirm}
          />
          <Checkbox
            id="tab-password-sign-out"
            labelText="Sign out my other sessions"
            helperText="Every other device has to sign in again with the new password. This one stays signed in."
            checked={signOutOthers}
            onChange={(_, { checked }) => setSignOutOthers(checked)}
          />
          <div>
            <Button type="submit" kind="primary" disabled={busy}>
              {busy ? 'Changing…' : 'Change password'}
            </Button>
          </div>
        </Stack>
      </Form>
    </Tile>
  );
}
