import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export const JWT_ISSUER = 'tab';
export const JWT_AUDIENCE = 'tab-api';
/** Pinned: a token with any other `alg` (including `none`) is refused. */
export const JWT_ALGORITHMS = ['HS256'] as const;

export interface SessionClaims {
  sub: string;
  sid: string;
}

export class JwtService {
  private readonly key: KeyObject;

  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new Error('The JWT signing key must be at least 256 bits.');
    this.key = createSecretKey(secret);
  }

  sign(claims: SessionClaims, issuedAtMs: number, expiresAtMs: number): Promise<string> {
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setSubject(claims.sub)
      .setIssuedAt(Math.floor(issuedAtMs / 1000))
      .setExpirationTime(Math.floor(expiresAtMs / 1000))
      .sign(this.key);
  }

  /** The claims of a valid token, or null for anything forged, expired, or malformed. */
  async verify(token: string, nowMs: number): Promise<SessionClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [...JWT_ALGORITHMS],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        typ: 'JWT',
        currentDate: new Date(nowMs),
        requiredClaims: ['sub', 'sid', 'iat', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { sub: payload.sub, sid: payload.sid };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }
}
