import type { MaybePromise } from '../../platform/maybe-promise.js';
import type { SessionListing, SessionState, SessionWithUser, StoredSession } from '../../sessions/session-records.js';
import type { AccountRead } from '../account-snapshots.js';
import { LIVE_SESSION_SQL, type AuthReads } from '../auth-reads.js';
import type { AccountUser, StoredUser } from '../identity.js';
import { isBusy, retryWhileBusy } from './busy.js';
import type { ConnectionGate } from './gate.js';
import type { Db } from './open.js';

/** Session columns by the StoredSession field they fill. */
const SESSION_FIELDS: Record<keyof StoredSession, string> = {
  id: 'id',
  userId: 'user_id',
  workspaceId: 'workspace_id',
  clientKind: 'client_kind',
  label: 'label',
  labelSource: 'label_source',
  browser: 'browser',
  os: 'os',
  ip: 'ip',
  createdAt: 'created_at',
  lastSeenAt: 'last_seen_at',
  expiresAt: 'expires_at',
  idleTimeoutMs: 'idle_timeout_ms',
  revokedAt: 'revoked_at',
  revokedBy: 'revoked_by',
  revokeReason: 'revoke_reason',
  expiryNoticedAt: 'expiry_noticed_at',
  cookieIssuedAt: 'cookie_issued_at',
  cookieUsedAt: 'cookie_used_at',
  lastIp: 'last_ip',
  locationCity: 'location_city',
  locationRegion: 'location_region',
  locationCountry: 'location_country',
  locationCountryCode: 'location_country_code',
  baselineCountryCode: 'baseline_country_code',
  browserFamily: 'browser_family',
  osFamily: 'os_family',
};
/** Field lists checked against their interfaces, so a new field cannot be forgotten. */
const fieldsOf = <T>(fields: Record<keyof T, true>) => Object.keys(fields) as (keyof StoredSession)[];
const STATE_FIELDS = fieldsOf<SessionState>({
  id: true, userId: true, workspaceId: true, createdAt: true, lastSeenAt: true, expiresAt: true,
  idleTimeoutMs: true, revokedAt: true, revokeReason: true, expiryNoticedAt: true, cookieIssuedAt: true, cookieUsedAt: true,
  lastIp: true, baselineCountryCode: true, browserFamily: true, osFamily: true,
});
const LISTING_FIELDS = fieldsOf<SessionListing>({
  id: true, clientKind: true, label: true, labelSource: true, browser: true, os: true, ip: true, lastIp: true,
  locationCity: true, locationRegion: true, locationCountry: true, locationCountryCode: true, createdAt: true, lastSeenAt: true,
});
/** A raw liveSessionsOfUser row, in LISTING_FIELDS order. */
function listingOf(row: unknown[]): SessionListing {
  const [id, clientKind, label, labelSource, browser, os, ip, lastIp, locationCity, locationRegion, locationCountry, locationCountryCode, createdAt, lastSeenAt] = row;
  return { id, clientKind, label, labelSource, browser, os, ip, lastIp, locationCity, locationRegion, locationCountry, locationCountryCode, createdAt, lastSeenAt } as SessionListing;
}
const sessionColumns = (fields: (keyof StoredSession)[], table = '') =>
  fields.map((field) => `${table}${SESSION_FIELDS[field]} AS ${field}`).join(', ');

const ACCOUNT_USER_COLUMNS = `id, workspace_id AS workspaceId, email, name, role,
  disabled_at AS disabledAt, created_at AS createdAt, time_zone AS timeZone`;

/**
 * A session's state and its user in one read (user columns prefixed u_): what
 * authenticating a request needs, and nothing more (no display fields, no
 * password hash), since every request pays for each column read.
 */
const SESSION_WITH_USER = `SELECT ${sessionColumns(STATE_FIELDS, 's.')},
  u.email AS u_email, u.name AS u_name, u.role AS u_role,
  u.disabled_at AS u_disabledAt, u.created_at AS u_createdAt, u.time_zone AS u_timeZone
  FROM device_sessions s JOIN users u ON u.id = s.user_id`;

const LIVE = LIVE_SESSION_SQL(':now');

type SessionWithUserRow = SessionState & {
  u_email: string;
  u_name: string;
  u_role: StoredUser['role'];
  u_disabledAt: number | null;
  u_createdAt: number;
  u_timeZone: string;
};

