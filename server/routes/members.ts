import { LoginChallengeResponse } from '../../shared/api/mfa.js';
import { isChallenge } from '../sessions/session-service.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { MemberList, MemberParams } from '../../shared/api/admin.js';
import { SESSION_COOKIE, SESSION_COOKIE_MAX_AGE_SECONDS, LoginResponse } from '../../shared/api/auth.js';
import { ChangeRoleRequest, CompleteLinkRequest, InvitedMember, InviteMemberRequest, IssuedLink, LinkLookupRequest, LinkView } from '../../shared/api/members.js';
import { clientHost, clientIp, clientScheme, sessionAuthOf } from '../http/request-context.js';
import type { RequestOrigin } from '../members/member-service.js';
import { toSessionView } from '../sessions/session-view.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { toUserView } from './views.js';

/**
 * Members (admins manage, managers read) and the public link endpoints an
 * invitee or a member with a reset link uses. The rules live in
 * MemberService (server/members/member-service.ts). Sessions only: an API
 * token can neither see nor change who belongs to the firm.
 */
export const memberRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const config = { auth: 'session' as const };
  const tags = ['members'];
  const members = deps.members;

  const from = (request: FastifyRequest): RequestOrigin => {
    const auth = sessionAuthOf(request);
    return { ip: clientIp(request), sessionId: auth.session.id, origin: `${clientScheme(request)}://${clientHost(request)}` };
  };

  app.get(
    '/admin/members',
    {
      config,
      schema: { tags, summary: 'Members of your workspace: status (active, invited, disabled), role, active sessions (admins and managers)', response: { 200: MemberList, ...errors(401, 403) } },
    },
    async (request) => ({ members: await members.list(sessionAuthOf(request)) }),
  );

  app.post(
    '/admin/members',
    {
      config,
      schema: {
        tags,
        summary: 'Invite a member (admins): they exist as "invited" and you get a one-time link, valid 7 days, to give them',
        body: InviteMemberRequest,
        response: { 201: InvitedMember, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await members.invite(sessionAuthOf(request), request.body, from(request))),
  );

  app.post(
    '/admin/members/:userId/invitation',
    {
      config,
      schema: { tags, summary: 'A new invitation link for an invited member; the old one stops working (admins)', params: MemberParams, response: { 200: IssuedLink, ...errors(401, 403, 404, 409) } },
    },
    async (request) => members.reissueInvitation(sessionAuthOf(request), request.params.userId, from(request)),
  );

  app.delete(
    '/admin/members/:userId/invitation',
    {
      config,
      schema: { tags, summary: 'Cancel an invitation: the invited member and their link are removed (admins)', params: MemberParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await members.cancelInvitation(sessionAuthOf(request), request.params.userId, from(request));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/admin/members/:userId/role',
    {
      config,
      schema: {
        tags,
        summary: "Change a member's role (admins); the last active admin cannot be demoted. Seen on the member's next request",
        params: MemberParams,
        body: ChangeRoleRequest,
        response: { 200: Type.Ref('Member'), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => members.changeRole(sessionAuthOf(request), request.params.userId, request.body.role, from(request)),
  );

  app.post(
    '/admin/members/:userId/disable',
    {
      config,
      schema: {
        tags,
        summary: 'Deactivate a member: every session and API token ends, sign-in is refused (admins); never the last active admin',
        params: MemberParams,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await members.deactivate(sessionAuthOf(request), request.params.userId, from(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/admin/members/:userId/enable',
    { config, schema: { tags, summary: 'Reactivate a member (admins): they can sign in again', params: MemberParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } } },
    async (request, reply) => {
      await members.reactivate(sessionAuthOf(request), request.params.userId, from(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/admin/members/:userId/password-reset',
    {
      config,
      schema: {
        tags,
        summary: "A one-time password-reset link for a member, valid 24 hours (admins). Using it ends all the member's sessions and API tokens",
        params: MemberParams,
        response: { 200: IssuedLink, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => members.issuePasswordReset(sessionAuthOf(request), request.params.userId, from(request)),
  );

  // ------------------------------------------------------------ the links, for whoever holds one

  app.post(
    '/links/lookup',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['links'],
        summary: 'Whose invitation or password-reset link this is (the secret travels in the body, never in a URL)',
        body: LinkLookupRequest,
        response: { 200: LinkView, ...errors(400, 403, 404, 410) },
      },
    },
    async (request) => members.lookupLink(request.body.token),
  );

  app.post(
    '/links/complete',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['links'],
        summary: 'Set your password through an invitation or reset link, once; signs you in (a reset first signs every other device out)',
        body: CompleteLinkRequest,
        description: 'A member with two-factor, or one the workspace requires it of, gets the 202 login challenge of POST /auth/login instead of a session.',
        response: { 200: LoginResponse, 202: LoginChallengeResponse, ...errors(400, 403, 404, 410, 503) },
      },
    },
    async (request, reply) => {
      const result = await members.completeLink(request.body.token, request.body.password, {
        client: request.body.client ?? 'web',
        userAgent: request.headers['user-agent'] ?? '',
        ip: clientIp(request),
      });
      if (isChallenge(result)) {
        reply.status(202);
        return { mfaRequired: true as const, challenge: result.challenge, methods: result.methods, enrolRequired: result.enrolRequired, expiresAt: new Date(result.expiresAt).toISOString() };
      }
      reply.setCookie(SESSION_COOKIE, result.cookie, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_COOKIE_MAX_AGE_SECONDS, secure: deps.secureCookies });
      return { token: result.token, user: toUserView(result.user), session: toSessionView(result.session, result.session.id) };
    },
  );
};
