import type { AccountUser, SessionState, StoredApiToken } from '../store/types.js';

/** Who is calling, established once per request by the authenticator. */
export type AuthContext =
  | { kind: 'session'; user: AccountUser; session: SessionState; viaCookie: boolean }
  | { kind: 'api_token'; user: AccountUser; token: StoredApiToken };

export function currentSessionId(auth: AuthContext): string | null {
  return auth.kind === 'session' ? auth.session.id : null;
}
