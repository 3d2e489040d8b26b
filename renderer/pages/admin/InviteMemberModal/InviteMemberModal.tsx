import { useState } from 'react';
import { InlineNotification, Modal, Select, SelectItem, Stack } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import type { Role } from '../../../../shared/api/auth.js';
import { ApiError } from '../../../../shared/api/client.js';
import type { InvitedMember, InviteMemberRequest } from '../../../../shared/api/members.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { ROLE_NAMES } from '../format.js';

export interface InviteMemberModalProps {
  invite(body: InviteMemberRequest): Promise<InvitedMember>;
  onInvited(result: InvitedMember): void;
  onClose(): void;
}

const ROLE_HELP: Record<Role, string> = {
  accountant: 'Tracks their own time.',
  manager: 'Also sees everyone’s time, the reports and the members.',
  admin: 'Also manages members, security and the firm’s settings.',
};

/** Name, e-mail and role of a new member; the invitation link comes next, shown once. */
export function InviteMemberModal({ invite, onInvited, onClose }: InviteMemberModalProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('accountant');
  const [errors, setErrors] = useState<{ name?: string; email?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    const found: typeof errors = {};
    if (!name.trim()) found.name = 'Enter their name.';
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) found.email = 'Enter an e-mail address, like ana@firm.example.';
    setErrors(found);
    if (found.name || found.email) return;
    setBusy(true);
    try {
      onInvited(await invite({ name: name.trim(), email: email.trim(), role }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'conflict') setErrors({ email: 'Someone with this address is already a TAB user.' });
      else setErrors({ form: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      size="sm"
      modalHeading="Invite a member"
      primaryButtonText={busy ? 'Inviting…' : 'Invite'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={busy}
      onRequestSubmit={() => void submit()}
      onRequestClose={onClose}
      shouldSubmitOnEnter
    >
      <Stack gap={6}>
        <p>They appear as “invited” at once. You get a link to give them, valid for 7 days; with it they set their password.</p>
        {errors.form && <InlineNotification kind="error" lowContrast hideCloseButton role="alert" title="Nobody was invited" subtitle={errors.form} />}
        <TextInput id="tab-invite-name" labelText="Name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} invalid={!!errors.name} invalidText={errors.name} data-modal-primary-focus />
        <TextInput id="tab-invite-email" labelText="E-mail" type="email" value={email} maxLength={320} onChange={(e) => setEmail(e.target.value)} invalid={!!errors.email} invalidText={errors.email} />
        <Select id="tab-invite-role" labelText="Role" helperText={ROLE_HELP[role]} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {(['accountant', 'manager', 'admin'] as const).map((r) => (
            <SelectItem key={r} value={r} text={ROLE_NAMES[r]} />
          ))}
        </Select>
      </Stack>
    </Modal>
  );
}
