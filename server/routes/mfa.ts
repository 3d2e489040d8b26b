import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LoginResponse, SESSION_COOKIE } from '../../shared/api/auth.js';
import {
  DisableTwoFactorRequest,
  LoginEnrolRequest,
  LoginMfaRequest,
  MemberTwoFactor,
  ReauthOptions,
  RegenerateRecoveryCodesRequest,
  ResetMemberTwoFactorRequest,
  ResetMemberTwoFactorResponse,
  RecoveryCodes,
  ReauthGrantResponse,
  ReauthRequest,
  StartTotpEnrolmentRequest,
  TotpConfirmRequest,
  TotpEnrolment,
  TwoFactorPolicyBody,
  TwoFactorStatus,
} from '../../shared/api/mfa.js';
import { clientIp, requireRole, sessionAuthOf } from '../http/request-context.js';
import { setSessionCookie } from '../http/session-cookie.js';
import type { LoginResult } from '../sessions/session-service.js';
import { toSessionView } from '../sessions/session-view.js';
import { MemberParams } from '../../shared/api/admin.js';
import { toUserView } from './views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

const LoginWithRecoveryCodes = Type.Intersect([LoginResponse, RecoveryCodes]);

/**
 * Two-factor (issue #15 items 1, 4, 5): the sign-in's second step and the
 * enrolment a policy asks for (both public: the challenge is the
 * credential), the re-check grant, the member's own two-factor (Profile) and
 * the workspace's policy (admins, Security page). The rules are in
 * server/mfa/ and server/sessions/reauth.ts.
 */
