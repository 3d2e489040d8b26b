import { useState } from 'react';
import { InlineLoading } from '@carbon/react';
import type { PasskeyView } from '../../../../shared/api/passkeys.js';
import { ApiError, type TabApi } from '../../../../shared/api/client.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { ReauthDialog, type ReauthDialogApi } from '../../../components/ReauthDialog/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { PasskeyList } from '../../../components/PasskeyList/index.js';
import './MemberPasskeyList.scss';

export interface MemberPasskeyListProps {
  api: Pick<TabApi, 'memberPasskeys' | 'removeMemberPasskey'> & ReauthDialogApi;
  userId: string;
  memberName: string;
  /** Admins, on someone else: a Remove button per passkey. */
  canRemove: boolean;
  allowSso: boolean;
  reloadKey: unknown;
  /** After a removal (or finding it gone already): the page's notice. */
  onRemoved(notice: Notice): void;
}

/**
 * A member's passkeys on their admin page (managers and admins): name, when
 * added and last used, synced or bound to one device; admins remove one (a
 * security key lost with a laptop) after their own re-check. The member's
 * sessions stay: the dialog says so and points at the sessions above, where
 * the lost device's session is signed out.
 */
export function MemberPasskeyList({ api, userId, memberName, canRemove, allowSso, reloadKey, onRemoved }: MemberPasskeyListProps) {
  const state = useApiData(() => api.memberPasskeys(userId), `${userId}:${String(reloadKey)}`);
  const [removing, setRemoving] = useState<PasskeyView | null>(null);
  const passkeys = state.data?.passkeys ?? null;

  const remove = async (passkey: PasskeyView, grant: string) => {
    try {
      await api.removeMemberPasskey(userId, passkey.id, { reauthGrant: grant });
      onRemoved({ kind: 'success', title: `${memberName}’s passkey “${passkey.name}” was removed`, subtitle: 'It stops working at once. Their sessions were not signed out.' });
    } catch (caught) {
      // Removed meanwhile (by the member or another admin): the outcome the admin wanted.
      if (!(caught instanceof ApiError && caught.code === 'passkey_not_found')) throw caught;
      onRemoved({ kind: 'info', title: `${memberName}’s passkey “${passkey.name}” was already removed` });
    }
    setRemoving(null);
    await state.reload();
  };

  return (
    <section className="tab-member-passkeys" aria-labelledby={`tab-member-passkeys-${userId}`} data-testid="member-passkeys">
      <h3 className="tab-member-passkeys__title" id={`tab-member-passkeys-${userId}`}>
        Passkeys
      </h3>
      {passkeys === null && state.loading && <InlineLoading description="Loading passkeys…" />}
      {state.error && <p className="tab-muted">{state.error}</p>}
      {passkeys !== null && passkeys.length === 0 && <p className="tab-muted">No passkeys.</p>}
      {passkeys !== null && passkeys.length > 0 && (
        <PasskeyList
          passkeys={passkeys}
          label={`Passkeys of ${memberName}`}
          rowTestId="member-passkey-row"
          removeLabel={(p) => `Remove ${memberName}’s passkey ${p.name}`}
          onRemove={canRemove ? setRemoving : undefined}
        />
      )}
      {removing && (
        <ReauthDialog
          open
          api={api}
          allowSso={allowSso}
          danger
          heading={`Remove ${memberName}’s passkey “${removing.name}”`}
          confirmText="Remove passkey"
          onConfirmed={(grant) => remove(removing, grant)}
          onClose={() => setRemoving(null)}
        >
          <p>For a lost or replaced security key or device. The passkey stops working for TAB at once; {memberName} is told and can add a new one on their Profile.</p>
          <p>Their sessions are not signed out. If the device was lost, also sign out its session under Active sessions.</p>
        </ReauthDialog>
      )}
    </section>
  );
}
