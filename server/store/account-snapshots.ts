import { setBounded } from '../platform/bounded-map.js';
import { andThen, type MaybePromise } from '../platform/maybe-promise.js';
import { sessionExpiry, type SessionListing, type SessionState } from '../sessions/session-records.js';
import type { AccountUser } from './identity.js';

/** A live session as a snapshot holds it: what authentication and the sessions list read. */
export type SnapshotSession = Readonly<SessionState & SessionListing>;

/** One user's account as of one version: the user's row and their live sessions. */
export interface AccountRead {
  version: number;
  user: AccountUser;
  /** Sessions live at the time of the read, oldest first; at most `maxSessions + 1`. */
  sessions: (SessionState & SessionListing)[];
}

/**
 * Where snapshots come from: the store, which holds the SQL. SQLite answers at
 * once and PostgreSQL later; the snapshots answer the same way (MaybePromise),
 * so SQLite's path never waits a turn of the event loop for nothing.
 */
export interface AccountSource {
  /** The user's account version as committed now; undefined for a user without one (no such user). */
  version(userId: string): MaybePromise<number | undefined>;
  /** The version, the user and their live sessions, read in one read transaction (so they agree). */
  read(userId: string, now: number, maxSessions: number): MaybePromise<AccountRead | undefined>;
}

export interface AccountSnapshot {
  readonly version: number;
  /** `now` at the read: sessions that had expired by then are not in it. */
  readonly readAt: number;
  readonly user: Readonly<AccountUser>;
  /** Live at `readAt`, oldest first. */
  readonly sessions: readonly SnapshotSession[];
  readonly byId: ReadonlyMap<string, SnapshotSession>;
}

export interface SnapshotLimits {
  /** A user with more live sessions than this is read from the database every time. */
  maxSessions: number;
  /** Snapshots kept at most; beyond it the one read longest ago is dropped (and simply read again when needed). */
  maxUsers: number;
}

/** About 10,000 × a few KB: tens of MB at most, for a firm far larger than one SQLite file serves. */
export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = { maxSessions: 100, maxUsers: 10_000 };

type Kept = AccountSnapshot | { version: number; oversized: true };

/**
 * What authenticating a request and listing a user's sessions read about a
 * user, kept in memory while the user's account version is unchanged.
 *
 * Every call first reads the version from the database, and migration 4's
 * triggers move it with every committed change to the user's row or any of
 * their sessions, by any connection or process. So a snapshot is never used
 * after a revocation, a sign-out, a disable or a role change has committed:
 * revocation still bites on the very next request. What is saved is the
 * reading of rows that have not changed, which is most of an authenticated
 * request's database time. Expiry needs no version: it is decided from the
 * stored instants at each call. The one read that skips the version is a list
 * `asOf` a version the same request has just read (one request, one state).
 *
 * Everything handed out is frozen: a caller that tried to change a snapshot
 * would throw rather than corrupt what the next request sees.
 */
export class AccountSnapshots {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly source: AccountSource,
    private readonly limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
  ) {}

  /** The user's account as committed now, or undefined where a snapshot cannot answer (unknown user, too many sessions). */
  current(userId: string, now: number): MaybePromise<AccountSnapshot | undefined> {
    return andThen(this.source.version(userId), (version) => {
      if (version === undefined) return undefined;
      const kept = this.kept.get(userId);
      if (kept && kept.version === version) return 'oversized' in kept ? undefined : kept;
      return andThen(this.source.read(userId, now, this.limits.maxSessions), (read) => this.keep(userId, read, now));
    });
  }

  private keep(userId: string, read: AccountRead | undefined, now: number): AccountSnapshot | undefined {
    this.kept.delete(userId);
    if (!read) return undefined;
    const fresh = read.sessions.length > this.limits.maxSessions ? { version: read.version, oversized: true as const } : snapshotOf(read, now);
    setBounded(this.kept, userId, fresh, this.limits.maxUsers);
    return 'oversized' in fresh ? undefined : fresh;
  }

  /**
   * The user's sessions live at `now`, or undefined where the snapshot cannot
   * tell: a clock earlier than the read could make live again a session that
   * had expired by then, so that case goes to the database. With `asOf`, a
   * version the caller already read in this request, a snapshot of that
   * version answers without reading the version again.
   */
  liveSessions(userId: string, now: number, asOf: number | null = null): MaybePromise<SnapshotSession[] | undefined> {
    const kept = asOf === null ? undefined : this.kept.get(userId);
    const snapshot = kept && kept.version === asOf && !('oversized' in kept) ? kept : this.current(userId, now);
    return andThen(snapshot, (found) => {
      if (!found || now < found.readAt) return undefined;
      return found.sessions.filter((session) => sessionExpiry(session, now) === null);
    });
  }

  /** Drops everything kept (the store is closing). */
  clear(): void {
    this.kept.clear();
  }
}

function snapshotOf(read: AccountRead, now: number): AccountSnapshot {
  const sessions = read.sessions.map((session) => Object.freeze({ ...session }));
  return Object.freeze({
    version: read.version,
    readAt: now,
    user: Object.freeze({ ...read.user }),
    sessions: Object.freeze(sessions),
    byId: new Map(sessions.map((session) => [session.id, session])),
  });
}
