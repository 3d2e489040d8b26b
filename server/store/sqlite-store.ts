import { randomUUID } from 'node:crypto';
import type { AuditEventType, SessionPolicy } from '../../shared/api/admin.js';
import { DEFAULT_SESSION_POLICY } from '../../shared/api/admin.js';
import type { Db } from '../db/open.js';
import type {
  AuditInput,
  NewApiToken,
  NewSession,
  NewUser,
  RevokedSession,
  Revocation,
  StoredApiToken,
  StoredAuditEvent,
  StoredMember,
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
const sessionColumns = (table = '') =>
  Object.entries(SESSION_FIELDS).map(([field, column]) => `${table}${column} AS ${field}`).join(', ');
const SESSION_COLUMNS = sessionColumns();

const USER_COLUMNS = `id, workspace_id AS workspaceId, email, name, role, password_hash AS passwordHash,
  disabled_at AS disabledAt, created_at AS createdAt`;

/** A session and its user in one read (user columns prefixed u_), for authenticating a request. */
const SESSION_WITH_USER = `SELECT ${sessionColumns('s.')},
  u.email AS u_email, u.name AS u_name, u.role AS u_role, u.password_hash AS u_passwordHash,
  u.disabled_at AS u_disabledAt, u.created_at AS u_createdAt
  FROM device_sessions s JOIN users u ON u.id = s.user_id`;

const TOKEN_COLUMNS = `id, user_id AS userId, workspace_id AS workspaceId, name, created_at AS createdAt,
  expires_at AS expiresAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt`;

/** "Live" = not revoked and not expired at :now (both timeouts). */
const LIVE = `revoked_at IS NULL AND expires_at > :now AND last_seen_at + idle_timeout_ms > :now`;

/**
 * The SQLite implementation of TabStore. Every SQL statement of the server
 * lives in this file; statements are prepared once. better-sqlite3 is
 * synchronous, so each method runs to completion before any other request's
 * JavaScript runs, and writes that must go together use IMMEDIATE transactions.
 */
export class SqliteStore implements TabStore {
  private readonly s;

  constructor(private readonly db: Db) {
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
      touchSession: p(`UPDATE device_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`),
      liveSessionsOfUser: p(`SELECT ${SESSION_COLUMNS} FROM device_sessions WHERE user_id = :userId AND ${LIVE}
        ORDER BY created_at`),
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
    return { id, workspaceId: input.workspaceId, email: input.email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabledAt: null, createdAt: input.now };
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
        const live = this.s.liveSessionsOfUser.all({ userId: input.userId, now: input.createdAt }) as StoredSession[];
        const excess = live.length + 1 - maxConcurrent;
        for (const old of live.slice(0, Math.max(0, excess))) {
          this.s.revokeOne.run({ id: old.id, at: input.createdAt, by: null, reason: 'session_limit' });
          evicted.push({ id: old.id, userId: old.userId });
          this.audit({
            workspaceId: input.workspaceId,
            type: 'session_limit_revoked',
            at: input.createdAt,
            actorUserId: null,
            targetUserId: input.userId,
            sessionId: old.id,
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

  async findSessionWithUser(by: { id: string } | { cookieHash: Buffer }) {
    const row = ('id' in by ? this.s.sessionWithUserById.get(by.id) : this.s.sessionWithUserByCookie.get(by.cookieHash)) as
      | (StoredSession & { u_email: string; u_name: string; u_role: StoredUser['role']; u_passwordHash: string; u_disabledAt: number | null; u_createdAt: number })
      | undefined;
    if (!row) return undefined;
    const { u_email, u_name, u_role, u_passwordHash, u_disabledAt, u_createdAt, ...session } = row;
    const user: StoredUser = { id: session.userId, workspaceId: session.workspaceId, email: u_email, name: u_name, role: u_role, passwordHash: u_passwordHash, disabledAt: u_disabledAt, createdAt: u_createdAt };
    return { session: session as StoredSession, user };
  }

  async touchSession(id: string, now: number) {
    this.s.touchSession.run(now, id, now);
  }

  async listActiveSessions(userId: string, now: number) {
    return this.s.liveSessionsOfUser.all({ userId, now }) as StoredSession[];
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

  async close() {
    if (this.db.open) this.db.close();
  }
}
