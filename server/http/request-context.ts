import type { FastifyRequest } from 'fastify';
import type { Role } from '../../shared/api/auth.js';
import type { AuthContext } from '../sessions/auth-context.js';
import { HttpError } from './http-error.js';

/**
 * How a route authenticates:
 * - `none`: public (health, docs, sign-in);
 * - `any`: a session (JWT or cookie) or an API token;
 * - `session`: a session only; API tokens get 403 `api_token_forbidden`.
 */
export type AuthMode = 'none' | 'any' | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/** The caller, on a route that required authentication. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new HttpError('unauthenticated', 'Sign in to continue.');
  return request.auth;
}

/** The caller's session, on a `session` route. */
export function sessionAuthOf(request: FastifyRequest): Extract<AuthContext, { kind: 'session' }> {
  const auth = authOf(request);
  if (auth.kind !== 'session') throw new HttpError('api_token_forbidden', 'API tokens cannot do this; sign in instead.');
  return auth;
}

export function requireRole(auth: AuthContext, ...roles: Role[]): void {
  if (!roles.includes(auth.user.role)) throw new HttpError('forbidden', 'Your role does not allow this.');
}

/** The client's address, without the IPv4-mapped IPv6 prefix. */
export function clientIp(request: FastifyRequest): string {
  const ip = request.ip ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip || 'unknown';
}
