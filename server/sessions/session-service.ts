import { randomUUID } from 'node:crypto';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { RevokeReason } from '../../shared/errors.js';
import { DAY_MS, MINUTE_MS, type Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { JwtService } from '../security/jwt.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { AuditInput, StoredUser, TabStore } from '../store/types.js';
import type { RevokedSession, SessionState, StoredSession } from './session-records.js';
import type { EventHub } from '../events/event-hub.js';
import { describeDevice } from './device-label.js';
import { RecentFailures } from './recent-failures.js';
import type { Locator } from '../geoip/locator.js';
import { summaryOf } from './session-view.js';

/** Enough of a session to revoke it and tell the right people. */
export type SessionRef = Pick<SessionState, 'id' | 'userId' | 'workspaceId'>;

export const LOGIN_WINDOW_MS = 15 * MINUTE_MS;
export const LOGIN_MAX_FAILURES = 10;

export interface LoginInput {
  email: string;
  password: string;
  client: ClientKind;
  deviceName?: string;
  userAgent: string;
  ip: string;
}

export interface LoginResult {
  user: StoredUser;
  session: StoredSession;
  cookie: string;
  token: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Signing in, and every way a session ends. Each change is one store call (the
 * change and its audit row commit together), followed by the live events.
 */
export class SessionService {
  /** Failed sign-ins per client address, to put a flood of guesses behind everyone else in the hashing queue. */
  private readonly failuresByIp = new RecentFailures(LOGIN_WINDOW_MS);

  constructor(private readonly deps: { store: TabStore; clock: Clock; jwt: JwtService; hub: EventHub; passwords: PasswordHasher; locator?: Locator }) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const { store, clock, passwords } = this.deps;
    const email = normalizeEmail(input.email);
    const now = clock.now();

    const failures = await store.loginFailuresSince(email, now - LOGIN_WINDOW_MS);
    if (failures.count >= LOGIN_MAX_FAILURES) {
      const retryAfter = Math.max(1, Math.ceil(((failures.oldestAt ?? now) + LOGIN_WINDOW_MS - now) / 1000));
      throw new HttpError('too_many_attempts', `Too many failed sign-ins for this email. Try again in ${retryAfter} seconds.`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    }

    const user = await store.findUserByEmail(email);
    // Always run the KDF, so that the answer takes as long for an unknown email.
    const priority = this.failuresByIp.count(input.ip, now);
    const passwordOk = user ? await passwords.verify(input.password, user.passwordHash, priority) : await passwords.verifyNobody(input.password, priority);
    if (!user || !passwordOk) {
      this.failuresByIp.add(input.ip, clock.now());
      await store.recordLoginFailure(email, clock.now(), {
        workspaceId: user?.workspaceId ?? null,
        type: 'sign_in_failed',
        at: clock.now(),
        targetUserId: user?.id ?? null,
        ip: input.ip,
        detail: { reason: user ? 'wrong_password' : 'unknown_email', client: input.client },
      });
      throw new HttpError('invalid_credentials', 'The email or password is not right.');
    }
    if (user.disabledAt !== null) {
      await store.appendAudit({
        workspaceId: user.workspaceId,
        type: 'sign_in_failed',
        at: clock.now(),
        targetUserId: user.id,
        ip: input.ip,
        detail: { reason: 'account_disabled', client: input.client },
      });
      throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    }
    await store.clearLoginFailures(email);
    return this.startSession(user, input);
  }

  /**
   * A new session for someone whose identity is settled (a password checked,
   * an invitation or reset link used): the session row under the workspace's
   * policy (the device limit applied in the same step), its audit row, the live
   * events, and the credentials (cookie and JWT).
   */
  async startSession(user: StoredUser, input: Omit<LoginInput, 'email' | 'password'>, via?: 'invitation' | 'password_reset'): Promise<LoginResult> {
    const { store, clock, jwt, hub } = this.deps;
    const policy = await store.getSessionPolicy(user.workspaceId);
    const createdAt = clock.now();
    const device = describeDevice(input.client, input.userAgent, input.deviceName);
    const location = this.deps.locator?.locate(input.ip) ?? null;
    const cookie = randomSecret();
    const id = randomUUID();
    const { session, evicted } = await store.createSession(
      {
        id,
        userId: user.id,
        workspaceId: user.workspaceId,
        cookieHash: secretHash(cookie),
        clientKind: input.client,
        ...device,
        userAgent: input.userAgent.slice(0, 512),
        ip: input.ip,
        createdAt,
        expiresAt: createdAt + policy.absoluteTimeoutDays * DAY_MS,
        idleTimeoutMs: policy.inactivityTimeoutMinutes * MINUTE_MS,
        location,
      },
      policy.maxConcurrentSessions,
      {
        workspaceId: user.workspaceId,
        type: 'sign_in',
        at: createdAt,
        actorUserId: user.id,
        targetUserId: user.id,
        sessionId: id,
        ip: input.ip,
        detail: { method: 'password', client: input.client, label: device.label, location, ...(via ? { via } : {}) },
      },
    );
    this.announce(evicted, 'session_limit');
    hub.sessionsChanged(user.id, new Set([id]));
    // The "new sign-in" alert, to the user's other sessions (never to the new one).
    hub.sendToUser(user.id, { type: 'session.created', session: summaryOf(session, location) }, new Set([id]));
    const token = await jwt.sign({ sub: user.id, sid: id }, createdAt, session.expiresAt);
    return { user, session, cookie, token };
  }

  async logout(session: SessionRef, ip: string): Promise<void> {
    await this.revokeOne(session, { by: session.userId, reason: 'signed_out', ip, auditType: 'sign_out' });
  }

  /**
   * Revokes one live session. `false` when it was already gone (revoked or
   * expired), which the caller answers as 404.
   */
  async revokeOne(
    session: SessionRef,
    how: { by: string | null; reason: RevokeReason; ip: string | null; auditType?: 'session_revoked' | 'sign_out' },
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    const revoked = await this.deps.store.revokeSession(
      session.id,
      { at: now, by: how.by, reason: how.reason },
      {
        workspaceId: session.workspaceId,
        type: how.auditType ?? 'session_revoked',
        at: now,
        actorUserId: how.by,
        targetUserId: session.userId,
        sessionId: session.id,
        ip: how.ip,
        detail: { reason: how.reason },
      },
    );
    if (revoked) this.announce([{ id: session.id, userId: session.userId }], how.reason);
    return revoked;
  }

  async revokeUserSessions(
    userId: string,
    workspaceId: string,
    how: { exceptSessionId: string | null; by: string | null; reason: RevokeReason; ip: string | null; auditType: AuditInput['type'] },
  ): Promise<RevokedSession[]> {
    const now = this.deps.clock.now();
    const revoked = await this.deps.store.revokeUserSessions(
      userId,
      how.exceptSessionId,
      { at: now, by: how.by, reason: how.reason },
      now,
      {
        workspaceId,
        type: how.auditType,
        at: now,
        actorUserId: how.by,
        targetUserId: userId,
        sessionId: how.exceptSessionId,
        ip: how.ip,
        detail: { reason: how.reason },
      },
    );
    this.announce(revoked, how.reason);
    return revoked;
  }

  async revokeWorkspaceSessions(workspaceId: string, how: { exceptSessionId: string | null; by: string; ip: string | null }) {
    const now = this.deps.clock.now();
    const revoked = await this.deps.store.revokeWorkspaceSessions(
      workspaceId,
      how.exceptSessionId,
      { at: now, by: how.by, reason: 'workspace_revoked' },
      now,
      {
        workspaceId,
        type: 'workspace_sessions_revoked',
        at: now,
        actorUserId: how.by,
        sessionId: how.exceptSessionId,
        ip: how.ip,
        detail: { reason: 'workspace_revoked' },
      },
    );
    this.announce(revoked, 'workspace_revoked');
    return revoked;
  }

  /** Live events: each revoked session's streams end; each affected user's other sessions refresh. */
  announce(revoked: RevokedSession[], reason: RevokeReason): void {
    const { hub } = this.deps;
    const ended = new Set<string>();
    const users = new Set<string>();
    for (const { id, userId } of revoked) {
      hub.sessionEnded(id, { type: 'session.revoked', sessionId: id, reason });
      ended.add(id);
      users.add(userId);
    }
    for (const userId of users) hub.sessionsChanged(userId, ended);
  }
}
