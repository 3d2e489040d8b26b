import { sql } from 'kysely';
import { setBounded } from '../../platform/bounded-map.js';
import { andThen, type MaybePromise } from '../../platform/maybe-promise.js';
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
} from '../../sessions/session-records.js';
import type { AlsoApiTokens } from '../api-tokens.js';
import type { AuditInput } from '../audit.js';
import { revokeLiveApiTokens } from './api-tokens.js';
import type { SessionStore } from '../sessions.js';
import { auditRow, changed, SqlDomain, type Executor } from './base.js';

/** Bulk revocations list at most this many session ids in their audit row. */
const AUDIT_ID_LIST_MAX = 1000;

/** Cookie hashes whose session and user are remembered (both are fixed for a session's life). */
const COOKIE_OWNERS_MAX = 50_000;

const SESSION_COLUMNS = [
  'id', 'user_id as userId', 'workspace_id as workspaceId', 'client_kind as clientKind', 'label', 'browser', 'os', 'ip',
  'created_at as createdAt', 'last_seen_at as lastSeenAt', 'expires_at as expiresAt', 'idle_timeout_ms as idleTimeoutMs',
  'revoked_at as revokedAt', 'revoked_by as revokedBy', 'revoke_reason as revokeReason', 'expiry_noticed_at as expiryNoticedAt',
  'label_source as labelSource', 'cookie_issued_at as cookieIssuedAt', 'cookie_used_at as cookieUsedAt',
  'last_ip as lastIp', 'location_city as locationCity', 'location_region as locationRegion', 'location_country as locationCountry',
  'location_country_code as locationCountryCode', 'baseline_country_code as baselineCountryCode', 'browser_family as browserFamily',
  'os_family as osFamily',
] as const;

/** A sighting's columns: the address and its location. */
const sightingColumns = ({ lastIp, location }: SessionSighting) => ({
  last_ip: lastIp,
  location_city: location?.city ?? null,
  location_region: location?.region ?? null,
  location_country: location?.country ?? null,
  location_country_code: location?.countryCode ?? null,
});

/** "Live" = not revoked and not expired at `now` (both timeouts). */
export const liveAt = (now: number, table = 'device_sessions') =>
  sql<boolean>`(${sql.ref(`${table}.revoked_at`)} IS NULL AND ${sql.ref(`${table}.expires_at`)} > ${now}
    AND ${sql.ref(`${table}.last_seen_at`)} + ${sql.ref(`${table}.idle_timeout_ms`)} > ${now})`;

/**
 * Revokes the live sessions of one user or one workspace (all but `except`)
 * inside the caller's transaction; answers those revoked now. Also used by
 * disabling a member (identity).
 *
 * `perUser` (PostgreSQL): the ids come back as one row per user, the ids as a
 * JSON array, from a data-modifying WITH. A workspace's revoke-all of 100,000
 * sessions otherwise sends 100,000 rows to the server, which the driver makes
 * into 100,000 objects (100–300 ms of the request); 1,000 rows of JSON parse
 * in a few. SQLite has no data-modifying WITH, and its rows cost no round trip.
 */
