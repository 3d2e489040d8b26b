import type { StoredApiToken, StoredSession, StoredUser } from '../store/types.js';

/** Who is calling, established once per request by the authenticator. */
export type AuthContext =
  | { kind: 'session'; user: StoredUser; session: StoredSession; viaCookie: boolean }
  | { kind: 'api_token'; user: StoredUser; token: StoredApiToken };

export function currentSessionId(auth: AuthContext): string | null {
  return auth.kind === 'session' ? auth.session.id : null;
}
