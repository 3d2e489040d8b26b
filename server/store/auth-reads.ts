import type { MaybePromise } from '../platform/maybe-promise.js';
import type { SessionListing, SessionWithUser } from '../sessions/session-records.js';
import type { AccountRead } from './account-snapshots.js';

/**
 * The reads every authenticated request makes, kept out of the query builder:
 * raw prepared statements per dialect (server/store/sqlite/auth-reads.ts,
 * server/store/postgres/auth-reads.ts). SQLite answers at once when no
 * transaction holds its connection; PostgreSQL answers with a promise.
 */
export interface AuthReads {
  /** The user's account version as committed now; undefined for a user without one (no such user). */
  version(userId: string): MaybePromise<number | undefined>;
  /** The version, the user and their live sessions, read in one read transaction (so they agree). */
  read(userId: string, now: number, maxSessions: number): MaybePromise<AccountRead | undefined>;
  /** A session's state and its user, straight from the tables: by id, by its current cookie's hash, or by the one its latest rotation replaced. */
  sessionWithUser(by: { id: string } | { cookieHash: Buffer } | { previousCookieHash: Buffer }): MaybePromise<SessionWithUser | undefined>;
  /** The user's sessions live at `now`, oldest first, straight from the table. */
  liveSessions(userId: string, now: number): MaybePromise<SessionListing[]>;
}

/** "Live" = not revoked and not expired at :now (both timeouts), as SQL over a device_sessions row. */
export const LIVE_SESSION_SQL = (now: string) =>
  `revoked_at IS NULL AND expires_at > ${now} AND last_seen_at + idle_timeout_ms > ${now}`;