/**
 * The authentication hot path on SQLite: raw statements prepared once, run
 * synchronously when no transaction holds the connection (after it
 * otherwise: its uncommitted rows must not be read). The query builder would
 * cost every request a compile and a few promises.
 */
export class SqliteAuthReads implements AuthReads {
  private readonly s;

  constructor(
    db: Db,
    private readonly gate: ConnectionGate,
    private readonly writeWaitMs: number,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      version: p(`SELECT version FROM account_versions WHERE user_id = ?`).pluck(),
      accountUser: p(`SELECT ${ACCOUNT_USER_COLUMNS} FROM users WHERE id = ?`),
      accountSessions: p(`SELECT ${sessionColumns([...new Set([...STATE_FIELDS, ...LISTING_FIELDS])])} FROM device_sessions
        WHERE user_id = :userId AND ${LIVE} ORDER BY created_at LIMIT :limit`),
      sessionWithUserById: p(`${SESSION_WITH_USER} WHERE s.id = ?`),
      sessionWithUserByCookie: p(`${SESSION_WITH_USER} WHERE s.cookie_hash = ?`),
      sessionWithUserByPreviousCookie: p(`${SESSION_WITH_USER} WHERE s.previous_cookie_hash = ?`),
      // Raw rows (arrays), turned into objects by listingOf(): about a quarter cheaper on the hottest list.
      liveSessions: p(`SELECT ${LISTING_FIELDS.map((f) => SESSION_FIELDS[f]).join(', ')} FROM device_sessions
        WHERE user_id = :userId AND ${LIVE} ORDER BY created_at`).raw(true),
    };
    // The account's rows in one deferred (read) transaction, so that they belong to the version read with them.
    this.readInTransaction = db.transaction((userId: string, now: number, maxSessions: number): AccountRead | undefined => {
      const version = this.s.version.get(userId) as number | undefined;
      const user = this.s.accountUser.get(userId) as AccountUser | undefined;
      if (version === undefined || !user) return undefined;
      const sessions = this.s.accountSessions.all({ userId, now, limit: maxSessions + 1 }) as AccountRead['sessions'];
      return { version, user, sessions };
    }).deferred;
  }

  private readonly readInTransaction: (userId: string, now: number, maxSessions: number) => AccountRead | undefined;

  version(userId: string) {
    return this.#read(() => this.s.version.get(userId) as number | undefined);
  }

  read(userId: string, now: number, maxSessions: number) {
    return this.#read(() => this.readInTransaction(userId, now, maxSessions));
  }

  sessionWithUser(by: { id: string } | { cookieHash: Buffer } | { previousCookieHash: Buffer }) {
    return this.#read((): SessionWithUser | undefined => {
      const statement =
        'id' in by ? this.s.sessionWithUserById : 'cookieHash' in by ? this.s.sessionWithUserByCookie : this.s.sessionWithUserByPreviousCookie;
      const row = statement.get('id' in by ? by.id : 'cookieHash' in by ? by.cookieHash : by.previousCookieHash) as SessionWithUserRow | undefined;
      if (!row) return undefined;
      const { u_email, u_name, u_role, u_disabledAt, u_createdAt, u_timeZone, ...session } = row;
      const user: AccountUser = { id: session.userId, workspaceId: session.workspaceId, email: u_email, name: u_name, role: u_role, disabledAt: u_disabledAt, createdAt: u_createdAt, timeZone: u_timeZone };
      return { session, user, accountVersion: null };
    });
  }

  liveSessions(userId: string, now: number) {
    return this.#read(() => (this.s.liveSessions.all({ userId, now }) as unknown[][]).map(listingOf));
  }

  /** At once when the connection is free, in its turn otherwise; a rare SQLITE_BUSY (WAL recovery, checkpoint) is waited out on timers. */
  #read<T>(read: () => T): MaybePromise<T> {
    if (this.gate.held) return this.#readWhenNotBusy(read);
    try {
      return read();
    } catch (error) {
      if (!isBusy(error)) throw error;
      return this.#readWhenNotBusy(read);
    }
  }

  /** In the connection's turn (after any transaction holding it), waiting out another process's lock on timers. */
  async #readWhenNotBusy<T>(read: () => T): Promise<T> {
    await this.gate.lock();
    try {
      return await retryWhileBusy(read, this.writeWaitMs, { before: () => this.gate.unlock(), after: () => this.gate.lock() });
    } finally {
      this.gate.unlock();
    }
  }
}
