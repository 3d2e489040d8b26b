import type { TabApi } from '../../../../shared/api/client.js';
import { ReauthDialog, type ReauthDialogApi } from '../../../components/ReauthDialog/index.js';

export interface RevokeAllModalProps {
  open: boolean;
  api: Pick<TabApi, 'revokeWorkspaceSessions'> & ReauthDialogApi;
  /** Offer single sign-on in the re-check (web only). */
  allowSso: boolean;
  onClose(): void;
  onDone(revoked: number): void;
}

/**
 * Signing out a whole firm is the one action behind a confirmation: the
 * shared re-check dialog asks the admin to prove it is them again (password
 * and code, a passkey, or their single sign-on), so an unlocked laptop is
 * not enough.
 */
export function RevokeAllModal({ open, api, allowSso, onClose, onDone }: RevokeAllModalProps) {
  return (
    <ReauthDialog
      open={open}
      api={api}
      allowSso={allowSso}
      danger
      heading="Revoke all workspace sessions"
      confirmText="Sign everyone out"
      onConfirmed={async (grant) => {
        const { revoked } = await api.revokeWorkspaceSessions({ reauthGrant: grant });
        onDone(revoked);
      }}
      onClose={onClose}
    >
      <p className="tab-revoke-all__text">
        Every member of the workspace is signed out on every device, except this session, and every API token in the workspace stops working.
      </p>
    </ReauthDialog>
  );
}
