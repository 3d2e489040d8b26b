import { policyCovers, type MemberTwoFactor, type ReauthOptions } from '../../shared/api/mfa.js';
import type { SsoFlavor } from '../../shared/api/sso.js';
import type { Clock } from '../platform/clock.js';
import { HttpError, notFound } from '../http/http-error.js';
import type { AuthContext, SessionAuth } from '../sessions/auth-context.js';
import type { ReauthProof, ReauthWho, Reauthenticator } from '../sessions/reauth.js';
import type { SessionService } from '../sessions/session-service.js';
import type { StoredUser, TabStore } from '../store/types.js';
import { requireRole } from '../http/request-context.js';
import type { SecondFactor } from './second-factor.js';

/**
 * Two-factor as an admin sees it for a member, the admin's reset of it (a
 * member lost their phone), and the ways a person can re-check (what the
 * shared re-check dialog offers).
 *
 * Choices where issue #15 is silent:
 * - Only admins reset, after a re-check of their own; managers may read the
 *   state (they read members and their sessions too).
 * - The reset removes the authenticator app and its recovery codes; passkeys
 *   stay (a security key or a laptop's passkey is not lost with a phone). The
 *   answer and the dialog say how many remain.
 * - Every session of the member ends (`revoked_by_admin`), so whoever holds
 *   the phone or a session on it is out; API tokens keep working (a lost phone
 *   is not a leaked script). The member signs in again with the password and
 *   is sent to enrol when the policy requires two-factor of them.
 * - Not on oneself: an admin changing phones uses their Profile (turn off,
 *   then set up again), which keeps their own session.
 */
export class TwoFactorReset {
  constructor(private readonly deps: { store: TabStore; clock: Clock; reauth: Reauthenticator; sessions: SessionService; secondFactor: SecondFactor }) {}

  async memberStatus(auth: AuthContext, userId: string): Promise<MemberTwoFactor> {
    requireRole(auth, 'admin', 'manager');
    const member = await this.#memberOf(auth, userId);
    return this.#statusOf(member);
  }

  async reset(auth: SessionAuth, userId: string, proof: ReauthProof, from: { ip: string }): Promise<{ signedOut: number; passkeysKept: number }> {
    requireRole(auth, 'admin');
    const { store, clock, reauth, sessions, secondFactor } = this.deps;
    const member = await this.#memberOf(auth, userId);
    if (member.id === auth.user.id) throw new HttpError('invalid_request', 'Reset your own two-factor from your Profile: turn it off there, then set it up again.');
    if (!(await secondFactor.methodsOf(member.id)).includes('totp')) throw new HttpError('mfa_not_enabled', 'This member has no authenticator app to reset.');
    const who: ReauthWho = { user: auth.user, sessionId: auth.session.id, ip: from.ip };
    await reauth.require(who, proof, 'two_factor_reset', 'That password is not right.');
    // Sessions first: if the removal then found nothing (the member turned it off meanwhile), the outcome is the same.
    const revoked = await sessions.revokeUserSessions(member.id, member.workspaceId, {
      exceptSessionId: null,
      by: auth.user.id,
      reason: 'revoked_by_admin',
      ip: from.ip,
      auditType: 'session_revoked',
    });
    await store.removeTotpFactor(member.id, {
      workspaceId: member.workspaceId,
      type: 'two_factor_reset',
      at: clock.now(),
      actorUserId: auth.user.id,
      targetUserId: member.id,
      sessionId: auth.session.id,
      ip: from.ip,
      detail: { signedOut: revoked.length, removed: ['totp', 'recovery_codes'] },
    });
    return { signedOut: revoked.length, passkeysKept: await store.countPasskeys(member.id) };
  }

  /** What the re-check dialog offers this person. */
  async reauthOptions(user: Pick<StoredUser, 'id' | 'workspaceId'>): Promise<ReauthOptions> {
    const { store, secondFactor } = this.deps;
    const methods = await secondFactor.methodsOf(user.id);
    const config = await store.getSsoConfig(user.workspaceId);
    const linked = config ? await store.hasExternalIdentity(user.id, config.issuer) : false;
    return {
      totp: methods.includes('totp'),
      passkey: methods.includes('passkey'),
      sso: config && linked ? { provider: providerName(config.flavor, config.issuer) } : null,
    };
  }

  async #statusOf(member: StoredUser): Promise<MemberTwoFactor> {
    const { store, secondFactor } = this.deps;
    const methods = await secondFactor.methodsOf(member.id);
    const authenticatorApp = methods.includes('totp');
    return {
      authenticatorApp,
      recoveryCodesLeft: authenticatorApp ? await store.countRecoveryCodesLeft(member.id) : 0,
      passkeys: await store.countPasskeys(member.id),
      required: policyCovers(await store.getTwoFactorPolicy(member.workspaceId), member.role),
    };
  }

  async #memberOf(auth: AuthContext, userId: string): Promise<StoredUser> {
    const member = await this.deps.store.findUserById(userId);
    if (!member || member.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    return member;
  }
}

/** “Confirm with Google”, “Confirm with Microsoft”, else the issuer's host name. */
export function providerName(flavor: SsoFlavor, issuer: string): string {
  if (flavor === 'google') return 'Google';
  if (flavor === 'entra') return 'Microsoft';
  try {
    return new URL(issuer).hostname;
  } catch {
    return 'your identity provider';
  }
}
