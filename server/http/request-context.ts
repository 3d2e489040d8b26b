import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { ApiTokenScope } from '../../shared/api/api-tokens.js';
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
    /** Required on every `any` route: what an API token needs to call it. */
    scope?: ApiTokenScope;
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

const unmapped = (ip: string) => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);

const ipOfRequest = new WeakMap<FastifyRequest, string>();

/**
 * The client's address: the one place every caller (throttle, session IP,
 * audit, CSRF) asks. Fastify answers from the socket, or, when the socket's
 * peer is a proxy listed in `--trust-proxy`, from `X-Forwarded-For` (the
 * nearest address that is not itself a trusted proxy). A forwarded value that
 * is not an IP address falls back to the socket's peer rather than being
 * stored. Without the IPv4-mapped IPv6 prefix.
 */
export function clientIp(request: FastifyRequest): string {
  let ip = ipOfRequest.get(request);
  if (ip !== undefined) return ip;
  const claimed = unmapped(request.ip ?? '');
  ip = isIP(claimed) !== 0 ? claimed : unmapped(request.raw.socket?.remoteAddress ?? '') || 'unknown';
  ipOfRequest.set(request, ip);
  return ip;
}

/**
 * `https` when the request arrived over TLS, or through a trusted proxy whose
 * `X-Forwarded-Proto` says so; else `http`. Used for HSTS and the CSRF origin
 * comparison.
 */
export function clientScheme(request: FastifyRequest): 'https' | 'http' {
  return request.protocol?.toLowerCase() === 'https' ? 'https' : 'http';
}

/** The host the client addressed (`Host`, or a trusted proxy's `X-Forwarded-Host`), as sent. */
export function clientHost(request: FastifyRequest): string {
  return request.host;
}
