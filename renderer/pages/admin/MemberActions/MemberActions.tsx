import { useState } from 'react';
import { Button, Modal, Select, SelectItem } from '@carbon/react';
import type { Role } from '../../../../shared/api/auth.js';
import type { Member } from '../../../../shared/api/admin.js';
import { ApiError, type TabApi } from '../../../../shared/api/client.js';
import type { IssuedLink } from '../../../../shared/api/members.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { IssuedLinkModal } from '../../../components/IssuedLinkModal/index.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { ROLE_NAMES } from '../format.js';
import './MemberActions.scss';

export interface MemberActionsProps {
  member: Member;
  /** The admin is looking at their own account. */
  self: boolean;
  api: Pick<TabApi, 'changeMemberRole' | 'reissueInvitation' | 'cancelInvitation' | 'issuePasswordReset' | 'disableMember' | 'enableMember'>;
  /** Something changed: the page reloads the member and their sessions. */
  onChanged(notice: Notice): void;
  onFailed(notice: Notice): void;
  /** The member is gone (a cancelled invitation). */
  onRemoved(notice: Notice): void;
}

type Confirming = 'deactivate' | 'cancel' | 'reset' | null;

const sessions = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);

/**
 * What an admin does to one member: change the role, manage an invitation,
 * make a password-reset link, deactivate or reactivate. Anything that ends
 * sessions or removes someone asks first and says what will happen.
 */
export function MemberActions({ member, self, api, onChanged, onFailed, onRemoved }: MemberActionsProps) {
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const invited = member.status === 'invited';

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      onFailed({ kind: 'error', title: 'That did not work', subtitle: caught instanceof ApiError && caught.code === 'last_admin' ? 'The firm needs at least one active admin: make someone else an admin first.' : callErrorMessage(caught) });
      setRole(member.role);
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  const changeRole = () =>
    run(async () => {
      const changed = await api.changeMemberRole(member.id, { role });
      onChanged({ kind: 'success', title: `${member.name} is now ${ROLE_NAMES[changed.role].toLowerCase() === 'admin' ? 'an admin' : `a ${ROLE_NAMES[changed.role].toLowerCase()}`}`, subtitle: 'It applies from their next click; their open screens follow at once.' });
    });
  const reissue = () =>
    run(async () => {
      setIssued(await api.reissueInvitation(member.id));
      onChanged({ kind: 'success', title: `New invitation link for ${member.name}`, subtitle: 'The previous link no longer works.' });
    });
  const cancel = () =>
    run(async () => {
      await api.cancelInvitation(member.id);
      onRemoved({ kind: 'success', title: `The invitation of ${member.name} is cancelled` });
    });
  const reset = () =>
    run(async () => {
      setIssued(await api.issuePasswordReset(member.id));
      onChanged({ kind: 'success', title: `Password-reset link for ${member.name}`, subtitle: 'Nothing changes until they use it.' });
    });
  const deactivate = () =>
    run(async () => {
      await api.disableMember(member.id);
      onChanged({ kind: 'success', title: `${member.name} is deactivated`, subtitle: 'Signed out everywhere; their API tokens no longer work.' });
    });
  const reactivate = () =>
    run(async () => {
      await api.enableMember(member.id);
      onChanged({ kind: 'success', title: `${member.name} can sign in again` });
    });

  return (
    <section className="tab-member-actions" aria-label={`Manage ${member.name}`}>
      <div className="tab-member-actions__role">
        <Select id="tab-member-role" labelText="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy || member.status === 'disabled'} size="md">
          {(['accountant', 'manager', 'admin'] as const).map((r) => (
            <SelectItem key={r} value={r} text={ROLE_NAMES[r]} />
          ))}
        </Select>
        <Button kind="tertiary" size="md" disabled={busy || role === member.role} onClick={() => void changeRole()}>
          Change role
        </Button>
      </div>
      <div className="tab-member-actions__buttons">
        {invited && (
          <>
            <Button kind="tertiary" size="md" disabled={busy} onClick={() => void reissue()}>
              New invitation link
            </Button>
            <Button kind="danger--tertiary" size="md" disabled={busy} onClick={() => setConfirming('cancel')}>
              Cancel invitation
            </Button>
          </>
        )}
        {!invited && !self && member.status === 'active' && (
          <Button kind="tertiary" size="md" disabled={busy} onClick={() => setConfirming('reset')}>
            Password-reset link
          </Button>
        )}
        {!self &&
          !invited &&
          (member.status === 'disabled' ? (
            <Button kind="tertiary" size="md" disabled={busy} onClick={() => void reactivate()}>
              Reactivate
            </Button>
          ) : (
            <Button kind="danger--tertiary" size="md" disabled={busy} onClick={() => setConfirming('deactivate')}>
              Deactivate
            </Button>
          ))}
      </div>

      {confirming === 'deactivate' && (
        <Modal
          open
          danger
          size="sm"
          modalHeading={`Deactivate ${member.name}?`}
          primaryButtonText={busy ? 'Deactivating…' : 'Deactivate'}
          secondaryButtonText="Cancel"
          primaryButtonDisabled={busy}
          onRequestSubmit={() => void deactivate()}
          onRequestClose={() => setConfirming(null)}
        >
          <p>
            {member.name} is signed out of {member.activeSessions > 0 ? `all ${sessions(member.activeSessions)}` : 'every device'} at once, and every API token of theirs stops working. They cannot
            sign in until you reactivate them; their time entries stay as they are.
          </p>
        </Modal>
      )}
      {confirming === 'cancel' && (
        <Modal
          open
          danger
          size="sm"
          modalHeading={`Cancel the invitation of ${member.name}?`}
          primaryButtonText={busy ? 'Cancelling…' : 'Cancel invitation'}
          secondaryButtonText="Keep it"
          primaryButtonDisabled={busy}
          onRequestSubmit={() => void cancel()}
          onRequestClose={() => setConfirming(null)}
        >
          <p>Their link stops working and {member.name} leaves the member list. You can invite {member.email} again later.</p>
        </Modal>
      )}
      {confirming === 'reset' && (
        <Modal
          open
          size="sm"
          modalHeading={`Password-reset link for ${member.name}?`}
          primaryButtonText={busy ? 'Making the link…' : 'Make the link'}
          secondaryButtonText="Cancel"
          primaryButtonDisabled={busy}
          onRequestSubmit={() => void reset()}
          onRequestClose={() => setConfirming(null)}
        >
          <p>
            You get a link, valid for 24 hours, to give {member.name}. When they use it to set a new password, every session of theirs ends (they are told why) and their API tokens stop
            working. Until then nothing changes.
          </p>
        </Modal>
      )}
      {issued && <IssuedLinkModal link={issued} name={member.name} onClose={() => setIssued(null)} />}
    </section>
  );
}
