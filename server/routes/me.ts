import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChangePasswordRequest, ChangePasswordResponse, MeResponse } from '../../shared/api/auth.js';
import { UpdateMeRequest } from '../../shared/api/time.js';
import { HttpError } from '../http/http-error.js';
import { authOf, clientIp, sessionAuthOf } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { currentSessionView } from './views.js';

export const meRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/me',
    { config: { auth: 'any', scope: 'time:read' }, schema: { tags: ['me'], summary: 'The signed-in user and current session', response: { 200: MeResponse, ...errors(401, 403) } } },
    async (request) => {
      const auth = authOf(request);
      return {
        // The time zone and formats are only on /me: the sign-in answer's user keeps its pinned contract shape.
        user: await deps.profiles.view(auth),
        session: auth.kind === 'session' ? await currentSessionView(deps.store, auth.session.id) : null,
      };
    },
  );

  app.patch(
    '/me',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Change your profile: name, the IANA time zone used for "today" and "this week", 12 h / 24 h clock, date format',
        body: UpdateMeRequest,
        response: { 200: MeResponse, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      return {
        user: await deps.profiles.update(auth, request.body, { ip: clientIp(request), sessionId: auth.session.id }),
        session: await currentSessionView(deps.store, auth.session.id),
      };
    },
  );

  app.post(
    '/me/password',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Change the password; optionally sign out every other session and revoke your API tokens',
        description:
          'A wrong `currentPassword` is 403 `reauth_failed` (10 in 15 minutes, then 429 with Retry-After). With `signOutOtherSessions`, ' +
          'every other session ends (`password_changed`) and every API token of yours is revoked.',
        body: ChangePasswordRequest,
        response: { 200: ChangePasswordResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const { currentPassword, code, reauthGrant, newPassword, signOutOtherSessions } = request.body;
      if (newPassword === currentPassword) throw new HttpError('invalid_request', 'The new password must differ from the current one.');
      const ip = clientIp(request);
      await deps.reauth.require({ user: auth.user, sessionId: auth.session.id, ip }, { password: currentPassword, code, grant: reauthGrant }, 'password_change', 'The current password is not right.');
      const now = deps.clock.now();
      await deps.store.setPasswordHash(auth.user.id, await deps.passwords.hash(newPassword), {
        workspaceId: auth.user.workspaceId,
        type: 'password_changed',
        at: now,
        actorUserId: auth.user.id,
        targetUserId: auth.user.id,
        sessionId: auth.session.id,
        ip,
        detail: { signOutOtherSessions },
      });
      if (!signOutOtherSessions) return { revoked: 0 };
      const revoked = await deps.sessions.revokeUserSessions(auth.user.id, auth.user.workspaceId, {
        exceptSessionId: auth.session.id,
        by: auth.user.id,
        reason: 'password_changed',
        ip,
        auditType: 'sessions_revoked_others',
      }, { apiTokens: 'password_changed' });
      return { revoked: revoked.length };
    },
  );
};