export const mfaRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { challenges, twoFactor } = deps;
  const loginAnswer = (result: LoginResult) => ({ token: result.token, user: toUserView(result.user), session: toSessionView(result.session, result.session.id) });

  app.post(
    '/auth/login/mfa',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'The second step of a sign-in: the challenge of the 202 and an authenticator (or recovery) code; answers like a 200 sign-in',
        description:
          'A wrong or reused code is 403 `mfa_code_invalid` and counts as a failed sign-in (10 per email and 50 per address in 15 minutes, then 429). ' +
          'An unknown, used or expired (5 minutes) challenge is 410 `mfa_challenge_expired`: sign in again.',
        body: LoginMfaRequest,
        response: { 200: LoginResponse, ...errors(400, 403, 410, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await challenges.finish({
        challenge: request.body.challenge,
        code: request.body.code,
        userAgent: request.headers['user-agent'] ?? '',
        ip: clientIp(request),
        presentedCookie: request.cookies[SESSION_COOKIE],
      });
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return loginAnswer(result);
    },
  );

  app.post(
    '/auth/login/enrol',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'A sign-in the workspace policy sent to enrol (202 with `enrolRequired`): the authenticator secret to scan',
        body: LoginEnrolRequest,
        response: { 200: TotpEnrolment, ...errors(400, 403, 409, 410) },
      },
    },
    async (request) => challenges.startEnrolment(request.body.challenge),
  );

  app.post(
    '/auth/login/enrol/confirm',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'The new authenticator’s first code: turns two-factor on and signs in; answers the ten recovery codes, once',
        body: LoginMfaRequest,
        response: { 200: LoginWithRecoveryCodes, ...errors(400, 403, 409, 410) },
      },
    },
    async (request, reply) => {
      const result = await challenges.confirmEnrolment({
        challenge: request.body.challenge,
        code: request.body.code,
        userAgent: request.headers['user-agent'] ?? '',
        ip: clientIp(request),
        presentedCookie: request.cookies[SESSION_COOKIE],
      });
      setSessionCookie(reply, result.cookie, deps.secureCookies);
      return { ...loginAnswer(result), recoveryCodes: result.recoveryCodes };
    },
  );

  app.post(
    '/auth/reauth',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Re-check who you are (password, plus the authenticator code with two-factor): a grant for this session, 5 minutes',
        description:
          'Send the grant as `reauthGrant` to a password change, workspace revoke-all, API token creation or turning two-factor off, instead of the password. ' +
          'Wrong password 403 `reauth_failed`, missing code 403 `mfa_code_required`, wrong code 403 `mfa_code_invalid` (10 failures in 15 minutes, then 429).',
        body: ReauthRequest,
        response: { 200: ReauthGrantResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const { grant, expiresAt } = await deps.reauth.grantWithPassword({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.body);
      return { grant, expiresAt: new Date(expiresAt).toISOString() };
    },
  );

  app.get(
    '/me/two-factor',
    { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'Your two-factor: on or off, recovery codes left, whether your workspace requires it', response: { 200: TwoFactorStatus, ...errors(401, 403) } } },
    async (request) => twoFactor.status(sessionAuthOf(request).user),
  );

  app.post(
    '/me/two-factor/totp',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Start adding an authenticator app (asks for your password, or a re-check grant): a new secret (QR code and text), pending until its first code confirms it',
        body: StartTotpEnrolmentRequest,
        response: { 200: TotpEnrolment, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const who = { user: auth.user, sessionId: auth.session.id, ip: clientIp(request) };
      return twoFactor.startEnrolmentChecked(who, { password: request.body.currentPassword, grant: request.body.reauthGrant });
    },
  );

  app.post(
    '/me/two-factor/totp/confirm',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Confirm the new authenticator with its first code: two-factor is on; answers ten recovery codes, shown once',
        body: TotpConfirmRequest,
        response: { 200: RecoveryCodes, ...errors(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      return { recoveryCodes: await twoFactor.confirmEnrolment(auth.user, request.body.code, { sessionId: auth.session.id, ip: clientIp(request) }) };
    },
  );

  app.post(
    '/me/two-factor/disable',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Turn two-factor off: `currentPassword` and `code`, or a `reauthGrant`',
        body: DisableTwoFactorRequest,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      const { currentPassword, code, reauthGrant } = request.body;
      await twoFactor.disable({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, { password: currentPassword, code, grant: reauthGrant });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/reauth-options',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'The ways you can re-check who you are: password (+ authenticator code), a passkey, or your workspace’s single sign-on',
        response: { 200: ReauthOptions, ...errors(401, 403) },
      },
    },
    async (request) => deps.twoFactorReset.reauthOptions(sessionAuthOf(request).user),
  );

  app.post(
    '/me/two-factor/recovery-codes',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Ten new recovery codes, shown once; every old one stops working at once (`currentPassword` and `code`, or a `reauthGrant`)',
        description: 'Needs an authenticator app (409 `mfa_not_enabled`). Audited as `recovery_codes_regenerated`.',
        body: RegenerateRecoveryCodesRequest,
        response: { 200: RecoveryCodes, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const { currentPassword, code, reauthGrant } = request.body;
      const who = { user: auth.user, sessionId: auth.session.id, ip: clientIp(request) };
      return { recoveryCodes: await twoFactor.regenerateRecoveryCodes(who, { password: currentPassword, code, grant: reauthGrant }) };
    },
  );

  app.get(
    '/admin/members/:userId/two-factor',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'A member’s two-factor: authenticator app on, recovery codes left, passkeys, whether the policy requires it (admins and managers)',
        params: MemberParams,
        response: { 200: MemberTwoFactor, ...errors(401, 403, 404) },
      },
    },
    async (request) => deps.twoFactorReset.memberStatus(sessionAuthOf(request), request.params.userId),
  );

  app.post(
    '/admin/members/:userId/two-factor/reset',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'Reset a member’s two-factor (lost phone): removes their authenticator app and recovery codes and signs out all their sessions (admins; your own re-check)',
        description:
          'Passkeys and API tokens stay. The member signs in again with their password and is sent to enrol when the policy requires it. ' +
          'Audited as `two_factor_reset`. 409 `mfa_not_enabled` when the member has no authenticator app; 400 on yourself (use your Profile).',
        params: MemberParams,
        body: ResetMemberTwoFactorRequest,
        response: { 200: ResetMemberTwoFactorResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      const { currentPassword, code, reauthGrant } = request.body;
      return deps.twoFactorReset.reset(auth, request.params.userId, { password: currentPassword, code, grant: reauthGrant }, { ip: clientIp(request) });
    },
  );

  app.get(
    '/admin/two-factor-policy',
    { config: { auth: 'session' }, schema: { tags: ['admin'], summary: 'Whom the workspace requires two-factor of (admins)', response: { 200: TwoFactorPolicyBody, ...errors(401, 403) } } },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      return { requireTwoFactor: await twoFactor.getPolicy(auth.user.workspaceId) };
    },
  );

  app.put(
    '/admin/two-factor-policy',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['admin'],
        summary: 'Require two-factor of everyone, of admins and managers, or of nobody (admins; audited)',
        description:
          'Members it covers who have no authenticator are sent to enrol at their next sign-in; sessions already open stay. ' +
          'Refused with 409 `mfa_not_enabled` while the admin setting it has no two-factor themselves.',
        body: TwoFactorPolicyBody,
        response: { 200: TwoFactorPolicyBody, ...errors(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const auth = sessionAuthOf(request);
      requireRole(auth, 'admin');
      return { requireTwoFactor: await twoFactor.setPolicy({ user: auth.user, sessionId: auth.session.id, ip: clientIp(request) }, request.body.requireTwoFactor) };
    },
  );
};
