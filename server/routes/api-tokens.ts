import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { API_TOKEN_NAME_MAX, API_TOKEN_PREFIX, ApiTokenList, CreateApiTokenRequest, CreatedApiToken } from '../../shared/api/api-tokens.js';
import { DAY_MS } from '../platform/clock.js';
import { HttpError, notFound } from '../http/http-error.js';
import { clientIp, sessionAuthOf } from '../http/request-context.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { iso } from './views.js';

export const apiTokenRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const config = { auth: 'session' as const };

  app.post(
    '/api-tokens',
    {
      config,
      schema: {
        tags: ['api-tokens'],
        summary: 'Create a personal API token (shown once)',
        body: CreateApiTokenRequest,
        response: { 201: CreatedApiToken, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const now = deps.clock.now();
      const token = API_TOKEN_PREFIX + randomSecret();
      const { expiresInDays } = request.body;
      const name = cleanDisplayText(request.body.name, API_TOKEN_NAME_MAX);
      if (name === '') throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
      const stored = await deps.store.createApiToken(
        {
          id: randomUUID(),
          userId: auth.user.id,
          workspaceId: auth.user.workspaceId,
          name,
          tokenHash: secretHash(token),
          createdAt: now,
          expiresAt: expiresInDays === undefined ? null : now + expiresInDays * DAY_MS,
        },
        {
          workspaceId: auth.user.workspaceId,
          type: 'api_token_created',
          at: now,
          actorUserId: auth.user.id,
          targetUserId: auth.user.id,
          sessionId: auth.session.id,
          ip: clientIp(request),
          detail: { name, expiresInDays: expiresInDays ?? null },
        },
      );
      reply.status(201);
      return { id: stored.id, name: stored.name, token, createdAt: iso(stored.createdAt)!, expiresAt: iso(stored.expiresAt) };
    },
  );

  app.get(
    '/api-tokens',
    { config, schema: { tags: ['api-tokens'], summary: 'Your API tokens (never their values)', response: { 200: ApiTokenList, ...errors(401, 403) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      const tokens = await deps.store.listApiTokens(auth.user.id, deps.clock.now());
      return {
        tokens: tokens.map((t) => ({ id: t.id, name: t.name, createdAt: iso(t.createdAt)!, expiresAt: iso(t.expiresAt), lastUsedAt: iso(t.lastUsedAt) })),
      };
    },
  );

  app.delete(
    '/api-tokens/:id',
    {
      config,
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke an API token',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: { type: 'null' }, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const now = deps.clock.now();
      const revoked = await deps.store.revokeApiToken(request.params.id, auth.user.id, now, {
        workspaceId: auth.user.workspaceId,
        type: 'api_token_revoked',
        at: now,
        actorUserId: auth.user.id,
        targetUserId: auth.user.id,
        sessionId: auth.session.id,
        ip: clientIp(request),
        detail: { tokenId: request.params.id },
      });
      if (!revoked) throw notFound('That API token');
      return reply.status(204).send(null);
    },
  );
};
