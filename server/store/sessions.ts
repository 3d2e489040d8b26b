import type {
  AccountVersion,
  CookieRotation,
  NewSession,
  RevokedSession,
  Revocation,
  SessionBaseline,
  SessionListing,
  SessionSighting,
  SessionWithUser,
  StoredSession,
} from '../sessions/session-records.js';
import type { MaybePromise } from '../platform/maybe-promise.js';
import type { AlsoApiTokens } from './api-tokens.js';
import type { AuditInput } from './audit.js';

/** Sessions. The records are the sessions domain's (server/sessions/session-records.ts). */
export interface SessionStore {
  /**
   * Inserts a session. With `maxConcurrent`, first revokes the user's oldest
   * active sessions (reason `session_limit`) so that, with the new one, no more
   * than `maxConcurrent` are active: in the same transaction, serialized per
   * user, so concurrent sign-ins can never leave more than the limit.
   */
  createSession(input: NewSession, maxConcurrent: number | null, audit: AuditInput): Promise<{ session: StoredSession; evicted: RevokedSession[] }>;
  findSessionById(id: string): Promise<StoredSession | undefined>;
  /**
   * The session and its user: what authenticating a request needs, as
   * committed now. By id, `userId` is the user the caller claims (a JWT's
   * `sub`); a session of another user is still answered, for the caller to
   * refuse. `now` only decides which sessions an account read keeps.
   * SQLite answers at once (no promise) when the account's snapshot holds it.
   */
  findSessionWithUser(by: { id: string; userId: string } | { cookieHash: Buffer }, now: number): MaybePromise<SessionWithUser | undefined>;
  /**
   * Replaces the session's cookie: the presented one (`fromHash`, which must
   * still be the current one of a session not revoked) becomes the remembered
   * previous one, `toHash` the current one, not yet used, issued at `at` (or
   * 1 ms after the replaced one's issue, if that is not earlier). False when
   * `fromHash` was no longer current (another rotation came first): nothing
   * changed.
   */
  rotateCookie(rotation: CookieRotation): Promise<boolean>;
  /** Records the first use of the session's current cookie since its rotation (once). */
  markCookieUsed(sessionId: string, at: number): Promise<void>;
  /** Moves last_seen_at forward, and records where the session was seen from when given; the caller decides how often. */
  touchSession(id: string, now: number, seen?: SessionSighting): Promise<void>;
  /**
   * Sets a live session's baseline (country, browser family, OS) and where it
   * was seen, if its baseline is still `expected`: of concurrent requests that
   * saw the same move, exactly one changes it (and writes `audit`, when
   * given). True for that one.
   */
  moveSessionBaseline(id: string, expected: SessionBaseline, next: SessionBaseline & SessionSighting, audits: AuditInput[]): Promise<boolean>;
  /**
   * The user's sessions that are neither revoked nor expired at `now`. With
   * `asOf`, an account version this request already read (findSessionWithUser),
   * the store may answer from that read rather than read the account again:
   * the request then sees one consistent state of the account.
   */
  listActiveSessions(userId: string, now: number, asOf?: AccountVersion | null): Promise<SessionListing[]>;
  /** Revokes one session if it is still live; false when there was nothing to revoke. */
  revokeSession(id: string, revocation: Revocation, audit: AuditInput): Promise<boolean>;
  /**
   * Revokes the user's live sessions (except one); answers those revoked now.
   * With `also.apiTokens`, the user's live API tokens too, in the same
   * transaction (one `api_token_revoked` audit row).
   */
  revokeUserSessions(
    userId: string,
    exceptSessionId: string | null,
    revocation: Revocation,
    now: number,
    audit: AuditInput,
    also?: AlsoApiTokens,
  ): Promise<RevokedSession[]>;
  /** Revokes every live session in the workspace (except one) and every live API token in it; answers the sessions revoked now. */
  revokeWorkspaceSessions(workspaceId: string, exceptSessionId: string | null, revocation: Revocation, now: number, audit: AuditInput): Promise<RevokedSession[]>;
  /** Records, once, that an expired session was noticed; true the first time. */
  markExpiryNoticed(id: string, at: number, audit: AuditInput): Promise<boolean>;
}
