import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginRequest, LoginResponse, RefreshResponse, SESSION_COOKIE } from '../../shared/api/auth.js';
import { LoginChallengeResponse } from '../../shared/api/mfa.js';
import { isChallenge } from '../sessions/session-service.js';
import { HttpError } from '../http/http-error.js';
import { clientIp, sessionAuthOf } from '../http/request-context.js';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.js';
import { toSessionView } from '../sessions/session-view.js';
import { toUserView } from './views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

export const authRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/auth/login',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; creates a session and answers its access token (JWT, 15 minutes) and cookie',
        description:
          'Throttled before the password is checked: 10 failures per email and 50 per client address in 15 minutes, then 429 with Retry-After. ' +
          'A request that carries a live `tab_session` cookie (a browser signing in again) ends that older session (`superseded`). ' +
          '503 `server_busy` with Retry-After when the password-hashing queue is full. ' +
          'A member with two-factor (or one the workspace requires it of) gets 202 `{mfaRequired, challenge, methods, enrolRequired}` and no session ' +
          'and no cookie: finish with POST /auth/login/mfa (or enrol with /auth/login/enrol…). A client that only knows 200 shows "Two-factor sign-in needs a newer TAB".',
        body: LoginRequest,
        response: { 200: LoginResponse, 202: LoginChallengeResponse, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await deps.sessions.login({
        email: request.body.email,
        password: request.body.password,
        client: request.body.client ?? 'web',
        deviceName: request.body.deviceName,
        userAgent: request.headers['user-agent'] ?? '',
        ip: clientIp(request),
        presentedCookie: request.cookies[SESSION_COOKIE],
      });
      if (isChallenge(result)) {
        reply.status(202);
        return { mfaRequired: true as const, challenge: result.challenge, methods: result.methods, enrolRequired: result.enrolRequired, expiresAt: new Date(result.expiresAt).toISOString() };
      }
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return {
        token: result.token,
        user: toUserView(result.user),
        session: toSessionView(result.session, result.session.id),
      };
    },
  );

  app.post(
    '/auth/refresh',
    {
      // Public as far as the Authorization header goes: the cookie is the only credential here (CSRF-checked like every cookie write).
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'A new access token (JWT) for the session of the `tab_session` cookie, and a rotated cookie',
        description:
          'The cookie is replaced (Set-Cookie, same attributes) and the old one remembered. Presenting the old one again before the new one is used ' +
          '(a lost response, a retry) answers the same new cookie again; up to 60 s after the new one is first used it still works; later it ends the ' +
          'whole session (401 `session_revoked`, reason `token_reuse`). Any 401 here means the session is over.',
        response: { 200: RefreshResponse, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) throw new HttpError('unauthenticated', 'Refreshing needs the session cookie.');
      const auth = await deps.authenticator.authenticate({ cookie, ip: clientIp(request), userAgent: request.headers['user-agent'] ?? '', refresh: true });
      if (auth.kind !== 'session' || auth.setCookie === undefined) throw new HttpError('unauthenticated', 'Sign in to continue.');
      const session = await deps.store.findSessionById(auth.session.id);
      if (!session) throw new HttpError('unauthenticated', 'Sign in to continue.');
      setSessionCookie(reply, auth.setCookie, deps.secureCookies);
      return { token: await deps.secrets.accessToken(session, deps.clock.now()), session: toSessionView(session, session.id) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { auth: 'session' }, schema: { tags: ['auth'], summary: 'Sign out: revokes the current session', response: { 204: { type: 'null' }, ...errors(401, 403) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      await deps.sessions.logout(auth.session, clientIp(request));
      clearSessionCookie(reply, deps.secureCookies);
      return reply.status(204).send(null);
    },
  );
};
