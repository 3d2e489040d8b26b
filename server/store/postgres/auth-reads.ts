import type pg from 'pg';
import type { SessionListing, SessionState, SessionWithUser } from '../../sessions/session-records.js';
import type { AccountRead } from '../account-snapshots.js';
import { LIVE_SESSION_SQL, type AuthReads } from '../auth-reads.js';
import type { AccountUser } from '../identity.js';

const STATE_COLUMNS = `s.id, s.user_id AS "userId", s.workspace_id AS "workspaceId", s.created_at AS "createdAt",
  s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt", s.idle_timeout_ms AS "idleTimeoutMs",
  s.revoked_at AS "revokedAt", s.revoke_reason AS "revokeReason", s.expiry_noticed_at AS "expiryNoticedAt",
  s.cookie_issued_at AS "cookieIssuedAt", s.cookie_used_at AS "cookieUsedAt",
  s.last_ip AS "lastIp", s.baseline_country_code AS "baselineCountryCode", s.browser_family AS "browserFamily", s.os_family AS "osFamily"`;
const LISTING_COLUMNS = `s.client_kind AS "clientKind", s.label, s.label_source AS "labelSource", s.browser, s.os, s.ip, s.last_ip AS "lastIp", s.location_city AS "locationCity",
  s.location_region AS "locationRegion", s.location_country AS "locationCountry", s.location_country_code AS "locationCountryCode"`;
const USER_COLUMNS = `u.email AS "u_email", u.name AS "u_name", u.role AS "u_role", u.disabled_at AS "u_disabledAt",
  u.created_at AS "u_createdAt", u.time_zone AS "u_timeZone"`;

const SESSION_WITH_USER = `SELECT ${STATE_COLUMNS}, ${USER_COLUMNS} FROM device_sessions s JOIN users u ON u.id = s.user_id`;

/**
 * Version, user and live sessions in ONE statement, so one snapshot of the
 * database: the rows belong to the version read with them (SQLite reads them
 * in one read transaction). One row per session; one row with null session
 * columns for a user without any.
 */
const ACCOUNT = `SELECT v.version, u.id AS "u_id", u.workspace_id AS "u_workspaceId", ${USER_COLUMNS}, ${STATE_COLUMNS}, ${LISTING_COLUMNS}
  FROM account_versions v JOIN users u ON u.id = v.user_id
  LEFT JOIN LATERAL (SELECT * FROM device_sessions WHERE user_id = v.user_id AND ${LIVE_SESSION_SQL('$2')}
    ORDER BY created_at LIMIT $3) s ON true
  WHERE v.user_id = $1
  ORDER BY s.created_at`;

type UserColumns = { u_email: string; u_name: string; u_role: AccountUser['role']; u_disabledAt: number | null; u_createdAt: number; u_timeZone: string };

function userOf(id: string, workspaceId: string, row: UserColumns): AccountUser {
  return { id, workspaceId, email: row.u_email, name: row.u_name, role: row.u_role, disabledAt: row.u_disabledAt, createdAt: row.u_createdAt, timeZone: row.u_timeZone };
}

/** One request waiting for its user's version. */
interface VersionWaiter {
  resolve(version: number | undefined): void;
  reject(error: unknown): void;
}

/**
 * The authentication hot path on PostgreSQL: raw statements, prepared once per
 * pooled connection (named), one round trip each — but the account versions
 * that every authenticated request reads share their round trips (see
 * `version`).
 */
export class PostgresAuthReads implements AuthReads {
  /** Versions asked for since the statement in flight was sent: the next statement's, by user. */
  #queued = new Map<string, VersionWaiter[]>();
  #inFlight = false;

  constructor(private readonly pool: pg.Pool) {}

