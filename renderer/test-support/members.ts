import type { Member } from '../../shared/api/admin.js';

/** A member as the members list answers it: an active accountant named after its id; override what the test is about. */
export function makeMember(id: string, name: string, overrides: Partial<Member> = {}): Member {
  return {
    id,
    name,
    email: `${id}@demo.test`,
    role: 'accountant',
    status: 'active',
    disabled: false,
    activeSessions: 0,
    lastSeenAt: null,
    invitedAt: null,
    invitationExpiresAt: null,
    ...overrides,
  };
}
