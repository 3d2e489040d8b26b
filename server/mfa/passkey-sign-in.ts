import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { ClientKind } from '../../shared/api/sessions.js';
import { HttpError } from '../http/http-error.js';
import type { Reauthenticator, ReauthWho } from '../sessions/reauth.js';
import type { LoginInput, LoginResult, SessionService } from '../sessions/session-service.js';
import type { PasskeyService, RelyingParty } from './passkeys.js';

/**
 * The passkey as the whole sign-in (passwordless; audited `passkey`) and as
 * a re-check (a grant, like the password + code). Passwordless asks the
 * authenticator to verify the user (PIN or biometrics), so the passkey is
 * both factors and satisfies a two-factor policy; a workspace that requires
 * single sign-on refuses it like a password, except for its break-glass admin.
 */
export class PasskeySignIn {
  constructor(private readonly deps: { passkeys: PasskeyService; sessions: SessionService; reauth: Reauthenticator }) {}

  options(rp: RelyingParty, device: { client: ClientKind; deviceName?: string }) {
    return this.deps.passkeys.authenticationOptions(rp, { purpose: 'passwordless', clientKind: device.client, deviceName: device.deviceName });
  }

  async finish(input: Pick<LoginInput, 'userAgent' | 'ip' | 'presentedCookie'> & { response: AuthenticationResponseJSON }, rp: RelyingParty): Promise<LoginResult> {
    const { passkeys, sessions } = this.deps;
    const { user, record } = await passkeys.verifyAssertion(input.response, 'passwordless', rp);
    // A ceremony the desktop app started through the browser (server/mfa/desktop-passkey.ts) signs in only the app.
    if (record.loginChallengeHash !== null) throw new HttpError('passkey_invalid', 'That passkey was not accepted.');
    const client = (record.clientKind ?? 'web') as ClientKind;
    await sessions.refuseWhenSsoRequired(user, { client, ip: input.ip });
    if (input.presentedCookie) await sessions.supersede(input.presentedCookie, user.id, input.ip);
    return sessions.startSession(user, { client, deviceName: record.deviceName ?? undefined, userAgent: input.userAgent, ip: input.ip }, undefined, 'passkey');
  }

  reauthOptions(who: ReauthWho & { sessionId: string }, rp: RelyingParty) {
    return this.deps.passkeys.authenticationOptions(rp, { purpose: 'reauth', userId: who.user.id, sessionId: who.sessionId });
  }

  /** POST /auth/reauth/passkey: the assertion, made for this session's re-check, returns the grant. */
  async reauthGrant(who: ReauthWho & { sessionId: string }, response: AuthenticationResponseJSON, rp: RelyingParty) {
    const { user, record } = await this.deps.passkeys.verifyAssertion(response, 'reauth', rp);
    if (user.id !== who.user.id || record.sessionId !== who.sessionId) throw new HttpError('passkey_invalid', 'That passkey was not accepted.');
    return this.deps.reauth.issueGrant(who, 'passkey');
  }
}
