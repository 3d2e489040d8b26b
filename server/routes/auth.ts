import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginRequest, LoginResponse, SESSION_COOKIE, SESSION_COOKIE_MAX_AGE_SECONDS } from '../../shared/api/auth.js';
import { clientIp, sessionAuthOf } from '../http/request-context.js';
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
        summary: 'Sign in; creates a session and answers its JWT and cookie',
        body: LoginRequest,
        response: { 200: LoginResponse, ...errors(400, 401, 403, 429) },
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
      });
      reply.setCookie(SESSION_COOKIE, result.cookie, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: SESSION_COOKIE_MAX_AGE_SECONDS,
        secure: deps.secureCookies,
      });
      return {
        token: result.token,
        user: toUserView(result.user),
        session: toSessionView(result.session, result.session.id),
      };
    },
  );

  app.post(
    '/auth/logout',
    { config: { auth: 'session' }, schema: { tags: ['auth'], summary: 'Sign out: revokes the current session', response: { 204: { type: 'null' }, ...errors(401, 403) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      await deps.sessions.logout(auth.session, clientIp(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies });
      return reply.status(204).send(null);
    },
  );
};
