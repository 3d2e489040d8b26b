import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { UpdateWorkspaceSettings } from '../../shared/api/workspace.js';
import { authOf, clientIp, sessionAuthOf } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** The firm's settings: everyone reads them; admins change them (WorkspaceService). */
export const workspaceRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['workspace'];

  app.get(
    '/workspace',
    {
      config: { auth: 'any', scope: 'time:read' },
      schema: { tags, summary: "Your workspace's settings: name, address, time zone, and its rules for time entries", response: { 200: Type.Ref('WorkspaceSettings'), ...errors(401, 403) } },
    },
    async (request) => deps.workspaces.get(authOf(request)),
  );

  app.patch(
    '/admin/workspace',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Change the workspace settings (admins); only the fields sent change',
        body: UpdateWorkspaceSettings,
        response: { 200: Type.Ref('WorkspaceSettings'), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      return deps.workspaces.update(auth, request.body, { ip: clientIp(request), sessionId: auth.session.id });
    },
  );
};
