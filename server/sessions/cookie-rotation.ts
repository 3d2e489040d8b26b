import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import { secretHash } from '../security/secrets.js';
import type { TabStore } from '../store/types.js';
import type { SessionState } from './session-records.js';
import { PREVIOUS_COOKIE_GRACE_MS, WEB_COOKIE_ROTATION_MS, type SessionSecrets } from './session-secrets.js';
import type { SessionService } from './session-service.js';

/** Which of the session's cookies was presented. */
export type PresentedCookie = 'current' | 'previous';

/**
 * The rules of a rotating session cookie, the way OAuth rotates refresh
 * tokens. A session remembers its current cookie and exactly one previous
 * one. Given a live session and the cookie a request presented, `settle`
 * answers the cookie the response must set (if any), or ends the session:
 *
 * - A refresh (`rotate`) with the current cookie replaces it: the presented
 *   one becomes the previous one, the new one is not yet used.
 * - The current cookie on any other request, 24 h or more after it was
 *   issued, is replaced the same way (the web client's rotation).
 * - The previous cookie before the new one has been used (a lost response,
 *   two tabs, a retry) answers with the current cookie again: never a second
 *   rotation. The new cookie is derived from the previous one, so this needs
 *   no cookie stored in clear.
 * - The previous cookie up to 60 s after the new one's first use still works
 *   (requests that were in flight).
 * - The previous cookie later than that is a reuse: a thief and the owner
 *   both hold one credential. The whole session ends (`token_reuse`, audited,
 *   `session.revoked` to its streams), so neither keeps using it unnoticed.
 *
 * "Used" means the new cookie was presented, or an access token issued with
 * it was (desktop clients use the cookie only to refresh).
 */
export class CookieRotation {
  constructor(private readonly deps: { store: TabStore; clock: Clock; secrets: SessionSecrets; sessions: SessionService }) {}

  async settle(
    session: SessionState,
    presented: { cookie: string; which: PresentedCookie },
    how: { rotate: boolean; ip: string },
  ): Promise<string | undefined> {
    const now = this.deps.clock.now();
    if (presented.which === 'previous') {
      if (session.cookieUsedAt !== null && now - session.cookieUsedAt > PREVIOUS_COOKIE_GRACE_MS) return this.reuse(session, how.ip);
      return this.deps.secrets.nextCookie(presented.cookie);
    }
    if (how.rotate || now - session.cookieIssuedAt >= WEB_COOKIE_ROTATION_MS) {
      const next = this.deps.secrets.nextCookie(presented.cookie);
      // False when a rotation of this very cookie came first (two tabs at once): it made the same next cookie.
      await this.deps.store.rotateCookie({ sessionId: session.id, fromHash: secretHash(presented.cookie), toHash: secretHash(next), at: now });
      return next;
    }
    await this.markUsed(session, now);
    return undefined;
  }

  /** The session's newest pair is in use (its cookie, or an access token issued with it): from now on the previous cookie has 60 s. */
  async markUsed(session: SessionState, now: number): Promise<void> {
    if (session.cookieUsedAt === null) await this.deps.store.markCookieUsed(session.id, now);
  }

  private async reuse(session: SessionState, ip: string): Promise<never> {
    await this.deps.sessions.revokeOne(session, { by: null, reason: 'token_reuse', ip, auditType: 'token_reuse_detected' });
    throw new HttpError('session_revoked', 'This session was ended: its sign-in cookie was used again after it had been replaced.', {
      reason: 'token_reuse',
    });
  }
}
