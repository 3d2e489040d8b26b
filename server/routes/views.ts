import type { User } from '../../shared/api/auth.js';
import type { StoredUser } from '../store/types.js';

export function toUserView(user: StoredUser): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId };
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
