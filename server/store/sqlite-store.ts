import { randomUUID } from 'node:crypto';
import type { AuditEventType, SessionPolicy } from '../../shared/api/admin.js';
import { DEFAULT_SESSION_POLICY } from '../../shared/api/admin.js';
import type { Db } from '../db/open.js';
import { setBounded } from '../platform/bounded-map.js';
import { AccountSnapshots, type AccountRead, type SnapshotLimits } from './account-snapshots.js';
import type {
  AuditInput,
  EntryListQuery,
  ExportRow,
  StoredClient,
  StoredEntry,
  SummaryRow,
  NewApiToken,
  NewSession,
  NewUser,
  RevokedSession,
  Revocation,
  StoredApiToken,
  StoredAuditEvent,
  StoredMember,
  SessionListing,
  SessionState,
  SessionWithUser,
  AccountUser,
  AccountVersion,
  StoredSession,
  StoredUser,
  StoredWorkspace,
  TabStore,
} from './types.js';

/** Bulk revocations list at most this many session ids in their audit row. */
const AUDIT_ID_LIST_MAX = 1000;

/** Session columns by the StoredSession field they fill. */
const SESSION_FIELDS: Record<keyof StoredSession, string> = {
  id: 'id',
  userId: 'user_id',
  workspaceId: 'workspace_id',
  clientKind: 'client_kind',
  label: 'label',
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
};
/** Field lists checked against their interfaces, so a new field cannot be forgotten. */
const fieldsOf = <T>(fields: Record<keyof T, true>) => Object.keys(fields) as (keyof StoredSession)[];
const STATE_FIELDS = fieldsOf<SessionState>({
  id: true, userId: true, workspaceId: true, createdAt: true, lastSeenAt: true, expiresAt: true,
  idleTimeoutMs: true, revokedAt: true, revokeReason: true, expiryNoticedAt: true,
});
const LISTING_FIELDS = fieldsOf<SessionListing>({
  id: true, clientKind: true, label: true, browser: true, os: true, ip: true, createdAt: true, lastSeenAt: true,
});
/** A raw liveSessionsOfUser row, in LISTING_FIELDS order. */
function listingOf(row: unknown[]): SessionListing {
  const [id, clientKind, label, browser, os, ip, createdAt, lastSeenAt] = row;
  return { id, clientKind, label, browser, os, ip, createdAt, lastSeenAt } as SessionListing;
}
const sessionColumns = (fields = Object.keys(SESSION_FIELDS) as (keyof StoredSession)[], table = '') =>
  fields.map((field) => `${table}${SESSION_FIELDS[field]} AS ${field}`).join(', ');
const SESSION_COLUMNS = sessionColumns();

const ACCOUNT_USER_COLUMNS = `id, workspace_id AS workspaceId, email, name, role,
  disabled_at AS disabledAt, created_at AS createdAt, time_zone AS timeZone`;
const USER_COLUMNS = `${ACCOUNT_USER_COLUMNS}, password_hash AS passwordHash`;

/**
 * A session's state and its user in one read (user columns prefixed u_): what
 * authenticating a request needs, and nothing more (no display fields, no
 * password hash), since every request pays for each column read.
 */
const SESSION_WITH_USER = `SELECT ${sessionColumns(STATE_FIELDS, 's.')},
  u.email AS u_email, u.name AS u_name, u.role AS u_role,
  u.disabled_at AS u_disabledAt, u.created_at AS u_createdAt, u.time_zone AS u_timeZone
  FROM device_sessions s JOIN users u ON u.id = s.user_id`;

const TOKEN_COLUMNS = `id, user_id AS userId, workspace_id AS workspaceId, name, created_at AS createdAt,
  expires_at AS expiresAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt`;

/** "Live" = not revoked and not expired at :now (both timeouts). */
const LIVE = `revoked_at IS NULL AND expires_at > :now AND last_seen_at + idle_timeout_ms > :now`;

/** Cookie hashes whose session and user are remembered (both are fixed for a session's life). */
const COOKIE_OWNERS_MAX = 50_000;

export interface SqliteStoreOptions {
  /**
   * Reuse what was read about an account while its version is unchanged
   * (see AccountSnapshots). On by default, with the default limits; off, every
   * read goes to SQL, which tests use as the reference the snapshots must agree with.
   */
  accountSnapshots?: boolean | SnapshotLimits;
}

/**
 * The SQLite implementation of TabStore. Every SQL statement of the server
 * lives in this file; statements are prepared once. better-sqlite3 is
 * synchronous, so each method runs to completion before any other request's
 * JavaScript runs, and writes that must go together use IMMEDIATE transactions.
 */
