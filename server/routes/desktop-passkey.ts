import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { LoginResponse } from '../../shared/api/auth.js';
import {
  DesktopHandoffRequest,
  DesktopPasskeyCompleteRequest,
  DesktopPasskeyFinishRequest,
  DesktopPasskeyOptionsResponse,
  DesktopPasskeyStartRequest,
  DesktopPasskeyStartResponse,
  DesktopRedirectResponse,
} from '../../shared/api/desktop-passkey.js';
import { clientHost, clientIp, clientScheme } from '../http/request-context.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { relyingParty } from './passkeys.js';
import { toSessionView } from '../sessions/session-view.js';
import { toUserView } from './views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/**
 * The desktop app's passkey sign-in through the system browser (issue #15
 * item 3; the rules and the flow in server/mfa/desktop-passkey.ts). `start`
 * and `complete` are main's calls; `options`, `finish` and `cancel` the
 * browser page's (`/desktop/passkey`).
 */
export const desktopPasskeyRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['auth'];
  const service = deps.desktopPasskey;
  const origin = (request: FastifyRequest) => `${clientScheme(request)}://${clientHost(request)}`;

  app.post(
    '/auth/desktop/passkey/start',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Desktop app: starts a passkey sign-in in the system browser (RFC 8252); answers the page to open',
        description:
          'Main gives its loopback `redirectUri`, the S256 `appChallenge` of its verifier and a `state`; with `challenge` (a 202’s) it is the second step of that ' +
          'sign-in and the passkey must be that member’s (404 `passkey_not_found` when they have none; 410 `mfa_challenge_expired` when it is gone). Lives 5 minutes.',
        body: DesktopPasskeyStartRequest,
        response: { 200: DesktopPasskeyStartResponse, ...errors(400, 403, 404, 410) },
      },
    },
    async (request) => service.start({ ...request.body, origin: origin(request) }),
  );

  app.post(
    '/auth/desktop/passkey/options',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Desktop passkey sign-in, in the browser: the WebAuthn options of this hand-off',
        body: DesktopHandoffRequest,
        response: { 200: DesktopPasskeyOptionsResponse, ...errors(400, 403, 404, 410) },
      },
    },
    async (request) => service.options(request.body.handoff, relyingParty(request)),
  );

  app.post(
    '/auth/desktop/passkey/finish',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Desktop passkey sign-in, in the browser: the passkey’s answer; answers the app’s loopback address with a one-time code',
        description: 'No session and no cookie for the browser: the app exchanges the code (1 minute, once, with its verifier). Another member’s passkey in the second step is 403 `passkey_invalid`.',
        body: DesktopPasskeyFinishRequest,
        response: { 200: DesktopRedirectResponse, ...errors(400, 403, 410) },
      },
    },
    async (request) => service.finish(request.body.handoff, request.body.response as unknown as AuthenticationResponseJSON, relyingParty(request), clientIp(request)),
  );

  app.post(
    '/auth/desktop/passkey/cancel',
    {
      config: { auth: 'none' },
      schema: { tags, summary: 'Desktop passkey sign-in, in the browser: given up; answers the app’s loopback address with `error=access_denied`', body: DesktopHandoffRequest, response: { 200: DesktopRedirectResponse, ...errors(400, 410) } },
    },
    async (request) => service.cancel(request.body.handoff),
  );

  app.post(
    '/auth/desktop/passkey/complete',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Desktop app: exchanges the one-time code and its verifier for the usual sign-in answer and session cookie',
        description: 'A code unknown, used, past its minute, or with the wrong verifier (which spends it) is 400 `desktop_code_invalid`.',
        body: DesktopPasskeyCompleteRequest,
        response: { 200: LoginResponse, ...errors(400, 403, 410) },
      },
    },
    async (request, reply) => {
      const result = await service.complete({ ...request.body, userAgent: request.headers['user-agent'] ?? '', ip: clientIp(request) });
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return { token: result.token, user: toUserView(result.user), session: toSessionView(result.session, result.session.id) };
    },
  );
};
