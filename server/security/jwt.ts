import { createHmac } from 'node:crypto';
import { decodeJwt, jwtVerify, errors } from 'jose';
import { setBounded } from '../platform/bounded-map.js';

export const JWT_ISSUER = 'tab';
export const JWT_AUDIENCE = 'tab-api';
/** Pinned: a token with any other `alg` (including `none`) is refused. */
export const JWT_ALGORITHMS = ['HS256'] as const;

export interface SessionClaims {
  sub: string;
  sid: string;
  /**
   * When the session cookie this token was issued with was issued (ms): using
   * the token shows that the newest cookie's pair is in use (rotation).
   */
  ci?: number;
}

/**
 * Tokens whose signature and claims were already verified, so that a client
 * making many calls pays for the HMAC once. This caches only the token's own
 * validity (which never changes until `exp`); the session row is still read on
 * every request, so a revocation is not delayed by it.
 */
const VERIFIED_CACHE_MAX = 10_000;

export class JwtService {
  private readonly verified = new Map<string, SessionClaims & { expMs: number }>();

  /** Imported once: handing jose raw bytes or a KeyObject re-imports the key on every call. */
  private readonly key: Promise<CryptoKey>;
  private readonly secret: Buffer;

  /**
   * `maxAgeMs`: a token older than this (by `iat`) is expired whatever its
   * `exp` says, so that no token signed under an older, longer rule outlives
   * the current one.
   */
  constructor(
    secret: Uint8Array,
    private readonly maxAgeMs = Number.POSITIVE_INFINITY,
  ) {
    if (secret.length < 32) throw new Error('The JWT signing key must be at least 256 bits.');
    this.secret = Buffer.from(secret);
    this.key = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /**
   * An HS256 compact JWS, signed synchronously with node:crypto: the same
   * bytes jose would make, without WebCrypto's hop through the thread pool,
   * which under a loaded machine was most of a refresh's worst latency.
   * Verification stays with jose (algorithm pinned, every claim checked).
   */
  async sign(claims: SessionClaims, issuedAtMs: number, expiresAtMs: number): Promise<string> {
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({
      sid: claims.sid,
      ...(claims.ci === undefined ? {} : { ci: claims.ci }),
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      sub: claims.sub,
      iat: Math.floor(issuedAtMs / 1000),
      exp: Math.floor(expiresAtMs / 1000),
    });
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /**
   * The claims of a genuine token that is expired at `nowMs` (past its `exp`,
   * or older than the maximum age): to tell its holder why, never to
   * authenticate. Null for anything else. The signature, issuer, audience and
   * algorithm are all checked, as of just before it expired.
   */
  async verifyExpired(token: string, nowMs: number): Promise<SessionClaims | null> {
    let endMs: number;
    try {
      const { exp, iat } = decodeJwt(token);
      if (typeof exp !== 'number' || typeof iat !== 'number') return null;
      endMs = Math.min(exp * 1000, iat * 1000 + this.maxAgeMs);
    } catch {
      return null;
    }
    if (endMs > nowMs) return null;
    const claims = await this.verifySignature(token, endMs - 1000);
    return claims && claimsOf(claims);
  }

  /**
   * The claims of a token already verified and not yet expired, at once; or
   * undefined when it must be verified (`verify`). Every request of a client
   * after its first takes this path, without a promise.
   */
  verifiedClaims(token: string, nowMs: number): SessionClaims | undefined {
    const cached = this.verified.get(token);
    return cached && cached.expMs > nowMs ? claimsOf(cached) : undefined;
  }

  /** The claims of a valid token, or null for anything forged, expired, or malformed. */
  async verify(token: string, nowMs: number): Promise<SessionClaims | null> {
    const cached = this.verified.get(token);
    if (cached && cached.expMs > nowMs) return claimsOf(cached);
    const claims = await this.verifySignature(token, nowMs);
    if (claims) {
      setBounded(this.verified, token, { ...claims, expMs: claims.expMs }, VERIFIED_CACHE_MAX);
    }
    return claims && claimsOf(claims);
  }

  private async verifySignature(token: string, nowMs: number): Promise<(SessionClaims & { expMs: number }) | null> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [...JWT_ALGORITHMS],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        typ: 'JWT',
        currentDate: new Date(nowMs),
        requiredClaims: ['sub', 'sid', 'iat', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') return null;
      const expMs = Math.min(payload.exp * 1000, payload.iat * 1000 + this.maxAgeMs);
      if (expMs <= nowMs) return null;
      const ci = typeof payload.ci === 'number' && Number.isSafeInteger(payload.ci) ? payload.ci : undefined;
      return { sub: payload.sub, sid: payload.sid, ...(ci === undefined ? {} : { ci }), expMs };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }
}

const claimsOf = (c: SessionClaims): SessionClaims => (c.ci === undefined ? { sub: c.sub, sid: c.sid } : { sub: c.sub, sid: c.sid, ci: c.ci });

const base64url = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
