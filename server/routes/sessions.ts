import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RevokeOthersResponse, SessionIdParams, SessionList } from '../../shared/api/sessions.js';
import { HttpError, notFound } from '../http/http-error.js';
import { clientIp, sessionAuthOf } from '../http/request-context.js';
import { sessionListJson } from '../sessions/session-view.js';
import { sendJsonText } from '../http/json-text.js';
import { sessionExpiry } from '../sessions/session-records.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** The caller's own sessions. API tokens are refused: they must not manage sign-ins. */
export const sessionRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const config = { auth: 'session' as const };

  app.get(
    '/sessions',
    { config, schema: { tags: ['sessions'], summary: 'Your active sessions, current first', response: { 200: SessionList, ...errors(401, 403) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      // As of the account read that authenticated this request: one consistent state, read once.
      const sessions = await deps.store.listActiveSessions(auth.user.id, deps.clock.now(), auth.accountVersion);
      // Serialized by the view (kept rows keep their JSON text); the schema above still documents it.
      return sendJsonText(reply, sessionListJson(sessions, auth.session.id));
    },
  );

  app.delete(
    '/sessions/others',
    {
      config,
      schema: {
        tags: ['sessions'],
        summary: 'Sign out everywhere else',
        description:
          'Ends every other session of yours. API tokens keep working (a script keeps running; minting one needs your password, ' +
          'so a stolen session cannot have made one): `apiTokens` says how many, to manage in your profile.',
        response: { 200: RevokeOthersResponse, ...errors(401, 403) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const revoked = await deps.sessions.revokeUserSessions(auth.user.id, auth.user.workspaceId, {
        exceptSessionId: auth.session.id,
        by: auth.user.id,
        reason: 'revoked_by_user',
        ip: clientIp(request),
        auditType: 'sessions_revoked_others',
      });
      return { revoked: revoked.length, apiTokens: await deps.apiTokens.countLive(auth.user.id) };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      config,
      schema: {
        tags: ['sessions'],
        summary: 'Sign out one of your other sessions',
        params: SessionIdParams,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const { id } = request.params;
      if (id === auth.session.id) {
        throw new HttpError('current_session', 'This is the session you are using; sign out from the user menu instead.');
      }
      const target = await deps.store.findSessionById(id);
      // Someone else's session answers exactly like a missing one.
      if (!target || target.userId !== auth.user.id || target.revokedAt !== null || sessionExpiry(target, deps.clock.now())) {
        throw notFound('That session');
      }
      const revoked = await deps.sessions.revokeOne(target, { by: auth.user.id, reason: 'revoked_by_user', ip: clientIp(request) });
      if (!revoked) throw notFound('That session');
      return reply.status(204).send(null);
    },
  );
};
