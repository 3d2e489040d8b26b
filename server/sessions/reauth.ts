import { REAUTH_GRANT_TTL_MS } from '../../shared/api/mfa.js';
import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { AccountUser, TabStore } from '../store/types.js';
import type { SecondFactor } from '../mfa/second-factor.js';
import { REAUTH_LIMIT_PER_USER, throttleKeys, type AttemptThrottle } from './attempt-throttle.js';

/** What a re-check guards, as its audit row names it. */
export type ReauthAction = 'password_change' | 'workspace_revoke_all' | 'api_token_create' | 'two_factor_enrol' | 'two_factor_disable' | 'passkey_remove' | 'member_passkey_remove' | 'reauth_grant' | 'two_factor_reset' | 'recovery_codes_regenerate';

export interface ReauthWho {
  user: AccountUser;
  sessionId: string | null;
  ip: string;
}

/**
 * What a sensitive endpoint was given: a grant from POST /auth/reauth, or
 * the password (and the authenticator code when the account has two-factor).
 */
export interface ReauthProof {
  password?: string;
  code?: string;
  grant?: string;
}

/**
 * "Prove it is you again" before a sensitive change: throttled per user (10
 * failures in 15 minutes, then 429, whatever the session), each failure
 * audited as `reauth_failed` with the action. A wrong password is 403
 * `reauth_failed` and a wrong code 403 `mfa_code_invalid`, never a 401: to
 * every TAB client a 401 means "signed out". Authentication does not read
 * password hashes (every request would pay for it), so the hash is read here.
 *
 * Re-check grants: a passed re-check, good for 5 minutes in the session that
 * made it, accepted by every sensitive endpoint instead of the password.
 * Other ways to prove it (a passkey assertion, an SSO round trip with
 * max_age=0) verify their proof themselves and then call `issueGrant` with
 * their method: that is the hook for issue #15 items 2 and 3.
 */
export class Reauthenticator {
  constructor(private readonly deps: { store: TabStore; clock: Clock; passwords: PasswordHasher; throttle: AttemptThrottle; secondFactor: SecondFactor }) {}

  /** A grant, or the password (+ code): the one check every sensitive endpoint makes. */
  async require(who: ReauthWho, proof: ReauthProof, action: ReauthAction, wrongMessage: string): Promise<void> {
    if (proof.grant !== undefined) return this.checkGrant(who, proof.grant);
    if (proof.password === undefined) throw new HttpError('invalid_request', 'Give your password (or a re-check grant) to confirm it is you.');
    await this.confirm(who, { password: proof.password, code: proof.code }, action, wrongMessage);
  }

  /** The password, then the authenticator code if the account has two-factor; answers the method that passed. */
  async confirm(who: ReauthWho, proof: { password: string; code?: string }, action: ReauthAction, wrongMessage: string): Promise<'password' | 'password+totp'> {
    const { store, clock, passwords, throttle, secondFactor } = this.deps;
    const key = throttleKeys.reauth(who.user.id);
    const attempt = await throttle.reserve([{ key, limit: REAUTH_LIMIT_PER_USER, what: 'wrong passwords or codes' }]);
    let ok: boolean;
    let twoFactor: boolean;
    let methods: string[];
    try {
      const user = await store.findUserById(who.user.id);
      ok = user ? await passwords.verify(proof.password, user.passwordHash) : false;
      methods = ok ? await secondFactor.methodsOf(who.user.id) : [];
      twoFactor = methods.includes('totp');
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    const fail = async (reason: 'wrong_password' | 'wrong_code', error: HttpError) => {
      await store.appendAudit({
        workspaceId: who.user.workspaceId,
        type: 'reauth_failed',
        at: clock.now(),
        actorUserId: who.user.id,
        targetUserId: who.user.id,
        sessionId: who.sessionId,
        ip: who.ip,
        detail: { action, reason },
      });
      throw error;
    };
    if (!ok) return fail('wrong_password', new HttpError('reauth_failed', wrongMessage));
    if (!twoFactor && methods.includes('passkey')) {
      // The right password, but the account's second factor is a passkey: the
      // password alone must not pass for both (re-check with the passkey instead).
      await attempt.abandoned();
      throw new HttpError('passkey_required', 'Confirm it is you with your passkey.');
    }
    if (!twoFactor) {
      await attempt.succeeded([key]);
      return 'password';
    }
    if (proof.code === undefined) {
      // The right password: not a failure, but not enough either.
      await attempt.abandoned();
      throw new HttpError('mfa_code_required', 'Enter the code from your authenticator app too.');
    }
    const method = await secondFactor.verify(proof.code, who);
    if (method === null) return fail('wrong_code', new HttpError('mfa_code_invalid', 'That code is not right, or it was used already.'));
    await attempt.succeeded([key]);
    return 'password+totp';
  }

  /** POST /auth/reauth with the password (+ code): a grant for this session. */
  async grantWithPassword(who: ReauthWho & { sessionId: string }, proof: { password: string; code?: string }): Promise<{ grant: string; expiresAt: number }> {
    const method = await this.confirm(who, proof, 'reauth_grant', 'That password is not right.');
    return this.issueGrant(who, method);
  }

  /** A grant for a re-check that passed (the hook for other proofs: passkey, SSO). Stored by its hash only. */
  async issueGrant(who: ReauthWho & { sessionId: string }, method: string): Promise<{ grant: string; expiresAt: number }> {
    const now = this.deps.clock.now();
    const grant = randomSecret();
    const expiresAt = now + REAUTH_GRANT_TTL_MS;
    await this.deps.store.createReauthGrant({ secretHash: secretHash(grant), sessionId: who.sessionId, userId: who.user.id, method, createdAt: now, expiresAt });
    return { grant, expiresAt };
  }

  private async checkGrant(who: ReauthWho, grant: string): Promise<void> {
    const found = await this.deps.store.findReauthGrant(secretHash(grant), this.deps.clock.now());
    if (!found || found.sessionId !== who.sessionId || found.userId !== who.user.id) {
      throw new HttpError('reauth_grant_invalid', 'That re-check has expired or belongs to another session. Confirm it is you again.');
    }
  }
}
