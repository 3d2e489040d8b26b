import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../shared/api/auth.js';
import type { Authenticator } from '../sessions/authenticator.js';
import { assertSameOrigin } from './csrf.js';
import { HttpError } from './http-error.js';
import { clientIp } from './request-context.js';

function bearerOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed Authorization header is a failed sign-in, not "no credentials".
  return match ? match[1] : '';
}

/**
 * Authenticates every routed request by its route's `auth` mode, before the
 * body is read. Cookie-authenticated writes also pass the CSRF check; public
 * writes (sign-in) too, against login CSRF.
 */
export function registerAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.auth;
    if (mode === undefined) return; // not one of our routes (404, docs assets)
    if (mode === 'none') {
      if (request.method === 'POST') assertSameOrigin(request);
      return;
    }
    const bearer = bearerOf(request.headers.authorization);
    const cookie = bearer === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    const auth = await authenticator.authenticate({ bearer, cookie, ip: clientIp(request) });
    if (auth.kind === 'session' && auth.viaCookie) assertSameOrigin(request);
    if (mode === 'session' && auth.kind === 'api_token') {
      throw new HttpError('api_token_forbidden', 'API tokens cannot manage sessions or tokens; sign in instead.');
    }
    request.auth = auth;
  });
}