export async function revokeLiveSessions(
  trx: Executor,
  owner: { userId: string } | { workspaceId: string },
  except: string | null,
  r: Revocation,
  now: number,
  perUser = false,
): Promise<RevokedSession[]> {
  let update = trx
    .updateTable('device_sessions')
    .set({ revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
    .where('id', 'is distinct from', except)
    .where(liveAt(now));
  update = 'userId' in owner ? update.where('user_id', '=', owner.userId) : update.where('workspace_id', '=', owner.workspaceId);
  if (!perUser) return update.returning(['id', 'user_id as userId']).execute();
  const groups = await trx
    .with('revoked', () => update.returning(['id', 'user_id']))
    .selectFrom('revoked')
    .select(['user_id as userId', sql<string[]>`json_agg(id)`.as('ids')])
    .groupBy('user_id')
    .execute();
  return groups.flatMap(({ userId, ids }) => ids.map((id) => ({ id, userId })));
}

/**
 * A new session under the user's limit (the oldest live ones revoked, each with
 * its audit row), with its own audit row, inside the caller's transaction, which
 * has serialized on `sessions-of:<userId>` first (so the limit is exact on every
 * server). Also used by the two-factor sign-in's one transaction (./mfa.ts).
 */
export async function insertSession(
  trx: Executor,
  input: NewSession,
  maxConcurrent: number | null,
  audit: AuditInput,
  writeAudit: (event: AuditInput) => Promise<void>,
  /** PostgreSQL: the session's audit row goes in the insert's own statement (a data-modifying WITH), a round trip fewer. */
  auditInStatement = false,
): Promise<{ session: StoredSession; evicted: RevokedSession[] }> {
  const evicted: RevokedSession[] = [];
  if (maxConcurrent !== null) {
    const live = await trx
      .selectFrom('device_sessions')
      .select('id')
      .where('user_id', '=', input.userId)
      .where(liveAt(input.createdAt))
      .orderBy('created_at')
      .execute();
    const excess = live.slice(0, Math.max(0, live.length + 1 - maxConcurrent)).map((row) => row.id);
    if (excess.length > 0) {
      await trx
        .updateTable('device_sessions')
        .set({ revoked_at: input.createdAt, revoked_by: null, revoke_reason: 'session_limit' })
        .where('id', 'in', excess)
        .execute();
    }
    for (const oldId of excess) {
      evicted.push({ id: oldId, userId: input.userId });
      await writeAudit({
        workspaceId: input.workspaceId,
        type: 'session_limit_revoked',
        at: input.createdAt,
        actorUserId: null,
        targetUserId: input.userId,
        sessionId: oldId,
        ip: input.ip,
        detail: { reason: 'session_limit', limit: maxConcurrent, newSessionId: input.id },
      });
    }
  }
  const into = auditInStatement
    ? trx.with('session_audit', (db) => db.insertInto('audit_events').values(auditRow(audit)).returning('id')).insertInto('device_sessions')
    : trx.insertInto('device_sessions');
  const session = await into
    .values({
      id: input.id,
      user_id: input.userId,
      workspace_id: input.workspaceId,
      cookie_hash: input.cookieHash,
      client_kind: input.clientKind,
      label: input.label,
      ...(input.labelSource ? { label_source: input.labelSource } : {}),
      browser: input.browser,
      os: input.os,
      user_agent: input.userAgent,
      ip: input.ip,
      created_at: input.createdAt,
      last_seen_at: input.createdAt,
      expires_at: input.expiresAt,
      idle_timeout_ms: input.idleTimeoutMs,
      cookie_issued_at: input.createdAt,
      cookie_used_at: input.createdAt,
      ...sightingColumns({ lastIp: input.ip, location: input.location ?? null }),
      baseline_country_code: input.location?.countryCode ?? null,
      browser_family: input.browserFamily ?? null,
      os_family: input.osFamily ?? null,
    })
    // The row as stored, in the same statement: on PostgreSQL a round trip fewer than reading it back (sign-in's hot path).
    .returning(SESSION_COLUMNS)
    .executeTakeFirstOrThrow();
  if (!auditInStatement) await writeAudit(audit);
  return { session: session as StoredSession, evicted };
}

export class SessionSql extends SqlDomain implements SessionStore {
  /**
   * Cookie hash (base64) → its session and user, so a cookie finds its account
   * snapshot; with the cookieIssuedAt it was current at, so that a cookie
   * rotated out since (on this server or another) is not taken for current.
   */
  readonly #cookieOwners = new Map<string, { sessionId: string; userId: string; issuedAt: number }>();

  async createSession(input: NewSession, maxConcurrent: number | null, audit: AuditInput) {
    return this.tx(async (trx) => {
      // Concurrent sign-ins of one user take turns, so the limit is exact on every server.
      await this.serializeOn(trx, `sessions-of:${input.userId}`);
      return insertSession(trx, input, maxConcurrent, audit, (event) => this.audit(trx, event), this.ctx.kind === 'postgres');
    });
  }

  async findSessionById(id: string) {
    return sessionById(this.db, id);
  }

  // The two reads below run on every authenticated request. They are not `async`: on SQLite the snapshot answers
  // at once. findSessionWithUser answers without any promise then (the authentication hook's synchronous path);
  // the list, one resolved promise at the end, which costs less than an await at each step.
  findSessionWithUser(by: { id: string; userId: string } | { cookieHash: Buffer }, now: number): MaybePromise<SessionWithUser | undefined> {
    const { snapshots, authReads } = this.ctx;
    if (!snapshots) return 'id' in by ? authReads.sessionWithUser(by) : this.#byCookie(by.cookieHash);
    const cookieKey = 'id' in by ? null : by.cookieHash.toString('base64');
    const owner = 'id' in by ? { sessionId: by.id, userId: by.userId, issuedAt: null } : this.#cookieOwners.get(cookieKey!);
    const found = andThen(owner ? snapshots.current(owner.userId, now) : undefined, (snapshot) => {
      const session = owner && snapshot?.byId.get(owner.sessionId);
      // A cookie known to this server answers from the snapshot only while it is still the session's current one.
      if (snapshot && session && (owner.issuedAt === null || owner.issuedAt === session.cookieIssuedAt)) {
        return { session, user: snapshot.user, accountVersion: snapshot.version, ...(cookieKey === null ? {} : { cookie: 'current' as const }) };
      }
      if ('id' in by) return authReads.sessionWithUser(by);
      return andThen(this.#byCookie(by.cookieHash), (read) => {
        if (read?.cookie === 'current') {
          setBounded(this.#cookieOwners, cookieKey!, { sessionId: read.session.id, userId: read.session.userId, issuedAt: read.session.cookieIssuedAt }, COOKIE_OWNERS_MAX);
        }
        return read;
      });
    });
    return found;
  }

  /** By a cookie: the session whose current cookie it is, else the one whose previous cookie it is. */
  #byCookie(hash: Buffer) {
    const { authReads } = this.ctx;
    return andThen(authReads.sessionWithUser({ cookieHash: hash }), (current): MaybePromise<SessionWithUser | undefined> => {
      if (current) return { ...current, cookie: 'current' };
      return andThen(authReads.sessionWithUser({ previousCookieHash: hash }), (previous) => (previous ? { ...previous, cookie: 'previous' } : undefined));
    });
  }

  async rotateCookie(r: CookieRotation) {
    const result = await this.db
      .updateTable('device_sessions')
      .set({
        previous_cookie_hash: r.fromHash,
        cookie_hash: r.toHash,
        // Strictly later than the cookie it replaces, even within one millisecond: it names the cookie (a JWT's `ci`, the cookie cache).
        cookie_issued_at: sql<number>`CASE WHEN cookie_issued_at >= ${r.at} THEN cookie_issued_at + 1 ELSE ${r.at} END`,
        cookie_used_at: null,
      })
      .where('id', '=', r.sessionId)
      .where('cookie_hash', '=', r.fromHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async markCookieUsed(sessionId: string, at: number) {
    await this.db.updateTable('device_sessions').set({ cookie_used_at: at }).where('id', '=', sessionId).where('cookie_used_at', 'is', null).execute();
  }

  async touchSession(id: string, now: number, seen?: SessionSighting) {
    await this.db
      .updateTable('device_sessions')
      .set({ last_seen_at: now, ...(seen ? sightingColumns(seen) : {}) })
      .where('id', '=', id)
      .where('last_seen_at', '<', now)
      .execute();
  }

  async moveSessionBaseline(id: string, expected: SessionBaseline, next: SessionBaseline & SessionSighting, audits: AuditInput[]) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('device_sessions')
        .set({
          ...sightingColumns(next),
          baseline_country_code: next.baselineCountryCode,
          browser_family: next.browserFamily,
          os_family: next.osFamily,
        })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('baseline_country_code', 'is not distinct from', expected.baselineCountryCode)
        .where('browser_family', 'is not distinct from', expected.browserFamily)
        .where('os_family', 'is not distinct from', expected.osFamily)
        .executeTakeFirst();
      const moved = changed(result) === 1;
      if (moved) for (const audit of audits) await this.audit(trx, audit);
      return moved;
    });
  }

  listActiveSessions(userId: string, now: number, asOf: AccountVersion | null = null): Promise<SessionListing[]> {
    const { snapshots, authReads } = this.ctx;
    const listed = andThen(snapshots ? snapshots.liveSessions(userId, now, asOf) : undefined, (kept) => kept ?? authReads.liveSessions(userId, now));
    return Promise.resolve(listed);
  }

  async revokeSession(id: string, r: Revocation, audit: AuditInput) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('device_sessions')
        .set({ revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const revoked = changed(result) === 1;
      if (revoked) await this.audit(trx, audit);
      return revoked;
    });
  }

  async revokeUserSessions(userId: string, exceptSessionId: string | null, r: Revocation, now: number, audit: AuditInput, also?: AlsoApiTokens) {
    return this.tx(async (trx) => {
      const revoked = await revokeLiveSessions(trx, { userId }, exceptSessionId, r, now, this.ctx.kind === 'postgres');
      await this.audit(trx, bulkAudit(audit, revoked));
      if (also) await revokeLiveApiTokens(trx, { userId }, r.at, also.apiTokens, this.#tokenAudit(trx, audit));
      return revoked;
    });
  }

  async revokeWorkspaceSessions(workspaceId: string, exceptSessionId: string | null, r: Revocation, now: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      const revoked = await revokeLiveSessions(trx, { workspaceId }, exceptSessionId, r, now, this.ctx.kind === 'postgres');
      await this.audit(trx, bulkAudit(audit, revoked));
      await revokeLiveApiTokens(trx, { workspaceId }, r.at, 'workspace_revoked', this.#tokenAudit(trx, audit));
      return revoked;
    });
  }

  /** The token revocations' audit rows: who, when, from where, as the sessions' row says. */
  #tokenAudit(trx: Executor, audit: AuditInput) {
    const { workspaceId, at, actorUserId, sessionId, ip } = audit;
    return { base: { workspaceId, at, actorUserId, sessionId, ip }, write: (event: AuditInput) => this.audit(trx, event) };
  }

  async markExpiryNoticed(id: string, at: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('device_sessions')
        .set({ expiry_noticed_at: at })
        .where('id', '=', id)
        .where('expiry_noticed_at', 'is', null)
        .executeTakeFirst();
      const first = changed(result) === 1;
      if (first) await this.audit(trx, audit);
      return first;
    });
  }
}

async function sessionById(executor: Executor, id: string): Promise<StoredSession | undefined> {
  return (await executor.selectFrom('device_sessions').select(SESSION_COLUMNS).where('id', '=', id).executeTakeFirst()) as StoredSession | undefined;
}

function bulkAudit(audit: AuditInput, revoked: RevokedSession[]): AuditInput {
  return {
    ...audit,
    detail: { ...audit.detail, count: revoked.length, sessionIds: revoked.slice(0, AUDIT_ID_LIST_MAX).map((s) => s.id) },
  };
}
