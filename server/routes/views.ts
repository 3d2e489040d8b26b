import type { ApiToken } from '../../shared/api/api-tokens.js';
import type { User } from '../../shared/api/auth.js';
import type { AccountUser, StoredApiToken, TabStore } from '../store/types.js';
import { HttpError } from '../http/http-error.js';
import { toSessionView } from '../sessions/session-view.js';

export function toUserView(user: AccountUser): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId };
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The API's view of a stored token: never its value or hash. */
export function toApiTokenView(t: StoredApiToken): ApiToken {
  return { id: t.id, name: t.name, scopes: t.scopes, createdAt: iso(t.createdAt)!, expiresAt: iso(t.expiresAt), lastUsedAt: iso(t.lastUsedAt) };
}

/** The full session row for showing it (authentication reads only its state). */
export async function currentSessionView(store: TabStore, sessionId: string) {
  const session = await store.findSessionById(sessionId);
  if (!session) throw new HttpError('unauthenticated', 'Sign in to continue.');
  return toSessionView(session, sessionId);
}
