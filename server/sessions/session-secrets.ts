import { createHmac } from 'node:crypto';
import { DAY_MS, MINUTE_MS } from '../platform/clock.js';
import type { JwtService } from '../security/jwt.js';
import { randomSecret } from '../security/secrets.js';
import type { SessionState } from './session-records.js';

/** An access token (JWT) lives 15 minutes; the session behind it lives on, and the client refreshes. */
export const ACCESS_TOKEN_TTL_MS = 15 * MINUTE_MS;
/** A web client's cookie is replaced on its first request this long after it was issued. */
export const WEB_COOKIE_ROTATION_MS = DAY_MS;
/** After the new cookie's first use, the previous one still works this long (requests already in flight). */
export const PREVIOUS_COOKIE_GRACE_MS = 60_000;

/**
 * The two credentials of a session: the opaque cookie (the refresh
 * credential; the web client's only one) and the short-lived access token
 * (JWT) made from it.
 */
export class SessionSecrets {
  private readonly rotationKey: Buffer;

  constructor(
    private readonly jwt: JwtService,
    serverKey: Uint8Array,
  ) {
    // A key of its own, derived from the server's, so that it signs nothing else.
    this.rotationKey = createHmac('sha256', serverKey).update('tab session cookie rotation v1').digest();
  }

  /** A sign-in's cookie: 256 random bits. */
  newCookie(): string {
    return randomSecret();
  }

  /**
   * The cookie that replaces `cookie` when it rotates. Derived (HMAC under a
   * server key) rather than random, so that the server can answer a replayed
   * rotation — a lost response, a retry, two tabs — with the same new cookie
   * without ever storing a cookie in clear; and nobody without the key can
   * compute it.
   */
  nextCookie(cookie: string): string {
    return createHmac('sha256', this.rotationKey).update(cookie, 'utf8').digest('base64url');
  }

  /**
   * An access token for the session: 15 minutes, never past the session's own
   * end, naming the cookie it goes with (`ci`, that cookie's issue time).
   */
  accessToken(session: Pick<SessionState, 'id' | 'userId' | 'expiresAt' | 'cookieIssuedAt'>, now: number): Promise<string> {
    return this.jwt.sign(
      { sub: session.userId, sid: session.id, ci: session.cookieIssuedAt },
      now,
      Math.min(now + ACCESS_TOKEN_TTL_MS, session.expiresAt),
    );
  }
}
