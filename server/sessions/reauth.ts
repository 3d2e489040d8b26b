import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { AccountUser, TabStore } from '../store/types.js';
import { REAUTH_LIMIT_PER_USER, throttleKeys, type AttemptThrottle } from './attempt-throttle.js';

/** What a password re-check guards, as its audit row names it. */
export type ReauthAction = 'password_change' | 'workspace_revoke_all' | 'api_token_create';

/**
 * "Enter your password again" before a sensitive change: throttled per user
 * (10 failures in 15 minutes, then 429, whatever the session), each failure
 * audited as `reauth_failed` with the action. A wrong password is 403
 * `reauth_failed`, never a 401: to every TAB client a 401 means "signed out".
 * Authentication does not read password hashes (every request would pay for
 * it), so the hash is read here.
 */
export class Reauthenticator {
  constructor(private readonly deps: { store: TabStore; clock: Clock; passwords: PasswordHasher; throttle: AttemptThrottle }) {}

  async confirm(who: { user: AccountUser; sessionId: string | null; ip: string }, password: string, action: ReauthAction, wrongMessage: string): Promise<void> {
    const { store, clock, passwords, throttle } = this.deps;
    const key = throttleKeys.reauth(who.user.id);
    const attempt = await throttle.reserve([{ key, limit: REAUTH_LIMIT_PER_USER, what: 'wrong passwords' }]);
    let ok: boolean;
    try {
      const user = await store.findUserById(who.user.id);
      ok = user ? await passwords.verify(password, user.passwordHash) : false;
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    if (ok) return attempt.succeeded([key]);
    await store.appendAudit({
      workspaceId: who.user.workspaceId,
      type: 'reauth_failed',
      at: clock.now(),
      actorUserId: who.user.id,
      targetUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
      detail: { action },
    });
    throw new HttpError('reauth_failed', wrongMessage);
  }
}