export class SqliteStore implements TabStore {
  private readonly s;
  private readonly t;
  private readonly snapshots: AccountSnapshots | null;
  /** Cookie hash (base64) → its session and user, so a cookie finds its account snapshot. */
  private readonly cookieOwners = new Map<string, { sessionId: string; userId: string }>();

  constructor(
    private readonly db: Db,
    options: SqliteStoreOptions = {},
  ) {
    this.t = prepareTimeStatements(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertWorkspace: p(`INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)`),
      workspaceByName: p(`SELECT id, name, created_at AS createdAt FROM workspaces WHERE name = ?`),
      workspaces: p(`SELECT id, name, created_at AS createdAt FROM workspaces ORDER BY created_at`),
      insertUser: p(`INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at)
        VALUES (@id, @workspaceId, @email, @name, @role, @passwordHash, @now)`),
      userById: p(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
      userByEmail: p(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`),
      users: p(`SELECT ${USER_COLUMNS} FROM users ORDER BY workspace_id, email`),
      usersOfWorkspace: p(`SELECT ${USER_COLUMNS} FROM users WHERE workspace_id = ? ORDER BY email`),
      setPasswordHash: p(`UPDATE users SET password_hash = ? WHERE id = ?`),
      setDisabled: p(`UPDATE users SET disabled_at = ? WHERE id = ?`),

      failuresSince: p(`SELECT COUNT(*) AS count, MIN(at) AS oldestAt FROM login_failures WHERE email = ? AND at > ?`),
      insertFailure: p(`INSERT INTO login_failures (email, at) VALUES (?, ?)`),
      clearFailures: p(`DELETE FROM login_failures WHERE email = ?`),
      pruneFailures: p(`DELETE FROM login_failures WHERE at < ?`),

      insertSession: p(`INSERT INTO device_sessions (id, user_id, workspace_id, cookie_hash, client_kind, label, browser, os,
          user_agent, ip, created_at, last_seen_at, expires_at, idle_timeout_ms)
        VALUES (@id, @userId, @workspaceId, @cookieHash, @clientKind, @label, @browser, @os,
          @userAgent, @ip, @createdAt, @createdAt, @expiresAt, @idleTimeoutMs)`),
      sessionById: p(`SELECT ${SESSION_COLUMNS} FROM device_sessions WHERE id = ?`),
      sessionWithUserById: p(`${SESSION_WITH_USER} WHERE s.id = ?`),
      sessionWithUserByCookie: p(`${SESSION_WITH_USER} WHERE s.cookie_hash = ?`),
      accountVersion: p(`SELECT version FROM account_versions WHERE user_id = ?`).pluck(),
      accountUser: p(`SELECT ${ACCOUNT_USER_COLUMNS} FROM users WHERE id = ?`),
      accountSessions: p(`SELECT ${sessionColumns([...new Set([...STATE_FIELDS, ...LISTING_FIELDS])])} FROM device_sessions
        WHERE user_id = :userId AND ${LIVE} ORDER BY created_at LIMIT :limit`),
      touchSession: p(`UPDATE device_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`),
      // Raw rows (arrays), turned into objects by listingOf(): about a quarter cheaper on the hottest list.
      liveSessionsOfUser: p(`SELECT ${LISTING_FIELDS.map((f) => SESSION_FIELDS[f]).join(', ')} FROM device_sessions
        WHERE user_id = :userId AND ${LIVE} ORDER BY created_at`).raw(true),
      liveSessionIdsOfUser: p(`SELECT id FROM device_sessions WHERE user_id = :userId AND ${LIVE} ORDER BY created_at`).pluck(),
      revokeOne: p(`UPDATE device_sessions SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason
        WHERE id = :id AND revoked_at IS NULL`),
      revokeUser: p(`UPDATE device_sessions SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason
        WHERE user_id = :userId AND id IS NOT :except AND ${LIVE} RETURNING id, user_id AS userId`),
      revokeWorkspace: p(`UPDATE device_sessions SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason
        WHERE workspace_id = :workspaceId AND id IS NOT :except AND ${LIVE} RETURNING id, user_id AS userId`),
      markExpiry: p(`UPDATE device_sessions SET expiry_noticed_at = ? WHERE id = ? AND expiry_noticed_at IS NULL`),

      policy: p(`SELECT inactivity_timeout_minutes AS inactivityTimeoutMinutes, absolute_timeout_days AS absoluteTimeoutDays,
        max_concurrent_sessions AS maxConcurrentSessions FROM workspaces WHERE id = ?`),
      setPolicy: p(`UPDATE workspaces SET inactivity_timeout_minutes = @inactivityTimeoutMinutes,
        absolute_timeout_days = @absoluteTimeoutDays, max_concurrent_sessions = @maxConcurrentSessions WHERE id = @workspaceId`),

      members: p(`SELECT u.id, u.name, u.email, u.role, u.disabled_at IS NOT NULL AS disabled,
          (SELECT COUNT(*) FROM device_sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL
             AND s.expires_at > :now AND s.last_seen_at + s.idle_timeout_ms > :now) AS activeSessions,
          (SELECT MAX(s.last_seen_at) FROM device_sessions s WHERE s.user_id = u.id) AS lastSeenAt
        FROM users u WHERE u.workspace_id = :workspaceId ORDER BY u.name COLLATE NOCASE, u.email`),

      insertToken: p(`INSERT INTO api_tokens (id, user_id, workspace_id, name, token_hash, created_at, expires_at)
        VALUES (@id, @userId, @workspaceId, @name, @tokenHash, @createdAt, @expiresAt)`),
      tokenByHash: p(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?`),
      tokensOfUser: p(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = :userId AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > :now) ORDER BY created_at DESC`),
      revokeToken: p(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`),
      touchToken: p(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`),

      insertAudit: p(`INSERT INTO audit_events (workspace_id, type, at, actor_user_id, target_user_id, session_id, ip, detail)
        VALUES (@workspaceId, @type, @at, @actorUserId, @targetUserId, @sessionId, @ip, @detail)`),
      listAudit: p(`SELECT id, workspace_id AS workspaceId, type, at, actor_user_id AS actorUserId,
          target_user_id AS targetUserId, session_id AS sessionId, ip, detail
        FROM audit_events
        WHERE workspace_id = :workspaceId AND id < :before
          AND (:type IS NULL OR type = :type)
          AND (:userId IS NULL OR target_user_id = :userId OR actor_user_id = :userId)
        ORDER BY id DESC LIMIT :limit`),
    };
    const { accountSnapshots = true } = options;
    this.snapshots = accountSnapshots === false ? null : new AccountSnapshots(
      {
        version: (userId) => this.s.accountVersion.get(userId) as number | undefined,
        read: db.transaction((userId: string, now: number, maxSessions: number) => this.readAccount(userId, now, maxSessions)).deferred,
      },
      accountSnapshots === true ? undefined : accountSnapshots,
    );
  }

  private audit(event: AuditInput): void {
    this.s.insertAudit.run({
      workspaceId: event.workspaceId,
      type: event.type,
      at: event.at,
      actorUserId: event.actorUserId ?? null,
      targetUserId: event.targetUserId ?? null,
      sessionId: event.sessionId ?? null,
      ip: event.ip ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    });
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async createWorkspace({ name, now }: { name: string; now: number }): Promise<StoredWorkspace> {
    const id = randomUUID();
    this.s.insertWorkspace.run(id, name, now);
    return { id, name, createdAt: now };
  }

  async findWorkspaceByName(name: string) {
    return this.s.workspaceByName.get(name) as StoredWorkspace | undefined;
  }

  async listWorkspaces() {
    return this.s.workspaces.all() as StoredWorkspace[];
  }

  async createUser(input: NewUser): Promise<StoredUser> {
    const id = randomUUID();
    this.s.insertUser.run({ ...input, id });
    return { id, workspaceId: input.workspaceId, email: input.email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabledAt: null, createdAt: input.now, timeZone: 'UTC' };
  }

  async findUserById(id: string) {
    return this.s.userById.get(id) as StoredUser | undefined;
  }

  async findUserByEmail(email: string) {
    return this.s.userByEmail.get(email) as StoredUser | undefined;
  }

  async listUsers(workspaceId?: string) {
    return (workspaceId ? this.s.usersOfWorkspace.all(workspaceId) : this.s.users.all()) as StoredUser[];
  }

  async setPasswordHash(userId: string, passwordHash: string, audit?: AuditInput) {
    this.tx(() => {
      this.s.setPasswordHash.run(passwordHash, userId);
      if (audit) this.audit(audit);
    });
  }

  async disableUser(userId: string, at: number, by: string | null, audit: AuditInput) {
    return this.tx(() => {
      this.s.setDisabled.run(at, userId);
      const revoked = this.s.revokeUser.all({ at, by, reason: 'member_disabled', userId, except: null, now: at }) as RevokedSession[];
      this.audit({ ...audit, detail: { ...audit.detail, revoked: revoked.length } });
      return revoked;
    });
  }

  async enableUser(userId: string, audit: AuditInput) {
    this.tx(() => {
      this.s.setDisabled.run(null, userId);
      this.audit(audit);
    });
  }

  async loginFailuresSince(email: string, since: number) {
    return this.s.failuresSince.get(email, since) as { count: number; oldestAt: number | null };
  }

  async recordLoginFailure(email: string, at: number, audit: AuditInput) {
    this.tx(() => {
      this.s.insertFailure.run(email, at);
      // Keep the table small: nothing older than a day matters to the throttle.
      this.s.pruneFailures.run(at - 86_400_000);
      this.audit(audit);
    });
  }

  async clearLoginFailures(email: string) {
    this.s.clearFailures.run(email);
  }

  async createSession(input: NewSession, maxConcurrent: number | null, audit: AuditInput) {
    return this.tx(() => {
      const evicted: RevokedSession[] = [];
      if (maxConcurrent !== null) {
        const live = this.s.liveSessionIdsOfUser.all({ userId: input.userId, now: input.createdAt }) as string[];
        const excess = live.length + 1 - maxConcurrent;
        for (const oldId of live.slice(0, Math.max(0, excess))) {
          this.s.revokeOne.run({ id: oldId, at: input.createdAt, by: null, reason: 'session_limit' });
          evicted.push({ id: oldId, userId: input.userId });
          this.audit({
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
      this.s.insertSession.run(input);
      this.audit(audit);
      const session = this.s.sessionById.get(input.id) as StoredSession;
      return { session, evicted };
    });
  }

  async findSessionById(id: string) {
    return this.s.sessionById.get(id) as StoredSession | undefined;
  }

  async findSessionWithUser(by: { id: string; userId: string } | { cookieHash: Buffer }, now: number) {
    if (!this.snapshots) return this.sessionWithUser(by);
    const cookieKey = 'id' in by ? null : by.cookieHash.toString('base64');
    const owner = 'id' in by ? { sessionId: by.id, userId: by.userId } : this.cookieOwners.get(cookieKey!);
    if (owner) {
      const snapshot = this.snapshots.current(owner.userId, now);
      const session = snapshot?.byId.get(owner.sessionId);
      if (snapshot && session) return { session, user: snapshot.user, accountVersion: snapshot.version };
    }
    const found = this.sessionWithUser(by);
    if (found && cookieKey !== null) setBounded(this.cookieOwners, cookieKey, { sessionId: found.session.id, userId: found.session.userId }, COOKIE_OWNERS_MAX);
    return found;
  }

  private sessionWithUser(by: { id: string } | { cookieHash: Buffer }): SessionWithUser | undefined {
    const row = ('id' in by ? this.s.sessionWithUserById.get(by.id) : this.s.sessionWithUserByCookie.get(by.cookieHash)) as
      | (SessionState & { u_email: string; u_name: string; u_role: StoredUser['role']; u_disabledAt: number | null; u_createdAt: number; u_timeZone: string })
      | undefined;
    if (!row) return undefined;
    const { u_email, u_name, u_role, u_disabledAt, u_createdAt, u_timeZone, ...session } = row;
    const user: AccountUser = { id: session.userId, workspaceId: session.workspaceId, email: u_email, name: u_name, role: u_role, disabledAt: u_disabledAt, createdAt: u_createdAt, timeZone: u_timeZone };
    return { session, user, accountVersion: null };
  }

  async touchSession(id: string, now: number) {
    this.s.touchSession.run(now, id, now);
  }

  async listActiveSessions(userId: string, now: number, asOf: AccountVersion | null = null): Promise<SessionListing[]> {
    return this.snapshots?.liveSessions(userId, now, asOf) ?? (this.s.liveSessionsOfUser.all({ userId, now }) as unknown[][]).map(listingOf);
  }

  /** An account snapshot's rows; the caller runs it in one read transaction, so that they belong to the version read with them. */
  private readAccount(userId: string, now: number, maxSessions: number): AccountRead | undefined {
    const version = this.s.accountVersion.get(userId) as number | undefined;
    const user = this.s.accountUser.get(userId) as AccountUser | undefined;
    if (version === undefined || !user) return undefined;
    const sessions = this.s.accountSessions.all({ userId, now, limit: maxSessions + 1 }) as AccountRead['sessions'];
    return { version, user, sessions };
  }

  async revokeSession(id: string, r: Revocation, audit: AuditInput) {
    return this.tx(() => {
      const changed = this.s.revokeOne.run({ id, at: r.at, by: r.by, reason: r.reason }).changes === 1;
      if (changed) this.audit(audit);
      return changed;
    });
  }

  private bulkAudit(audit: AuditInput, revoked: RevokedSession[]): AuditInput {
    return {
      ...audit,
      detail: { ...audit.detail, count: revoked.length, sessionIds: revoked.slice(0, AUDIT_ID_LIST_MAX).map((s) => s.id) },
    };
  }

  async revokeUserSessions(userId: string, exceptSessionId: string | null, r: Revocation, now: number, audit: AuditInput) {
    return this.tx(() => {
      const revoked = this.s.revokeUser.all({ at: r.at, by: r.by, reason: r.reason, userId, except: exceptSessionId, now }) as RevokedSession[];
      this.audit(this.bulkAudit(audit, revoked));
      return revoked;
    });
  }

  async revokeWorkspaceSessions(workspaceId: string, exceptSessionId: string | null, r: Revocation, now: number, audit: AuditInput) {
    return this.tx(() => {
      const revoked = this.s.revokeWorkspace.all({ at: r.at, by: r.by, reason: r.reason, workspaceId, except: exceptSessionId, now }) as RevokedSession[];
      this.audit(this.bulkAudit(audit, revoked));
      return revoked;
    });
  }

  async markExpiryNoticed(id: string, at: number, audit: AuditInput) {
    return this.tx(() => {
      const first = this.s.markExpiry.run(at, id).changes === 1;
      if (first) this.audit(audit);
      return first;
    });
  }

  async getSessionPolicy(workspaceId: string): Promise<SessionPolicy> {
    return (this.s.policy.get(workspaceId) as SessionPolicy | undefined) ?? { ...DEFAULT_SESSION_POLICY };
  }

  async setSessionPolicy(workspaceId: string, policy: SessionPolicy, audit: AuditInput) {
    this.tx(() => {
      this.s.setPolicy.run({ ...policy, workspaceId });
      this.audit(audit);
    });
  }

  async listMembers(workspaceId: string, now: number) {
    const rows = this.s.members.all({ workspaceId, now }) as (Omit<StoredMember, 'disabled'> & { disabled: 0 | 1 })[];
    return rows.map((row) => ({ ...row, disabled: row.disabled === 1 }));
  }

  async createApiToken(input: NewApiToken, audit: AuditInput) {
    return this.tx(() => {
      this.s.insertToken.run(input);
      this.audit(audit);
      const { tokenHash: _hash, ...rest } = input;
      return { ...rest, lastUsedAt: null, revokedAt: null };
    });
  }

  async findApiTokenByHash(hash: Buffer) {
    return this.s.tokenByHash.get(hash) as StoredApiToken | undefined;
  }

  async listApiTokens(userId: string, now: number) {
    return this.s.tokensOfUser.all({ userId, now }) as StoredApiToken[];
  }

  async revokeApiToken(id: string, userId: string, at: number, audit: AuditInput) {
    return this.tx(() => {
      const changed = this.s.revokeToken.run(at, id, userId).changes === 1;
      if (changed) this.audit(audit);
      return changed;
    });
  }

  async touchApiToken(id: string, now: number) {
    this.s.touchToken.run(now, id);
  }

  async appendAudit(event: AuditInput) {
    this.audit(event);
  }

  async listAudit(workspaceId: string, q: { userId?: string; type?: AuditEventType; before?: number; limit: number }) {
    const rows = this.s.listAudit.all({
      workspaceId,
      before: q.before ?? Number.MAX_SAFE_INTEGER,
      type: q.type ?? null,
      userId: q.userId ?? null,
      limit: q.limit,
    }) as (Omit<StoredAuditEvent, 'detail'> & { detail: string })[];
    return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
  }

  // ------------------------------------------------------------ time and billing
  // Statements are in prepareTimeStatements(), at the end of this file.

  async setUserTimeZone(userId: string, timeZone: string) {
    this.t.setTimeZone.run(timeZone, userId);
  }

  async listClients(workspaceId: string) {
    return this.t.clientsOfWorkspace.all(workspaceId) as StoredClient[];
  }

  async findClient(id: string) {
    return this.t.clientById.get(id) as StoredClient | undefined;
  }

  async createClient(input: StoredClient) {
    this.t.insertClient.run(input);
    return { ...input };
  }

  async updateClient(client: StoredClient) {
    this.t.updateClient.run(client);
  }

  async deleteOrArchiveClient(id: string, now: number) {
    return this.tx(() => {
      if (this.t.clientHasEntries.get(id)) {
        this.t.archiveClient.run(now, now, id);
        return 'archived' as const;
      }
      this.t.deleteClient.run(id);
      return 'deleted' as const;
    });
  }

  async findEntry(id: string) {
    return toEntry(this.t.entryById.get(id) as EntryRow | undefined);
  }

  async listEntries(q: EntryListQuery) {
    const params = { workspaceId: q.workspaceId, userId: q.userId ?? null, clientId: q.clientId ?? null, from: q.from, to: q.to, limit: q.limit };
    const rows = (q.userId ? this.t.entriesOfUser : this.t.entriesOfWorkspace).all(params) as EntryRow[];
    return rows.map((r) => toEntry(r)!);
  }

  async insertEntry(entry: StoredEntry) {
    return this.tx(() => {
      if (this.t.entryExists.get(entry.id)) return 'exists' as const;
      const outcome = constraintOutcome(() => this.t.insertEntry.run(entryParams(entry)));
      return outcome === 'ok' ? ('inserted' as const) : outcome;
    });
  }

  async updateEntry(entry: StoredEntry, version: number) {
    let changed = 0;
    const outcome = constraintOutcome(() => {
      changed = this.t.updateEntry.run({ ...entryParams(entry), expectedVersion: version }).changes;
    });
    if (outcome !== 'ok') return outcome;
    return changed === 1 ? ('updated' as const) : ('stale' as const);
  }

  async deleteEntry(id: string, version: number, at: number) {
    return this.t.deleteEntry.run({ id, version, at }).changes === 1 ? ('deleted' as const) : ('stale' as const);
  }

  async overlappingEntries(userId: string, start: number, end: number | null, exceptId: string) {
    const rows = this.t.overlapping.all({ userId, start, end: end ?? Number.MAX_SAFE_INTEGER, exceptId }) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async startTimer(entry: StoredEntry, now: number) {
    return this.tx(() => {
      if (this.t.entryExists.get(entry.id)) return { outcome: 'exists' as const, stopped: null };
      if (!this.t.clientById.get(entry.clientId)) return { outcome: 'client_missing' as const, stopped: null };
      const stopped = this.stopRunning(entry.userId, null, now);
      this.t.insertEntry.run(entryParams(entry));
      return { outcome: 'started' as const, stopped: stopped ?? null };
    });
  }

  async stopTimer(userId: string, id: string | null, now: number) {
    return this.tx(() => this.stopRunning(userId, id, now));
  }

  /** Inside a transaction: stops the user's running entry (only `id`, if given) and answers it as stopped. */
  private stopRunning(userId: string, id: string | null, now: number): StoredEntry | undefined {
    const running = toEntry(this.t.runningOfUser.get(userId) as EntryRow | undefined);
    if (!running || (id !== null && running.id !== id)) return undefined;
    const end = Math.max(now, running.start + 1);
    this.t.stopEntry.run({ id: running.id, end, now });
    return { ...running, end, updatedAt: now, version: running.version + 1 };
  }

  async runningEntries(workspaceId: string, userId: string | null) {
    const rows = (userId ? [this.t.runningOfUser.get(userId)].filter(Boolean) : this.t.runningOfWorkspace.all(workspaceId)) as EntryRow[];
    return rows.map((r) => toEntry(r)!).filter((e) => e.workspaceId === workspaceId);
  }

  async entrySpans(userId: string, from: number, to: number) {
    const rows = [
      ...(this.t.spansOfUser.all({ userId, from, to }) as { start: number; end: number | null; billable: 0 | 1 }[]),
      ...(this.t.runningSpanOfUser.all({ userId, to }) as { start: number; end: number | null; billable: 0 | 1 }[]),
    ];
    return rows.map((r) => ({ start: r.start, end: r.end, billable: r.billable === 1 }));
  }

  async unbilledTotals(workspaceId: string, userId: string | null) {
    return (userId ? this.t.unbilledOfUser.all({ workspaceId, userId }) : this.t.unbilledOfWorkspace.all({ workspaceId })) as {
      currency: string;
      amountCents: number;
    }[];
  }

  async summarize(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user') {
    return (groupBy === 'client' ? this.t.summaryByClient : this.t.summaryByUser).all({ workspaceId, from, to }) as SummaryRow[];
  }

  async exportEntries(workspaceId: string, from: number, to: number) {
    const rows = this.t.exportRows.all({ workspaceId, from, to }) as (Omit<ExportRow, 'billable'> & { billable: 0 | 1 })[];
    return rows.map((r) => ({ ...r, billable: r.billable === 1 }));
  }

  async markBilled(workspaceId: string, ids: string[], at: number) {
    return this.tx(() => {
      const missing: string[] = [];
      const running: string[] = [];
      let alreadyBilled = 0;
      for (const id of ids) {
        const row = this.t.entryById.get(id) as EntryRow | undefined;
        if (!row || row.workspaceId !== workspaceId || row.deletedAt !== null) missing.push(id);
        else if (row.end === null) running.push(id);
        else if (row.billedAt !== null) alreadyBilled++;
      }
      if (missing.length > 0 || running.length > 0) return { missing, running, billed: 0, alreadyBilled: 0 };
      let billed = 0;
      for (const id of ids) billed += this.t.markBilled.run(at, at, id).changes;
      return { missing, running, billed, alreadyBilled };
    });
  }

  async close() {
    this.snapshots?.clear();
    this.cookieOwners.clear();
    if (this.db.open) this.db.close();
  }
}

// ------------------------------------------------------------ time and billing

const CLIENT_COLUMNS = `id, workspace_id AS workspaceId, name, hourly_rate_cents AS hourlyRateCents, currency,
  archived_at AS archivedAt, created_at AS createdAt, updated_at AS updatedAt`;

const ENTRY_COLUMNS = `id, workspace_id AS workspaceId, user_id AS userId, client_id AS clientId, description,
  start_at AS start, end_at AS "end", billable, hourly_rate_cents AS hourlyRateCents, currency, billed_at AS billedAt,
  created_at AS createdAt, updated_at AS updatedAt, deleted_at AS deletedAt, version`;

/**
 * An entry's amount in cents, rounded half up once per entry (durations and rates are never negative). The
 * unbilled_totals triggers of migration 3 (server/db/migrations.ts) use the same expression.
 */
const AMOUNT_SQL = `((end_at - start_at) * hourly_rate_cents + 1800000) / 3600000`;

type EntryRow = Omit<StoredEntry, 'billable'> & { billable: 0 | 1 };

function toEntry(row: EntryRow | undefined): StoredEntry | undefined {
  return row && { ...row, billable: row.billable === 1 };
}

function entryParams(e: StoredEntry) {
  return {
    id: e.id,
    workspaceId: e.workspaceId,
    userId: e.userId,
    clientId: e.clientId,
    description: e.description,
    start: e.start,
    end: e.end,
    billable: e.billable ? 1 : 0,
    hourlyRateCents: e.hourlyRateCents,
    currency: e.currency,
    billedAt: e.billedAt,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/**
 * Runs a write and maps the constraint failures a request can cause: a second
 * running entry (the partial unique index) and a client deleted in between.
 */
function constraintOutcome(write: () => void): 'ok' | 'running_conflict' | 'client_missing' {
  try {
    write();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') return 'running_conflict';
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'client_missing';
    throw error;
  }
}

function summarySql(keyColumn: 'client_id' | 'user_id'): string {
  return `SELECT ${keyColumn} AS key, currency, COUNT(*) AS entries, SUM(end_at - start_at) AS durationMs,
      SUM(CASE WHEN billable = 1 THEN end_at - start_at ELSE 0 END) AS billableMs,
      SUM(CASE WHEN billable = 1 THEN ${AMOUNT_SQL} ELSE 0 END) AS amountCents,
      SUM(CASE WHEN billable = 1 AND billed_at IS NULL THEN ${AMOUNT_SQL} ELSE 0 END) AS unbilledCents
    FROM time_entries INDEXED BY time_entries_by_workspace_start
    WHERE workspace_id = :workspaceId AND deleted_at IS NULL AND start_at >= :from AND start_at < :to AND end_at IS NOT NULL
    GROUP BY ${keyColumn}, currency`;
}

function prepareTimeStatements(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  return {
    setTimeZone: p(`UPDATE users SET time_zone = ? WHERE id = ?`),

    clientsOfWorkspace: p(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE workspace_id = ? ORDER BY name COLLATE NOCASE, id`),
    clientById: p(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = ?`),
    insertClient: p(`INSERT INTO clients (id, workspace_id, name, hourly_rate_cents, currency, archived_at, created_at, updated_at)
      VALUES (@id, @workspaceId, @name, @hourlyRateCents, @currency, @archivedAt, @createdAt, @updatedAt)`),
    updateClient: p(`UPDATE clients SET name = @name, hourly_rate_cents = @hourlyRateCents, currency = @currency,
      archived_at = @archivedAt, updated_at = @updatedAt WHERE id = @id`),
    clientHasEntries: p(`SELECT 1 FROM time_entries WHERE client_id = ? LIMIT 1`),
    archiveClient: p(`UPDATE clients SET archived_at = COALESCE(archived_at, ?), updated_at = ? WHERE id = ?`),
    deleteClient: p(`DELETE FROM clients WHERE id = ?`),

    entryById: p(`SELECT ${ENTRY_COLUMNS} FROM time_entries WHERE id = ?`),
    entryExists: p(`SELECT 1 FROM time_entries WHERE id = ?`),
    entriesOfUser: p(`SELECT ${ENTRY_COLUMNS} FROM time_entries INDEXED BY time_entries_by_user_start
      WHERE user_id = :userId AND workspace_id = :workspaceId AND deleted_at IS NULL AND start_at >= :from AND start_at < :to
        AND (:clientId IS NULL OR client_id = :clientId)
      ORDER BY start_at, id LIMIT :limit`),
    entriesOfWorkspace: p(`SELECT ${ENTRY_COLUMNS} FROM time_entries INDEXED BY time_entries_by_workspace_start
      WHERE workspace_id = :workspaceId AND deleted_at IS NULL AND start_at >= :from AND start_at < :to
        AND (:clientId IS NULL OR client_id = :clientId) AND :userId IS NULL
      ORDER BY start_at, id LIMIT :limit`),
    insertEntry: p(`INSERT INTO time_entries (id, workspace_id, user_id, client_id, description, start_at, end_at, billable,
        hourly_rate_cents, currency, billed_at, created_at, updated_at)
      VALUES (@id, @workspaceId, @userId, @clientId, @description, @start, @end, @billable,
        @hourlyRateCents, @currency, @billedAt, @createdAt, @updatedAt)`),
    updateEntry: p(`UPDATE time_entries SET client_id = @clientId, description = @description, start_at = @start, end_at = @end,
        billable = @billable, hourly_rate_cents = @hourlyRateCents, currency = @currency, billed_at = @billedAt,
        updated_at = @updatedAt, version = version + 1
      WHERE id = @id AND version = @expectedVersion AND deleted_at IS NULL`),
    deleteEntry: p(`UPDATE time_entries SET deleted_at = :at, updated_at = :at, version = version + 1
      WHERE id = :id AND version = :version AND deleted_at IS NULL`),
    overlapping: p(`SELECT id FROM time_entries INDEXED BY time_entries_by_user_start
      WHERE user_id = :userId AND deleted_at IS NULL AND start_at < :end AND (end_at IS NULL OR end_at > :start) AND id <> :exceptId
      ORDER BY start_at, id LIMIT 100`),
    runningOfUser: p(`SELECT ${ENTRY_COLUMNS} FROM time_entries WHERE user_id = ? AND end_at IS NULL AND deleted_at IS NULL`),
    runningOfWorkspace: p(`SELECT ${ENTRY_COLUMNS} FROM time_entries WHERE workspace_id = ? AND end_at IS NULL AND deleted_at IS NULL`),
    stopEntry: p(`UPDATE time_entries SET end_at = :end, updated_at = :now, version = version + 1
      WHERE id = :id AND end_at IS NULL AND deleted_at IS NULL`),
    spansOfUser: p(`SELECT start_at AS start, end_at AS "end", billable FROM time_entries INDEXED BY time_entries_by_user_end
      WHERE user_id = :userId AND deleted_at IS NULL AND end_at > :from AND start_at < :to`),
    runningSpanOfUser: p(`SELECT start_at AS start, end_at AS "end", billable FROM time_entries
      WHERE user_id = :userId AND end_at IS NULL AND deleted_at IS NULL AND start_at < :to`),
    // Finished, billable, unbilled, live entries, summed per (workspace, user, currency) by the triggers of
    // migration 3 (server/db/migrations.ts explains why the totals always equal a fresh SUM): the dashboard
    // reads at most users × currencies small rows instead of the firm's history. Running entries are not in
    // them; the dashboard adds those up to now.
    unbilledOfWorkspace: p(`SELECT currency, SUM(amount_cents) AS amountCents FROM unbilled_totals
      WHERE workspace_id = :workspaceId AND entries > 0
      GROUP BY currency ORDER BY currency`),
    unbilledOfUser: p(`SELECT currency, amount_cents AS amountCents FROM unbilled_totals
      WHERE workspace_id = :workspaceId AND user_id = :userId AND entries > 0
      ORDER BY currency`),
    summaryByClient: p(summarySql('client_id')),
    summaryByUser: p(summarySql('user_id')),
    exportRows: p(`SELECT e.id, e.start_at AS start, e.end_at AS "end", u.email AS userEmail, u.name AS userName,
        c.name AS clientName, e.description, e.billable, e.hourly_rate_cents AS hourlyRateCents, e.currency, e.billed_at AS billedAt
      FROM time_entries e INDEXED BY time_entries_by_workspace_start
        JOIN users u ON u.id = e.user_id JOIN clients c ON c.id = e.client_id
      WHERE e.workspace_id = :workspaceId AND e.deleted_at IS NULL AND e.end_at IS NOT NULL AND e.start_at >= :from AND e.start_at < :to
      ORDER BY e.start_at, e.id`),
    markBilled: p(`UPDATE time_entries SET billed_at = ?, updated_at = ?, version = version + 1
      WHERE id = ? AND billed_at IS NULL AND deleted_at IS NULL AND end_at IS NOT NULL`),
  };
}
