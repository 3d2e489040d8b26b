import { API_TOKEN_PREFIX } from '../../shared/api/api-tokens.js';
import { MINUTE_MS, type Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { JwtService, SessionClaims } from '../security/jwt.js';
import { andThen, type MaybePromise } from '../platform/maybe-promise.js';
import { secretHash } from '../security/secrets.js';
import type { TabStore } from '../store/types.js';
import { sessionExpiry, type SessionState, type SessionWithUser } from './session-records.js';
import type { EventHub } from '../events/event-hub.js';
import type { AuthContext, SessionAuth } from './auth-context.js';
import type { CookieRotation } from './cookie-rotation.js';
import type { SessionWhereabouts } from './session-whereabouts.js';

/** last_seen_at moves at most once a minute, so that reads do not all become writes. */
export const LAST_SEEN_RESOLUTION_MS = MINUTE_MS;

const unauthenticated = () => new HttpError('unauthenticated', 'Sign in to continue.');

export interface Credentials {
  bearer?: string;
  cookie?: string;
  ip: string;
  /** A refresh: the cookie rotates, and it is not activity (an idle desktop still reaches its inactivity timeout). */
  refresh?: boolean;
  /** The request's User-Agent, compared with the session's browser and OS (see SessionWhereabouts). */
  userAgent?: string;
}

/**
 * Turns a request's credentials into an AuthContext, or throws the 401 that the
 * contract names. Asks the store on every call for the session as committed
 * now (the store checks the account's version in the database each time), so
 * a revocation bites on the very next request.
 */
export class Authenticator {
  constructor(
    private readonly deps: { store: TabStore; clock: Clock; jwt: JwtService; hub: EventHub; cookies: CookieRotation; whereabouts?: SessionWhereabouts },
  ) {}

  /**
   * On SQLite a client's usual request (its access token verified before, its
   * account's snapshot current, nothing to write) is answered at once, without
   * a promise: the authentication hook runs on every request, and each await
   * on the way costs a turn of the microtask queue. Anything else (a first
   * verification, a database answer that comes later, a write) answers a
   * promise. Either way a refusal is thrown (synchronously, or as the rejection).
   */
  authenticate(credentials: Credentials): MaybePromise<AuthContext> {
    const now = this.deps.clock.now();
    if (credentials.bearer !== undefined) {
      if (credentials.bearer.startsWith(API_TOKEN_PREFIX)) return this.fromApiToken(credentials.bearer, now);
      return this.fromJwt(credentials.bearer, now, credentials);
    }
    if (credentials.cookie !== undefined) return this.fromCookie(credentials.cookie, now, credentials);
    throw unauthenticated();
  }

  /**
   * The session cookie: the web client's credential, and everyone's refresh
   * credential. Its rotation rules (CookieRotation) may answer a cookie for
   * the response to set, or end the session on reuse.
   */
  private async fromCookie(cookie: string, now: number, origin: Credentials): Promise<SessionAuth> {
    const found = await this.deps.store.findSessionWithUser({ cookieHash: secretHash(cookie) }, now);
    if (!found) throw unauthenticated();
    const refresh = origin.refresh === true;
    const auth = await this.fromSession(found, now, true, origin, !refresh);
    const setCookie = await this.deps.cookies.settle(found.session, { cookie, which: found.cookie ?? 'current' }, { rotate: refresh, ip: origin.ip });
    return setCookie === undefined ? auth : { ...auth, setCookie };
  }

  private fromJwt(token: string, now: number, origin: Credentials): MaybePromise<AuthContext> {
    const verified = this.deps.jwt.verifiedClaims(token, now);
    return verified ? this.fromVerifiedJwt(verified, now, origin) : this.fromJwtVerifying(token, now, origin);
  }

  private fromVerifiedJwt(claims: SessionClaims, now: number, origin: Credentials): MaybePromise<AuthContext> {
    return andThen(this.deps.store.findSessionWithUser({ id: claims.sid, userId: claims.sub }, now), (found) => {
      if (!found || found.session.userId !== claims.sub) throw unauthenticated();
      return andThen(this.fromSession(found, now, false, origin, true), (auth) => {
        // An access token issued with the session's newest cookie: that pair is in use now (written once, when it was not yet).
        if (claims.ci !== found.session.cookieIssuedAt || found.session.cookieUsedAt !== null) return auth;
        return this.deps.cookies.markUsed(found.session, now).then(() => auth);
      });
    });
  }

  private async fromJwtVerifying(token: string, now: number, origin: Credentials): Promise<AuthContext> {
    const claims = await this.deps.jwt.verify(token, now);
    if (claims) return this.fromVerifiedJwt(claims, now, origin);
    // A genuine access token past its 15 minutes: if its session has ended, the
    // session's own answer says why (revoked, expired); if the session is live,
    // 401 token_expired tells the client to refresh and retry. It never
    // authenticates.
    const expired = await this.deps.jwt.verifyExpired(token, now);
    if (expired) {
      const found = await this.deps.store.findSessionWithUser({ id: expired.sid, userId: expired.sub }, now);
      if (found && found.session.userId === expired.sub) {
        await this.assertLive(found, now, origin.ip);
        throw new HttpError('token_expired', 'The access token expired: refresh it and try again.');
      }
    }
    throw unauthenticated();
  }

  /** Throws the 401 of a session that has ended: revoked, expired (noticed once, then the promise rejects), or its user disabled. */
  private assertLive({ session, user }: SessionWithUser, now: number, ip: string): MaybePromise<void> {
    if (session.revokedAt !== null) {
      throw new HttpError('session_revoked', 'This session was signed out.', { reason: session.revokeReason ?? 'signed_out' });
    }
    const expiry = sessionExpiry(session, now);
    if (expiry) {
      return this.noticeExpiry(session, expiry, now, ip).then(() => {
        throw new HttpError('session_expired', 'Your session expired. Sign in again.', { reason: expiry });
      });
    }
    if (user.disabledAt !== null) {
      throw new HttpError('session_revoked', 'This account was disabled.', { reason: 'member_disabled' });
    }
  }

  /**
   * A live session's request. `activity` (every request but a refresh) moves
   * last_seen_at; the address and browser are compared with the session's
   * (SessionWhereabouts) on every request, a refresh included.
   */
  private fromSession(found: SessionWithUser, now: number, viaCookie: boolean, { ip, userAgent }: Credentials, activity: boolean): MaybePromise<SessionAuth> {
    const { session, user, accountVersion } = found;
    return andThen(this.assertLive(found, now, ip), () =>
      // Another address or browser: located, compared with the policy (may throw the 401); null, at once, otherwise.
      andThen(this.deps.whereabouts?.observe(session, { ip, userAgent }, now) ?? null, (seen): MaybePromise<SessionAuth> => {
        if (activity && now - session.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
          // That write moves the account's version: what was read is no longer the latest.
          return this.deps.store.touchSession(session.id, now, seen?.sighting).then(() => ({ kind: 'session', user, session: { ...session, lastSeenAt: now }, viaCookie, accountVersion: null }));
        }
        return { kind: 'session', user, session, viaCookie, accountVersion: seen?.written ? null : accountVersion };
      }),
    );
  }

  /** Records the expiry once (audit row, event to the session's open streams). */
  async noticeExpiry(session: SessionState, reason: 'inactivity' | 'absolute', now: number, ip: string | null): Promise<void> {
    const first = await this.deps.store.markExpiryNoticed(session.id, now, {
      workspaceId: session.workspaceId,
      type: 'session_expired',
      at: now,
      actorUserId: null,
      targetUserId: session.userId,
      sessionId: session.id,
      ip,
      detail: { reason },
    });
    if (first) {
      this.deps.hub.sessionEnded(session.id, { type: 'session.revoked', sessionId: session.id, reason });
      this.deps.hub.sessionsChanged(session.userId, new Set([session.id]));
    }
  }

  private async fromApiToken(raw: string, now: number): Promise<AuthContext> {
    const { store } = this.deps;
    const token = await store.findApiTokenByHash(secretHash(raw));
    if (!token || token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now)) throw unauthenticated();
    const user = await store.findUserById(token.userId);
    if (!user || user.disabledAt !== null) throw unauthenticated();
    if (token.lastUsedAt === null || now - token.lastUsedAt >= LAST_SEEN_RESOLUTION_MS) await store.touchApiToken(token.id, now);
    return { kind: 'api_token', user, token };
  }
}

