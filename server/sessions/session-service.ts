import { randomUUID } from 'node:crypto';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { SessionPolicy } from '../../shared/api/admin.js';
import type { SessionLocation } from '../../shared/api/events.js';
import type { RevokeReason } from '../../shared/errors.js';
import { DAY_MS, MINUTE_MS, type Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { secretHash } from '../security/secrets.js';
import type { AlsoApiTokens, AuditInput, StoredUser, TabStore } from '../store/types.js';
import { sessionExpiry, type NewSession, type Revocation, type RevokedSession, type SessionState, type StoredSession } from './session-records.js';
import type { EventHub } from '../events/event-hub.js';
import { describeDevice } from './device-label.js';
import { signInLimits, throttleKeys, type Attempt, type AttemptThrottle } from './attempt-throttle.js';
import type { SessionSecrets } from './session-secrets.js';
import type { Locator } from '../geoip/locator.js';
import { summaryOf } from './session-view.js';
import type { ChallengeOutcome } from '../mfa/login-challenges.js';

/** Enough of a session to revoke it and tell the right people. */
export type SessionRef = Pick<SessionState, 'id' | 'userId' | 'workspaceId'>;

export interface LoginInput {
  email: string;
  password: string;
  client: ClientKind;
  deviceName?: string;
  userAgent: string;
  ip: string;
  /** The `tab_session` cookie the request carried, if any: a browser signing in again. */
  presentedCookie?: string;
}

export interface LoginResult {
  user: StoredUser;
  session: StoredSession;
  cookie: string;
  token: string;
}

/**
 * The second step after a right password (server/mfa/login-challenges.ts):
 * a challenge when the member has two-factor or must enrol, else null.
 */
export type SecondStep = (
  user: StoredUser,
  device: { client: ClientKind; deviceName?: string },
  via?: 'invitation' | 'password_reset',
) => Promise<ChallengeOutcome | null>;

/** A session's rows before they are written (SessionService.planSession), the cookie they are for and where it signs in from. */
export interface PlannedSession {
  cookie: string;
  location: SessionLocation | null;
  record: { input: NewSession; maxConcurrent: number | null; audit: AuditInput };
}

/** What a right password leads to: a session, or a second step. */
export type LoginOutcome = LoginResult | ChallengeOutcome;

export const isChallenge = (outcome: LoginOutcome): outcome is ChallengeOutcome => 'kind' in outcome && outcome.kind === 'challenge';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Signing in, and every way a session ends. Each change is one store call (the
 * change and its audit row commit together), followed by the live events.
 */
export class SessionService {
  constructor(
    private readonly deps: {
      store: TabStore;
      clock: Clock;
      hub: EventHub;
      passwords: PasswordHasher;
      throttle: AttemptThrottle;
      secrets: SessionSecrets;
      locator?: Locator;
      /** Set once the two-factor services exist (they start sessions through this one). */
      secondStep?: SecondStep;
    },
  ) {}

  /** Wires the second step in (app.ts): the login challenges need this service, and it needs them. */
  useSecondStep(secondStep: SecondStep): void {
    this.deps.secondStep = secondStep;
  }

  /**
   * Signs in. The attempt is reserved under the email and the client's
   * address before the password is checked (10 and 50 failures in 15
   * minutes), and the address's earlier attempts rank it in the hashing
   * queue, so that a flood of guesses waits behind everyone else.
   */
  async login(input: LoginInput): Promise<LoginOutcome> {
    const { store, clock } = this.deps;
    const email = normalizeEmail(input.email);
    const emailKey = throttleKeys.signInEmail(email);
    const attempt = await this.deps.throttle.reserve(signInLimits(email, input.ip));
    const checked = await this.checkPassword(email, input.password, attempt);
    if (!checked.ok) {
      // The attempt stays reserved: it is one of the email's and the address's failures now.
      await store.appendAudit({
        workspaceId: checked.user?.workspaceId ?? null,
        type: 'sign_in_failed',
        at: clock.now(),
        targetUserId: checked.user?.id ?? null,
        ip: input.ip,
        detail: { reason: checked.user ? 'wrong_password' : 'unknown_email', client: input.client },
      });
      throw new HttpError('invalid_credentials', 'The email or password is not right.');
    }
    const { user } = checked;
    if (user.disabledAt !== null) {
      // The right password: not a guess to count, but no way in either.
      await attempt.succeeded();
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
    await attempt.succeeded([emailKey]);
    await this.refuseWhenSsoRequired(user, input);
    // Two-factor: no session yet, a challenge instead (the older session, if any, ends when the second step succeeds).
    const challenge = await this.secondStepFor(user, input);
    if (challenge) return challenge;
    if (input.presentedCookie) await this.supersede(input.presentedCookie, user.id, input.ip);
    return this.startSession(user, input);
  }

  /** The challenge a member whose identity is settled must still pass (two-factor), or null. */
  async secondStepFor(user: StoredUser, device: { client: ClientKind; deviceName?: string }, via?: 'invitation' | 'password_reset'): Promise<ChallengeOutcome | null> {
    return (await this.deps.secondStep?.(user, device, via)) ?? null;
  }

  /**
   * "Require SSO" (issue #15 item 4): a member of such a workspace signs in
   * only through its identity provider, but for the one break-glass admin.
   * Checked after the password, so the answer tells nothing to someone
   * guessing (a wrong password is `invalid_credentials` as ever).
   */
  async refuseWhenSsoRequired(user: StoredUser, input: Pick<LoginInput, 'client' | 'ip'>): Promise<void> {
    const sso = await this.deps.store.getSsoConfig(user.workspaceId);
    if (!sso?.requireSso || sso.breakGlassUserId === user.id) return;
    await this.deps.store.appendAudit({
      workspaceId: user.workspaceId,
      type: 'sign_in_failed',
      at: this.deps.clock.now(),
      targetUserId: user.id,
      ip: input.ip,
      detail: { reason: 'sso_required', client: input.client },
    });
    throw new HttpError('sso_required', 'Your firm signs in to TAB with single sign-on. Use “Sign in with SSO”.');
  }

  /**
   * Whether the password is right for the email. An unknown email runs the
   * same hash on the same pool, so that its answer takes as long.
   */
  private async checkPassword(email: string, password: string, attempt: Attempt): Promise<{ ok: true; user: StoredUser } | { ok: false; user?: StoredUser }> {
    const { store, passwords } = this.deps;
    const priority = attempt.earlier[1] ?? 0;
    try {
      const user = await store.findUserByEmail(email);
      if (!user) return { ok: await passwords.verifyNobody(password, priority) };
      return (await passwords.verify(password, user.passwordHash, priority)) ? { ok: true, user } : { ok: false, user };
    } catch (error) {
      // Refused before any check (server_busy): it was no attempt at all.
      await attempt.abandoned();
      throw error;
    }
  }

  /**
   * A browser signing in again carries its older session's cookie: that
   * session ends (`superseded`), so that each sign-in gets a fresh session
   * credential (ASVS 7.2.4) and the old one cannot linger. Sign-ins without a
   * cookie (the desktop's main process, scripts) supersede nothing.
   */
  async supersede(cookie: string, by: string, ip: string): Promise<void> {
    const session = await this.supersedable(cookie);
    if (session) await this.revokeOne(session, { by, reason: 'superseded', ip });
  }

  /** The live session a presented cookie would supersede, if any (the two-factor step ends it in its own transaction). */
  async supersedable(cookie: string): Promise<SessionRef | undefined> {
    const now = this.deps.clock.now();
    const found = await this.deps.store.findSessionWithUser({ cookieHash: secretHash(cookie) }, now);
    const session = found?.session;
    if (!session || session.revokedAt !== null || sessionExpiry(session, now)) return undefined;
    return session;
  }

  /** revokeOne()'s revocation and audit row, for a caller that writes them itself; announce() after. */
  revocationOf(session: SessionRef, how: { by: string | null; reason: RevokeReason; ip: string | null }): { sessionId: string; revocation: Revocation; audit: AuditInput } {
    const now = this.deps.clock.now();
    return {
      sessionId: session.id,
      revocation: { at: now, by: how.by, reason: how.reason },
      audit: {
        workspaceId: session.workspaceId,
        type: 'session_revoked',
        at: now,
        actorUserId: how.by,
        targetUserId: session.userId,
        sessionId: session.id,
        ip: how.ip,
        detail: { reason: how.reason },
      },
    };
  }

  /**
   * A new session for someone whose identity is settled (a password checked,
   * an invitation or reset link used): the session row under the workspace's
   * policy (the device limit applied in the same step), its audit row, the live
   * events, and the credentials (cookie and JWT).
   */
  async startSession(
    user: StoredUser,
    input: Omit<LoginInput, 'email' | 'password'>,
    via?: 'invitation' | 'password_reset',
    /** How the identity was settled, for the sign-in's audit row: `password`, `password+totp`, `password+recovery_code` (passkey and SSO add theirs). */
    method = 'password',
  ): Promise<LoginResult> {
    const planned = this.planSession(user, input, await this.deps.store.getSessionPolicy(user.workspaceId), via, method);
    const { session, evicted } = await this.deps.store.createSession(planned.record.input, planned.record.maxConcurrent, planned.record.audit);
    return this.sessionStarted(user, planned, session, evicted);
  }

  /**
   * startSession()'s rows before they are written (a caller that writes them
   * in a transaction of its own, the two-factor step, server/mfa/login-challenges.ts),
   * with the cookie they are for.
   */
  planSession(
    user: StoredUser,
    input: Omit<LoginInput, 'email' | 'password'>,
    policy: SessionPolicy,
    via: 'invitation' | 'password_reset' | undefined,
    method: string,
  ): PlannedSession {
    const { clock, secrets } = this.deps;
    const createdAt = clock.now();
    const device = describeDevice(input.client, input.userAgent, input.deviceName);
    const location = this.deps.locator?.locate(input.ip) ?? null;
    const cookie = secrets.newCookie();
    const id = randomUUID();
    return {
      cookie,
      location,
      record: {
        input: {
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
        maxConcurrent: policy.maxConcurrentSessions,
        audit: {
          workspaceId: user.workspaceId,
          type: 'sign_in',
          at: createdAt,
          actorUserId: user.id,
          targetUserId: user.id,
          sessionId: id,
          ip: input.ip,
          detail: { method, client: input.client, label: device.label, labelSource: device.labelSource, location, ...(via ? { via } : {}) },
        },
      },
    };
  }

  /** After a new session's rows are written: the live events (evictions, the "new sign-in" alert) and the credentials. */
  async sessionStarted(user: StoredUser, planned: Pick<PlannedSession, 'cookie' | 'location'>, session: StoredSession, evicted: RevokedSession[]): Promise<LoginResult> {
    const { hub, secrets } = this.deps;
    this.announce(evicted, 'session_limit');
    hub.sessionsChanged(user.id, new Set([session.id]));
    // The "new sign-in" alert, to the user's other sessions (never to the new one).
    hub.sendToUser(user.id, { type: 'session.created', session: summaryOf(session, planned.location) }, new Set([session.id]));
    const token = await secrets.accessToken(session, session.createdAt);
    return { user, session, cookie: planned.cookie, token };
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
    how: { by: string | null; reason: RevokeReason; ip: string | null; auditType?: 'session_revoked' | 'sign_out' | 'token_reuse_detected' },
  ): Promise<boolean> {
    const { revocation, audit } = this.revocationOf(session, how);
    const revoked = await this.deps.store.revokeSession(session.id, revocation, { ...audit, type: how.auditType ?? 'session_revoked' });
    if (revoked) this.announce([{ id: session.id, userId: session.userId }], how.reason);
    return revoked;
  }

  /** With `also.apiTokens`, the user's API tokens end too (every sign-out path but "sign out everywhere else"). */
  async revokeUserSessions(
    userId: string,
    workspaceId: string,
    how: { exceptSessionId: string | null; by: string | null; reason: RevokeReason; ip: string | null; auditType: AuditInput['type'] },
    also?: AlsoApiTokens,
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
      also,
    );
    this.announce(revoked, how.reason);
    return revoked;
  }

  /** Every session of the workspace but the caller's, and every API token in it. */
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

  /**
   * Live events: each revoked session's streams end; each affected user's other
   * sessions refresh. A user's refresh leaves out that user's own ended
   * sessions only: it reaches that user's streams alone, so no other id could
   * matter, and after a workspace's revoke-all each message stays small (on
   * PostgreSQL each is a bus message, under NOTIFY's 8,000 bytes; every
   * revoked id in each of them was megabytes, which the bus refuses).
   */
  announce(revoked: RevokedSession[], reason: RevokeReason): void {
    const endedOf = new Map<string, string[]>();
    for (const { id, userId } of revoked) {
      const ended = endedOf.get(userId);
      if (ended) ended.push(id);
      else endedOf.set(userId, [id]);
    }
    // One delivery per user (on PostgreSQL one bus message per user, not one per session).
    for (const [userId, ended] of endedOf) this.deps.hub.sessionsEnded(userId, ended, reason);
  }
}
