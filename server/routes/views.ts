import type { User } from '../../shared/api/auth.js';
import type { AccountUser, TabStore } from '../store/types.js';
import { HttpError } from '../http/http-error.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { toSessionView } from '../sessions/session-view.js';

export function toUserView(user: AccountUser): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId };
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Checks the caller's password again before a sensitive change. Authentication
 * does not read password hashes (every request would pay for it), so it is
 * read here. Never a 401: to every TAB client a 401 means "signed out".
 */
export async function assertPassword(
  deps: { store: TabStore; passwords: PasswordHasher },
  userId: string,
  password: string,
  message: string,
): Promise<void> {
  const user = await deps.store.findUserById(userId);
  if (!user || !(await deps.passwords.verify(password, user.passwordHash))) throw new HttpError('reauth_failed', message);
}

/** The full session row for showing it (authentication reads only its state). */
export async function currentSessionView(store: TabStore, sessionId: string) {
  const session = await store.findSessionById(sessionId);
  if (!session) throw new HttpError('unauthenticated', 'Sign in to continue.');
  return toSessionView(session, sessionId);
}
