import { useState } from 'react';
import { Modal, PasswordInput } from '@carbon/react';
import { ApiError } from '../../../../shared/api/client.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { ReauthCodeField, reauthCodeProblem } from '../../../components/ReauthCodeField/index.js';

export interface RevokeAllModalProps {
  open: boolean;
  /** With the authenticator code once the server asked for it (the admin has two-factor). */
  revokeAll(password: string, code?: string): Promise<{ revoked: number }>;
  onClose(): void;
  onDone(revoked: number): void;
}

/**
 * Signing out a whole firm is the one action behind a confirmation: it asks for
 * the admin's password again, so an unlocked laptop is not enough.
 */
export function RevokeAllModal({ open, revokeAll, onClose, onDone }: RevokeAllModalProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);

  const close = () => {
    setPassword('');
    setCode('');
    setError(null);
    setCodeError(undefined);
    onClose();
  };

  const submit = async () => {
    if (pending) return;
    if (!password) {
      setError('Enter your password to confirm.');
      return;
    }
    setPending(true);
    setError(null);
    setCodeError(undefined);
    try {
      const { revoked } = await revokeAll(password, needsCode ? code.trim() : undefined);
      setPassword('');
      setCode('');
      onDone(revoked);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      const codeProblem = reauthCodeProblem(caught);
      if (codeProblem) {
        setNeedsCode(true);
        setCodeError(codeProblem);
        return;
      }
      setError(
        caught instanceof ApiError && caught.code === 'reauth_failed'
          ? 'That password is not right. Nobody was signed out.'
          : callErrorMessage(caught),
      );
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={open}
      danger
      modalHeading="Revoke all workspace sessions"
      primaryButtonText={pending ? 'Signing everyone out…' : 'Sign everyone out'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={pending}
      onRequestClose={close}
      onRequestSubmit={() => void submit()}
      shouldSubmitOnEnter
      size="sm"
    >
      <p className="tab-revoke-all__text">
        Every member of the workspace is signed out on every device, except this session, and every API token in the workspace stops
        working. Enter your password to confirm.
      </p>
      <PasswordInput
        id="tab-revoke-all-password"
        labelText="Your password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        invalid={error !== null}
        invalidText={error ?? undefined}
        data-modal-primary-focus
      />
      {needsCode && <ReauthCodeField id="tab-revoke-all-code" value={code} onChange={setCode} error={codeError} />}
    </Modal>
  );
}
