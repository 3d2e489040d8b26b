import { Tag } from '@carbon/react';
import type { Member } from '../../../../shared/api/admin.js';

/** Active, invited (until when), or deactivated. */
export function MemberStatusTag({ member }: { member: Member }) {
  if (member.status === 'disabled')
    return (
      <Tag type="red" size="sm">
        Deactivated
      </Tag>
    );
  if (member.status === 'invited') {
    const expired = member.invitationExpiresAt === null || Date.parse(member.invitationExpiresAt) <= Date.now();
    return (
      <Tag type={expired ? 'warm-gray' : 'blue'} size="sm">
        {expired ? 'Invitation expired' : 'Invited'}
      </Tag>
    );
  }
  return (
    <Tag type="gray" size="sm">
      Active
    </Tag>
  );
}
