import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiTokenIdParams, ApiTokenList, CreateApiTokenRequest, CreatedApiToken } from '../../shared/api/api-tokens.js';
import { notFound } from '../http/http-error.js';
import { clientIp, sessionAuthOf } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { toApiTokenView } from './views.js';

/** The caller's own API tokens. Tokens themselves are refused here (auth: session): a script never mints or revokes credentials. */
export const apiTokenRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const config = { auth: 'session' as const };

  app.post(
    '/api-tokens',
    {
      config,
      schema: {
        tags: ['api-tokens'],
        summary: 'Create a personal API token (shown once); asks for your password',
        description:
          'A wrong `currentPassword` is 403 `reauth_failed` (10 in 15 minutes, then 429). `scopes`: `time:read` (GET /me, clients, entries, dashboard), ' +
          '`time:write` (entry and timer writes), `reports:read` (reports, CSV), `billing:write` (mark-billed, clients and rates); never more than your role allows.',
        body: CreateApiTokenRequest,
        response: { 201: CreatedApiToken, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const { token, stored } = await deps.apiTokens.create({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.body);
      reply.status(201);
      const view = toApiTokenView(stored);
      return { id: view.id, name: view.name, token, scopes: view.scopes, createdAt: view.createdAt, expiresAt: view.expiresAt };
    },
  );

  app.get(
    '/api-tokens',
    { config, schema: { tags: ['api-tokens'], summary: 'Your API tokens that still work (never their values)', response: { 200: ApiTokenList, ...errors(401, 403) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      return { tokens: (await deps.apiTokens.list(auth.user.id)).map(toApiTokenView) };
    },
  );

  app.delete(
    '/api-tokens/:id',
    {
      config,
      schema: { tags: ['api-tokens'], summary: 'Revoke one of your API tokens', params: ApiTokenIdParams, response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const revoked = await deps.apiTokens.revoke(auth.user, request.params.id, {
        by: auth.user.id,
        reason: 'revoked_by_user',
        sessionId: auth.session.id,
        ip: clientIp(request),
      });
      if (!revoked) throw notFound('That API token');
      return reply.status(204).send(null);
    },
  );
};
