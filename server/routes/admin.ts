import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  AUDIT_EXPORT_MAX,
  AuditExportQuery,
  AuditPage,
  AuditQuery,
  MemberParams,
  MemberSessionParams,
  RevokeAllRequest,
  SessionPolicy,
  SessionPolicyUpdate,
} from '../../shared/api/admin.js';
import { ApiTokenList, MemberApiTokenParams } from '../../shared/api/api-tokens.js';
import { RevokedCount } from '../../shared/api/common.js';
import { SessionList } from '../../shared/api/sessions.js';
import { HttpError, notFound } from '../http/http-error.js';
import { clientIp, requireRole, sessionAuthOf } from '../http/request-context.js';
import { sessionListJson } from '../sessions/session-view.js';
import { sendJsonText } from '../http/json-text.js';
import { sessionExpiry } from '../sessions/session-records.js';
import type { StoredUser } from '../store/types.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { toApiTokenView } from './views.js';

/**
 * Workspace administration. Admins manage; managers may read members and
 * their sessions; accountants are refused (403). Anything in another
 * workspace is 404, exactly like something that does not exist. API tokens
 * are refused here too: a script must never be able to sign people out.
 */
export const adminRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const config = { auth: 'session' as const };
  const tags = ['admin'];

  async function memberOf(request: FastifyRequest, userId: string): Promise<StoredUser> {
    const auth = sessionAuthOf(request);
    const member = await deps.store.findUserById(userId);
    if (!member || member.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    return member;
  }

  app.get(
    '/admin/members/:userId/sessions',
    { config, schema: { tags, summary: "A member's active sessions", params: MemberParams, response: { 200: SessionList, ...errors(401, 403, 404) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin', 'manager');
      const member = await memberOf(request, request.params.userId);
      const sessions = await deps.store.listActiveSessions(member.id, deps.clock.now());
      return sendJsonText(reply, sessionListJson(sessions, auth.session.id));
    },
  );

  app.delete(
    '/admin/members/:userId/sessions/:sessionId',
    { config, schema: { tags, summary: "Sign out one of a member's sessions", params: MemberSessionParams, response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      const member = await memberOf(request, request.params.userId);
      if (request.params.sessionId === auth.session.id) {
        throw new HttpError('current_session', 'This is the session you are using; sign out from the user menu instead.');
      }
      const target = await deps.store.findSessionById(request.params.sessionId);
      if (!target || target.userId !== member.id || target.revokedAt !== null || sessionExpiry(target, deps.clock.now())) {
        throw notFound('That session');
      }
      const reason = member.id === auth.user.id ? 'revoked_by_user' : 'revoked_by_admin';
      if (!(await deps.sessions.revokeOne(target, { by: auth.user.id, reason, ip: clientIp(request) }))) throw notFound('That session');
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/admin/members/:userId/sessions',
    {
      config,
      schema: { tags, summary: "Sign out all of a member's sessions and revoke their API tokens", params: MemberParams, response: { 200: RevokedCount, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      const member = await memberOf(request, request.params.userId);
      const self = member.id === auth.user.id;
      const reason = self ? 'revoked_by_user' : 'revoked_by_admin';
      const revoked = await deps.sessions.revokeUserSessions(
        member.id,
        member.workspaceId,
        {
          // An admin signing out all of their own sessions keeps the one in use.
          exceptSessionId: auth.session.id,
          by: auth.user.id,
          reason,
          ip: clientIp(request),
          auditType: self ? 'sessions_revoked_others' : 'session_revoked',
        },
        // The member's scripts stop too: a lost laptop's API tokens are as lost as its session. An admin
        // signing out their own other sessions is "sign out everywhere else", which leaves tokens running.
        self ? undefined : { apiTokens: 'revoked_by_admin' },
      );
      return { revoked: revoked.length };
    },
  );

  app.post(
    '/admin/sessions/revoke-all',
    {
      config,
      schema: {
        tags,
        summary: 'Sign out every session in the workspace except yours and revoke every API token (asks for your password)',
        description: 'A wrong `password` is 403 `reauth_failed` (10 in 15 minutes, then 429 with Retry-After), audited as `reauth_failed`.',
        body: RevokeAllRequest,
        response: { 200: RevokedCount, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      const ip = clientIp(request);
      const { password, code, reauthGrant } = request.body;
      await deps.reauth.require({ user: auth.user, sessionId: auth.session.id, ip }, { password, code, grant: reauthGrant }, 'workspace_revoke_all', 'That password is not right.');
      const revoked = await deps.sessions.revokeWorkspaceSessions(auth.user.workspaceId, {
        exceptSessionId: auth.session.id,
        by: auth.user.id,
        ip,
      });
      return { revoked: revoked.length };
    },
  );

  app.get(
    '/admin/members/:userId/api-tokens',
    { config, schema: { tags, summary: "A member's API tokens that still work", params: MemberParams, response: { 200: ApiTokenList, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin', 'manager');
      const member = await memberOf(request, request.params.userId);
      return { tokens: (await deps.apiTokens.list(member.id)).map(toApiTokenView) };
    },
  );

  app.delete(
    '/admin/members/:userId/api-tokens/:id',
    { config, schema: { tags, summary: "Revoke one of a member's API tokens", params: MemberApiTokenParams, response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      const member = await memberOf(request, request.params.userId);
      const revoked = await deps.apiTokens.revoke(member, request.params.id, {
        by: auth.user.id,
        reason: member.id === auth.user.id ? 'revoked_by_user' : 'revoked_by_admin',
        sessionId: auth.session.id,
        ip: clientIp(request),
      });
      if (!revoked) throw notFound('That API token');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/admin/session-policy',
    { config, schema: { tags, summary: "The workspace's session policy", response: { 200: SessionPolicy, ...errors(401, 403) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin', 'manager');
      return deps.store.getSessionPolicy(auth.user.workspaceId);
    },
  );

  app.put(
    '/admin/session-policy',
    {
      config,
      schema: {
        tags,
        summary: 'Change the session policy; timeouts and the limit apply to sessions created from now on, the change policies to every live session',
        description: '`ipChangePolicy` and `userAgentChangePolicy` may be left out: they keep their current values.',
        body: SessionPolicyUpdate,
        response: { 200: SessionPolicy, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      const old = await deps.store.getSessionPolicy(auth.user.workspaceId);
      const policy: SessionPolicy = {
        ...request.body,
        ipChangePolicy: request.body.ipChangePolicy ?? old.ipChangePolicy,
        userAgentChangePolicy: request.body.userAgentChangePolicy ?? old.userAgentChangePolicy,
      };
      await deps.store.setSessionPolicy(auth.user.workspaceId, policy, {
        workspaceId: auth.user.workspaceId,
        type: 'policy_changed',
        at: deps.clock.now(),
        actorUserId: auth.user.id,
        sessionId: auth.session.id,
        ip: clientIp(request),
        detail: { old, new: policy },
      });
      return policy;
    },
  );

  app.get(
    '/admin/audit-events',
    {
      config,
      schema: {
        tags,
        summary: 'The audit log, newest first, filtered by time, person (as actor or target) and type (admins)',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => deps.audits.page(sessionAuthOf(request), request.query as AuditQuery),
  );

  app.get(
    '/admin/audit-events.csv',
    {
      config,
      schema: {
        tags,
        summary: `The audit log as CSV, with the same filters, newest first (at most ${AUDIT_EXPORT_MAX.toLocaleString('en')} rows; \`X-TAB-Truncated: true\` when more matched)`,
        querystring: AuditExportQuery,
        produces: ['text/csv'],
        response: { 200: { description: 'The events', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { csv, truncated } = await deps.audits.csv(sessionAuthOf(request), request.query as AuditExportQuery);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tab-audit-log-${new Date(deps.clock.now()).toISOString().slice(0, 10)}.csv"`)
        .header('x-tab-truncated', String(truncated))
        .send(csv);
    },
  );
};
