import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LoginResponse, SESSION_COOKIE } from '../../shared/api/auth.js';
import {
  SSO_BINDING_COOKIE,
  SsoCompleteRequest,
  SsoDiscoverResponse,
  SsoSettings,
  SsoSettingsUpdate,
  SsoStartRequest,
  SsoStartResponse,
} from '../../shared/api/sso.js';
import { ReauthGrantResponse } from '../../shared/api/mfa.js';
import { clientHost, clientIp, clientScheme, sessionAuthOf } from '../http/request-context.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { toSessionView } from '../sessions/session-view.js';
import { SSO_STATE_TTL_MS } from '../sso/sso-sign-in.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';
import { toUserView } from './views.js';

/** The binding cookie reaches only the SSO routes, and lives as long as the sign-in's state. */
const bindingCookie = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/api/v1/auth/sso', secure });

/** Single sign-on with the workspace's OpenID provider (issue #15 item 3), and its admin settings. */
export const ssoRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['auth'];

  app.get(
    '/auth/sso/discover',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'E-mail-first sign-in: whether the address’s domain signs in with single sign-on',
        querystring: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }, { additionalProperties: false }),
        response: { 200: SsoDiscoverResponse, ...errors(400) },
      },
    },
    async (request) => deps.sso.discover(request.query.email),
  );

  app.post(
    '/auth/sso/start',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Starts a single sign-on: answers the identity provider’s authorization URL (code flow, PKCE, state, nonce)',
        description:
          'By `email` (its domain finds the workspace) or `workspaceId` (the workspace’s own SSO address). The web client gets a `tab_sso` cookie binding ' +
          'the sign-in to this browser; the desktop app gives its loopback `redirectUri` and an `appChallenge` instead (RFC 8252). 404 `sso_not_configured` ' +
          'when there is no single sign-on there.',
        body: SsoStartRequest,
        response: { 200: SsoStartResponse, ...errors(400, 403, 404, 502) },
      },
    },
    async (request, reply) => {
      const started = await deps.sso.start({ ...request.body, client: request.body.client ?? 'web', origin: `${clientScheme(request)}://${clientHost(request)}` });
      if (started.binding) reply.setCookie(SSO_BINDING_COOKIE, started.binding, { ...bindingCookie(deps.secureCookies), maxAge: SSO_STATE_TTL_MS / 1000 });
      return { authorizationUrl: started.authorizationUrl };
    },
  );

  app.post(
    '/auth/sso/complete',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Finishes a single sign-on with the provider’s code and state: the usual sign-in answer and session cookie',
        description:
          'The server exchanges the code (PKCE) and verifies the ID token against the issuer’s keys. A state is used once and expires in 10 minutes. ' +
          'The first sign-in links the identity (issuer + subject) to the member with the same e-mail only when the provider vouches for it; ' +
          'without a member, one is made (accountant) only if the workspace allows it.',
        body: SsoCompleteRequest,
        response: { 200: LoginResponse, ...errors(400, 401, 403, 404, 502) },
      },
    },
    async (request, reply) => {
      const binding = request.body.appVerifier ?? request.cookies[SSO_BINDING_COOKIE];
      reply.clearCookie(SSO_BINDING_COOKIE, bindingCookie(deps.secureCookies));
      const result = await deps.sso.complete({
        code: request.body.code,
        state: request.body.state,
        iss: request.body.iss,
        binding,
        userAgent: request.headers['user-agent'] ?? '',
        ip: clientIp(request),
        presentedCookie: request.cookies[SESSION_COOKIE],
      });
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return { token: result.token, user: toUserView(result.user), session: toSessionView(result.session, result.session.id) };
    },
  );

  app.post(
    '/auth/sso/reauth/start',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Starts a re-check by single sign-on: the provider’s authorization URL with `max_age=0` and `prompt=login`',
        description: 'The person authenticates again at the provider; `/auth/sso/reauth/complete` then answers a re-check grant for this session, as `POST /auth/reauth` does with a password.',
        body: Type.Pick(SsoStartRequest, ['client', 'redirectUri', 'appChallenge'], { additionalProperties: false }),
        response: { 200: SsoStartResponse, ...errors(400, 401, 403, 404, 502) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const started = await deps.sso.startReauth(
        { user: auth.user, sessionId: auth.session.id, ip: clientIp(request) },
        { ...request.body, client: request.body.client ?? 'web', origin: `${clientScheme(request)}://${clientHost(request)}` },
      );
      if (started.binding) reply.setCookie(SSO_BINDING_COOKIE, started.binding, { ...bindingCookie(deps.secureCookies), maxAge: SSO_STATE_TTL_MS / 1000 });
      return { authorizationUrl: started.authorizationUrl };
    },
  );

  app.post(
    '/auth/sso/reauth/complete',
    {
      config: { auth: 'session' },
      schema: {
        tags,
        summary: 'Finishes a re-check by single sign-on: a grant valid 5 minutes for this session',
        description: 'Refused unless the ID token says the person authenticated at the provider just now (`auth_time`, `max_age=0`) as the identity linked to this account (403 `reauth_failed`).',
        body: SsoCompleteRequest,
        response: { 200: ReauthGrantResponse, ...errors(400, 401, 403, 404, 502) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const binding = request.body.appVerifier ?? request.cookies[SSO_BINDING_COOKIE];
      reply.clearCookie(SSO_BINDING_COOKIE, bindingCookie(deps.secureCookies));
      const { grant, expiresAt } = await deps.sso.completeReauth(
        { user: auth.user, sessionId: auth.session.id, ip: clientIp(request) },
        { code: request.body.code, state: request.body.state, iss: request.body.iss, binding, userAgent: request.headers['user-agent'] ?? '', ip: clientIp(request) },
      );
      return { grant, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  app.get(
    '/admin/sso',
    { config: { auth: 'session' }, schema: { tags: ['admin'], summary: 'The workspace’s single sign-on (admins); never the client secret', response: { 200: SsoSettings, ...errors(401, 403) } } },
    async (request) => deps.ssoSettings.get(sessionAuthOf(request)),
  );

  app.put(
    '/admin/sso',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'Sets the workspace’s single sign-on (admins): provider, domains, just-in-time members, "require SSO" with a break-glass admin',
        description: 'The issuer is checked by discovery first (502 `sso_provider_unreachable`). A domain another workspace has is 409 `conflict`.',
        body: SsoSettingsUpdate,
        response: { 200: SsoSettings, ...errors(400, 401, 403, 409, 502) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      return deps.ssoSettings.save(auth, request.body, { ip: clientIp(request), sessionId: auth.session.id });
    },
  );
};
