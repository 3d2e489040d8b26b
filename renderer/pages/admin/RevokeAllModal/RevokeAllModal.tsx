import { useState } from 'react';
import { Modal, PasswordInput } from '@carbon/react';
import { ApiError } from '../../../../shared/api/client.js';
import { callErrorMessage } from '../../../auth/messages.js';

export interface RevokeAllModalProps {
  open: boolean;
  revokeAll(password: string): Promise<{ revoked: number }>;
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

  const close = () => {
    setPassword('');
    setError(null);
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
    try {
      const { revoked } = await revokeAll(password);
      setPassword('');
      onDone(revoked);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
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
    </Modal>
  );
}
