import { hashPassword } from '../../server/security/password.js';
import type { TabStore } from '../../server/store/types.js';
import type { Role } from '../../shared/api/auth.js';

/** A second firm, to prove that nothing crosses workspaces. */
export async function createOtherFirm(store: TabStore, now = Date.now()) {
  const workspace = await store.createWorkspace({ name: 'Other firm', now });
  const passwordHash = await hashPassword('other-pass-2026');
  const users: Record<Role, string> = { admin: '', manager: '', accountant: '' };
  for (const role of ['admin', 'manager', 'accountant'] as const) {
    const user = await store.createUser({ workspaceId: workspace.id, email: `${role}@other.test`, name: `Other ${role}`, role, passwordHash, now });
    users[role] = user.id;
  }
  return { workspace, users, password: 'other-pass-2026' };
}