  /**
   * The user's account version as committed now. Every authenticated request
   * asks, so under load the requests share statements: while one is in flight,
   * the versions asked for meanwhile wait, and all go in the next one (one
   * statement for every user asked). Never is an answer taken from a statement
   * sent BEFORE the request asked: a revocation committed before the request
   * arrived — its response sent, on this server or another — is committed
   * before the statement that answers the request starts, and PostgreSQL reads
   * each statement as of its start (READ COMMITTED). So the version is as
   * fresh as a statement of the request's own, and revocation still bites on
   * the very next request, on every server; what is saved is a round trip per
   * request (under the bench's 10 connections, most of them). A lone request
   * waits for nothing: with nothing in flight, its statement goes at once.
   * The statement after an answered one waits one more turn of the event
   * loop (see `#sendNextSoon`), so more requests share it.
   */
  version(userId: string): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#queued.get(userId);
      if (waiting) waiting.push({ resolve, reject });
      else this.#queued.set(userId, [{ resolve, reject }]);
      if (!this.#inFlight) this.#sendVersions();
    });
  }

  /** One statement for every version queued; when it is answered, the next for those queued meanwhile. */
  #sendVersions(): void {
    const batch = this.#queued;
    this.#queued = new Map();
    this.#inFlight = true;
    const userIds = [...batch.keys()];
    const query =
      userIds.length === 1
        ? { name: 'tab_account_version', text: 'SELECT user_id, version FROM account_versions WHERE user_id = $1', values: userIds }
        : { name: 'tab_account_versions', text: 'SELECT user_id, version FROM account_versions WHERE user_id = ANY($1::text[])', values: [userIds] };
    this.pool.query<{ user_id: string; version: number }>(query).then(
      ({ rows }) => {
        const versions = new Map(rows.map((row) => [row.user_id, row.version]));
        for (const [userId, waiters] of batch) for (const waiter of waiters) waiter.resolve(versions.get(userId));
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      },
    ).finally(() => {
      this.#inFlight = false;
      if (this.#queued.size > 0) this.#sendNextSoon();
    });
  }

  /**
   * The next statement, for the versions queued while the last one was in
   * flight, goes after one more poll phase of the event loop, not at once.
   * The answer just received lets its requests respond, and their clients'
   * next requests (and others read in the same poll) arrive while the server
   * is still busy with those: sent at once, the statement would leave them to
   * the one after, and under steady load the requests split into two groups
   * taking turns, about one statement per 4 requests. Sent after the next
   * poll phase (a `setImmediate` from the check phase runs after the following
   * poll, which does not block while one is pending), it takes them along:
   * about one per 5 in the bench, a quarter fewer statements, each costing the
   * server the round trip's system calls and the driver's work (RESULTS.md,
   * 2026-12-02 pg-throughput). The wait is a turn of the loop, microseconds
   * when idle; in flight meanwhile (`#inFlight` stays set), so every request
   * that asks waits for this statement, sent after it asked: the rule above
   * holds.
   */
  #sendNextSoon(): void {
    this.#inFlight = true;
    setImmediate(() => setImmediate(() => this.#sendVersions()));
  }

  async read(userId: string, now: number, maxSessions: number): Promise<AccountRead | undefined> {
    const { rows } = await this.pool.query<{ version: number; u_id: string; u_workspaceId: string } & UserColumns & SessionState & SessionListing>({
      name: 'tab_account_read',
      text: ACCOUNT,
      values: [userId, now, maxSessions + 1],
    });
    const first = rows[0];
    if (!first) return undefined;
    const sessions = rows.filter((row) => row.id !== null).map((row) => ({
      id: row.id, userId: row.userId, workspaceId: row.workspaceId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt, idleTimeoutMs: row.idleTimeoutMs, revokedAt: row.revokedAt, revokeReason: row.revokeReason,
      expiryNoticedAt: row.expiryNoticedAt, cookieIssuedAt: row.cookieIssuedAt, cookieUsedAt: row.cookieUsedAt, lastIp: row.lastIp, baselineCountryCode: row.baselineCountryCode, browserFamily: row.browserFamily,
      osFamily: row.osFamily, clientKind: row.clientKind, label: row.label, labelSource: row.labelSource, browser: row.browser, os: row.os, ip: row.ip,
      locationCity: row.locationCity, locationRegion: row.locationRegion, locationCountry: row.locationCountry, locationCountryCode: row.locationCountryCode,
    }));
    return { version: first.version, user: userOf(first.u_id, first.u_workspaceId, first), sessions };
  }

  async sessionWithUser(by: { id: string } | { cookieHash: Buffer } | { previousCookieHash: Buffer }): Promise<SessionWithUser | undefined> {
    const query = 'id' in by
      ? { name: 'tab_session_with_user_by_id', text: `${SESSION_WITH_USER} WHERE s.id = $1`, values: [by.id] }
      : 'cookieHash' in by
        ? { name: 'tab_session_with_user_by_cookie', text: `${SESSION_WITH_USER} WHERE s.cookie_hash = $1`, values: [by.cookieHash] }
        : { name: 'tab_session_with_user_by_previous_cookie', text: `${SESSION_WITH_USER} WHERE s.previous_cookie_hash = $1`, values: [by.previousCookieHash] };
    const row = (await this.pool.query<SessionState & UserColumns>(query)).rows[0];
    if (!row) return undefined;
    const { u_email, u_name, u_role, u_disabledAt, u_createdAt, u_timeZone, ...session } = row;
    return { session, user: userOf(session.userId, session.workspaceId, { u_email, u_name, u_role, u_disabledAt, u_createdAt, u_timeZone }), accountVersion: null };
  }

  async liveSessions(userId: string, now: number): Promise<SessionListing[]> {
    const { rows } = await this.pool.query<SessionListing>({
      name: 'tab_live_sessions',
      text: `SELECT s.id, ${LISTING_COLUMNS}, s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt"
        FROM device_sessions s WHERE s.user_id = $1 AND ${LIVE_SESSION_SQL('$2')} ORDER BY s.created_at`,
      values: [userId, now],
    });
    return rows;
  }
}
