import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../../shared/api/api-tokens.js';
import { SESSION_COOKIE } from '../../shared/api/auth.js';
import { andThen, type MaybePromise } from '../platform/maybe-promise.js';
import type { Authenticator } from '../sessions/authenticator.js';
import type { AuthContext } from '../sessions/auth-context.js';
import { assertSameOrigin } from './csrf.js';
import { HttpError } from './http-error.js';
import { clientIp } from './request-context.js';
import { setSessionCookie } from './session-cookie.js';

function bearerOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed Authorization header is a failed sign-in, not "no credentials".
  return match ? match[1] : '';
}

/** The scopes an API token holds. */
const scopesOf = (auth: Extract<AuthContext, { kind: 'api_token' }>): readonly ApiTokenScope[] => auth.token.scopes;

/**
 * Every route that lets API tokens in (`auth: 'any'`) must say which scope
 * they need: refusing to start otherwise keeps a new data endpoint from
 * being open to every token by omission.
 */
export function assertRouteScope(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): void {
  const config = route.config as { auth?: string; scope?: string } | undefined;
  if (config?.auth === 'any' && !(API_TOKEN_SCOPES as readonly string[]).includes(config.scope ?? '')) {
    throw new Error(`${String(route.method)} ${route.url} lets API tokens in (auth: 'any') but declares no config.scope (one of ${API_TOKEN_SCOPES.join(', ')}).`);
  }
}

/**
 * Authenticates every routed request by its route's `auth` mode, before the
 * body is read. Cookie-authenticated writes also pass the CSRF check; public
 * writes (sign-in) too, against login CSRF. An API token must hold the
 * route's scope. A session cookie that rotated (or is sent again after a
 * lost response) is set on the response.
 */
export function registerAuthentication(app: FastifyInstance, authenticator: Authenticator, options: { secureCookies: boolean }): void {
  app.decorateRequest('auth', null);
  app.addHook('onRoute', assertRouteScope);
  // A callback hook, not an async one: it runs on every request, and on SQLite a client's usual request is
  // authenticated at once (Authenticator.authenticate answers without a promise), so it goes on in the same turn.
  app.addHook('onRequest', (request, reply, done) => {
    let authenticating: MaybePromise<void>;
    try {
      authenticating = authenticateRequest(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (authenticating instanceof Promise) authenticating.then(() => done(), done);
    else done();
  });

  function authenticateRequest(request: FastifyRequest, reply: FastifyReply): MaybePromise<void> {
    const config = request.routeOptions.config;
    const mode = config?.auth;
    if (mode === undefined) return; // not one of our routes (404, docs assets)
    if (mode === 'none') {
      if (request.method === 'POST') assertSameOrigin(request);
      return;
    }
    const bearer = bearerOf(request.headers.authorization);
    const cookie = bearer === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    // Before anything a cookie could cause (last-seen, rotation, reuse detection): a forged cross-site write causes nothing.
    if (cookie !== undefined) assertSameOrigin(request);
    return andThen(authenticator.authenticate({ bearer, cookie, ip: clientIp(request), userAgent: request.headers['user-agent'] ?? '' }), (auth) => {
      if (auth.kind === 'session' && auth.setCookie !== undefined) setSessionCookie(reply, auth.setCookie, options.secureCookies);
      if (auth.kind === 'api_token') {
        if (mode === 'session') throw new HttpError('api_token_forbidden', 'API tokens cannot manage sessions or tokens; sign in instead.');
        const needed = config.scope!;
        if (!scopesOf(auth).includes(needed)) {
          throw new HttpError('insufficient_scope', `This API token does not have the ${needed} scope that this endpoint needs.`);
        }
      }
      request.auth = auth;
    });
  }
}
