import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { LoginResponse, SESSION_COOKIE } from '../../shared/api/auth.js';
import { ReauthGrantResponse } from '../../shared/api/mfa.js';
import { MemberParams } from '../../shared/api/admin.js';
import {
  AssertionRequest,
  LoginPasskeyRequest,
  PasskeyList,
  PasskeyOptions,
  PasskeyOptionsForLoginRequest,
  PasskeyView,
  PasswordlessOptionsRequest,
  RegisterPasskeyRequest,
  RemovePasskeyRequest,
} from '../../shared/api/passkeys.js';
import { clientHost, clientIp, clientScheme, sessionAuthOf } from '../http/request-context.js';
import { setSessionCookie } from '../http/session-cookie.js';
import type { RelyingParty } from '../mfa/passkeys.js';
import type { LoginResult } from '../sessions/session-service.js';
import { toSessionView } from '../sessions/session-view.js';
import { toUserView } from './views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** The relying party is the address the client used: its origin, and its host name as the RP ID. */
export function relyingParty(request: FastifyRequest): RelyingParty {
  const origin = `${clientScheme(request)}://${clientHost(request)}`;
  return { origin, rpId: new URL(origin).hostname.replace(/^\[|\]$/g, '') };
}

/**
 * Passkeys (WebAuthn, issue #15 item 2): each ceremony is an options call
 * (the challenge, kept in the store) and a finishing call with the browser's
 * answer. The rules are in server/mfa/passkeys.ts and passkey-sign-in.ts.
 */
export const passkeyRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { passkeys, passkeySignIn, challenges } = deps;
  const loginAnswer = (result: LoginResult) => ({ token: result.token, user: toUserView(result.user), session: toSessionView(result.session, result.session.id) });
  const device = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'] ?? '', ip: clientIp(request), presentedCookie: request.cookies[SESSION_COOKIE] });

  app.get(
    '/me/passkeys',
    { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'Your passkeys (names and dates; no key material)', response: { 200: PasskeyList, ...errors(401, 403) } } },
    async (request) => ({ passkeys: await passkeys.list(sessionAuthOf(request).user.id) }),
  );

  app.post(
    '/me/passkeys/options',
    { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'Start adding a passkey: options for navigator.credentials.create() (5 minutes, once)', response: { 200: PasskeyOptions, ...errors(401, 403) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      return { options: await passkeys.registrationOptions(auth.user, auth.session.id, relyingParty(request)) };
    },
  );

  app.post(
    '/me/passkeys',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Finish adding a passkey: its name and the browser’s answer',
        description: 'A used or expired (5 minutes) challenge is 410 `passkey_challenge_expired`; an answer that does not verify 403 `passkey_invalid`; a passkey registered already 409 `conflict`.',
        body: RegisterPasskeyRequest,
        response: { 201: PasskeyView, ...errors(400, 401, 403, 409, 410) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const view = await passkeys.register({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.body.name, request.body.response as unknown as RegistrationResponseJSON, relyingParty(request));
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/me/passkeys/:id/remove',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Remove one of your passkeys: `currentPassword` (and `code` with an authenticator app), or a `reauthGrant`',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: RemovePasskeyRequest,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const { currentPassword, code, reauthGrant } = request.body;
      await passkeys.remove({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.params.id, { password: currentPassword, code, grant: reauthGrant });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/admin/members/:userId/passkeys',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'A member’s passkeys: name, added, last used, synced (admins and managers; no key material)',
        params: MemberParams,
        response: { 200: PasskeyList, ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ passkeys: await deps.memberPasskeys.list(sessionAuthOf(request), request.params.userId) }),
  );

  app.post(
    '/admin/members/:userId/passkeys/:id/remove',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'Remove a member’s passkey (a lost security key or laptop): admins, with your own re-check (`currentPassword` (+ `code`), or a `reauthGrant`)',
        description:
          'It stops working at once; the member’s sessions are not signed out (sign out the lost device’s session from the member’s page). ' +
          'Audited as `passkey_removed` with the passkey’s name. 404 `passkey_not_found` when it is not (or no longer) the member’s; 400 on yourself (use your Profile).',
        params: Type.Object({ userId: MemberParams.properties.userId, id: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: RemovePasskeyRequest,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { currentPassword, code, reauthGrant } = request.body;
      await deps.memberPasskeys.remove(sessionAuthOf(request), request.params.userId, request.params.id, { password: currentPassword, code, grant: reauthGrant }, { ip: clientIp(request) });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/login/passkey/options',
    {
      config: { auth: 'none' },
      schema: { tags: ['auth'], summary: 'The second step with a passkey: options for the member of this 202 challenge', body: PasskeyOptionsForLoginRequest, response: { 200: PasskeyOptions, ...errors(400, 403, 404, 410) } },
    },
    async (request) => ({ options: await challenges.passkeyOptions(request.body.challenge, relyingParty(request)) }),
  );

  app.post(
    '/auth/login/passkey',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'Finish a sign-in’s second step with a passkey (audited `password+passkey`); answers like a 200 sign-in',
        body: LoginPasskeyRequest,
        response: { 200: LoginResponse, ...errors(400, 403, 410) },
      },
    },
    async (request, reply) => {
      const result = await challenges.finishWithPasskey({ challenge: request.body.challenge, response: request.body.response as unknown as AuthenticationResponseJSON, ...device(request) }, relyingParty(request));
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return loginAnswer(result);
    },
  );

  app.post(
    '/auth/passkey/options',
    {
      config: { auth: 'none' },
      schema: { tags: ['auth'], summary: 'Sign in with a passkey (no password): options for navigator.credentials.get()', body: PasswordlessOptionsRequest, response: { 200: PasskeyOptions, ...errors(400) } },
    },
    async (request) => ({ options: await passkeySignIn.options(relyingParty(request), { client: request.body.client ?? 'web', deviceName: request.body.deviceName }) }),
  );

  app.post(
    '/auth/passkey',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a passkey (discoverable, user verified; audited `passkey`); answers like a 200 sign-in',
        description: 'Refused with 403 `sso_required` for a workspace that requires single sign-on (but its break-glass admin).',
        body: AssertionRequest,
        response: { 200: LoginResponse, ...errors(400, 403, 410) },
      },
    },
    async (request, reply) => {
      const result = await passkeySignIn.finish({ response: request.body.response as unknown as AuthenticationResponseJSON, ...device(request) }, relyingParty(request));
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return loginAnswer(result);
    },
  );

  app.post(
    '/auth/reauth/passkey/options',
    { config: { auth: 'session' }, schema: { tags: ['auth'], summary: 'Re-check with a passkey: options for this session', response: { 200: PasskeyOptions, ...errors(401, 403, 404) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      return { options: await passkeySignIn.reauthOptions({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, relyingParty(request)) };
    },
  );

  app.post(
    '/auth/reauth/passkey',
    {
      config: { auth: 'session' },
      schema: { tags: ['auth'], summary: 'Re-check with a passkey: a grant for this session, 5 minutes', body: AssertionRequest, response: { 200: ReauthGrantResponse, ...errors(400, 401, 403, 410) } },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const { grant, expiresAt } = await passkeySignIn.reauthGrant({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.body.response as unknown as AuthenticationResponseJSON, relyingParty(request));
      return { grant, expiresAt: new Date(expiresAt).toISOString() };
    },
  );
};
