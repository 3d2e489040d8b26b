import type { AccountUser, StoredApiToken } from '../store/types.js';
import type { AccountVersion, SessionState } from './session-records.js';

/** Who is calling, established once per request by the authenticator. */
export type AuthContext =
  | {
      kind: 'session';
      user: AccountUser;
      session: SessionState;
      viaCookie: boolean;
      /** The account version authentication read, for the request's later reads of the same account; null when it has changed since. */
      accountVersion: AccountVersion | null;
      /** A session cookie the response must set (the cookie rotated, or the current one is sent again). */
      setCookie?: string;
    }
  | { kind: 'api_token'; user: AccountUser; token: StoredApiToken };

export function currentSessionId(auth: AuthContext): string | null {
  return auth.kind === 'session' ? auth.session.id : null;
}

/** A caller authenticated by a session (JWT or cookie). */
export type SessionAuth = Extract<AuthContext, { kind: 'session' }>;
