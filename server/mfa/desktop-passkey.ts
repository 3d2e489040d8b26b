import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DESKTOP_CODE_TTL_MS, DESKTOP_PASSKEY_PATH } from '../../shared/api/desktop-passkey.js';
import { PASSKEY_CHALLENGE_TTL_MS } from '../../shared/api/passkeys.js';
import { HttpError } from '../http/http-error.js';
import type { Clock } from '../platform/clock.js';
import { appChallengeBytes, checkLoopbackRedirect, verifierMatches } from '../security/loopback.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { LoginResult, SessionService } from '../sessions/session-service.js';
import type { StoredDesktopHandoff, TabStore } from '../store/types.js';
import type { LoginChallenges } from './login-challenges.js';
import type { PasskeyService, RelyingParty } from './passkeys.js';

export interface DesktopPasskeyStart {
  redirectUri: string;
  appChallenge: string;
  state: string;
  deviceName?: string;
  /** The 202's challenge: this is the second step of that sign-in. */
  challenge?: string;
  /** The server as the desktop reached it: the browser page is served there. */
  origin: string;
}

const gone = () => new HttpError('passkey_challenge_expired', 'This sign-in from the TAB app has expired or was finished already. Start it again in the app.');
const badCode = () => new HttpError('desktop_code_invalid', 'This sign-in’s code is unknown, expired or used already, or it was not this app’s. Sign in again.');

/**
 * Passkeys for the desktop app through the system browser (issue #15 item 3,
 * RFC 8252). Electron's window never runs WebAuthn: the platform
 * authenticator and the person's synced passkeys live in their browser, and
 * a page the app embeds could be made to ask for any site's passkey.
 *
 *   app main ── start (loopback redirect, S256 challenge, state[, 202 challenge]) ──▶ server: hand-off
 *   system browser ── /desktop/passkey#<hand-off> ── options / finish ──▶ server: one-time code
 *   browser ──▶ http://127.0.0.1:<port>/callback?code&state ──▶ app main ── complete (code, verifier) ──▶ session
 *
 * The hand-off, the WebAuthn challenge and the code are single use and kept
 * by hash. The code works for one minute and only with the app's verifier
 * (a program that catches the redirect cannot use it); a wrong verifier
 * spends it, as a stolen code would be. The session is made at `complete`,
 * for main, which presents no browser cookie; the browser gets no session.
 * In the second-step case the WebAuthn challenge is the pending sign-in's
 * and must be answered by that member's passkey (another person's passkey is
 * refused and audited like a wrong code).
 */
export class DesktopPasskeySignIn {
  constructor(private readonly deps: { store: TabStore; clock: Clock; passkeys: PasskeyService; challenges: LoginChallenges; sessions: SessionService }) {}

  async start(input: DesktopPasskeyStart): Promise<{ browserUrl: string }> {
    const { store, clock } = this.deps;
    const redirectUri = checkLoopbackRedirect(input.redirectUri);
    const appChallenge = appChallengeBytes(input.appChallenge);
    const now = clock.now();
    let expiresAt = now + PASSKEY_CHALLENGE_TTL_MS;
    let loginChallengeHash: Buffer | null = null;
    if (input.challenge !== undefined) {
      const { challenge, user } = await this.deps.challenges.openForPasskey({ secret: input.challenge });
      if ((await store.countPasskeys(user.id)) === 0) throw new HttpError('passkey_not_found', 'You have no passkey yet. Use your authenticator code.');
      loginChallengeHash = challenge.secretHash;
      // The second step cannot outlive the sign-in it finishes.
      expiresAt = Math.min(expiresAt, challenge.expiresAt);
    }
    const handoff = randomSecret();
    await store.createDesktopHandoff({
      handoffHash: secretHash(handoff),
      state: input.state,
      appChallenge,
      redirectUri,
      deviceName: input.deviceName ?? null,
      loginChallengeHash,
      codeHash: null,
      userId: null,
      codeExpiresAt: null,
      createdAt: now,
      expiresAt,
    });
    return { browserUrl: `${new URL(DESKTOP_PASSKEY_PATH, input.origin).href}#${handoff}` };
  }

  /** The browser page's WebAuthn options: the pending member's passkeys (second step), or any of this site's (passwordless). */
  async options(handoff: string, rp: RelyingParty): Promise<{ options: unknown; secondStep: boolean }> {
    const found = await this.open(handoff);
    if (found.loginChallengeHash) {
      const { challenge, user } = await this.deps.challenges.openForPasskey({ hash: found.loginChallengeHash });
      const options = await this.deps.passkeys.authenticationOptions(rp, { purpose: 'second_factor', userId: user.id, loginChallengeHash: challenge.secretHash });
      return { options, secondStep: true };
    }
    // Passwordless: the WebAuthn challenge is tied to this hand-off (its "sign-in" is the hand-off).
    const options = await this.deps.passkeys.authenticationOptions(rp, { purpose: 'passwordless', clientKind: 'desktop', deviceName: found.deviceName ?? undefined, loginChallengeHash: found.handoffHash });
    return { options, secondStep: false };
  }

  /** The browser's passkey answer: verified, it issues the one-time code and answers where the browser goes (the app's loopback). */
  async finish(handoff: string, response: AuthenticationResponseJSON, rp: RelyingParty, ip: string): Promise<{ redirectTo: string }> {
    const { store, clock, passkeys, challenges } = this.deps;
    const found = await this.open(handoff);
    const second = found.loginChallengeHash !== null;
    const pending = second ? await challenges.openForPasskey({ hash: found.loginChallengeHash! }) : null;
    let ownerId: string;
    try {
      const { user: owner, record } = await passkeys.verifyAssertion(response, second ? 'second_factor' : 'passwordless', rp);
      const boundTo = found.loginChallengeHash ?? found.handoffHash;
      if (record.loginChallengeHash === null || !record.loginChallengeHash.equals(boundTo)) throw new HttpError('passkey_invalid', 'That passkey was not accepted.');
      // The second step: the passkey must be the pending sign-in's member's, never a fresh sign-in of someone else.
      if (pending && owner.id !== pending.user.id) throw new HttpError('passkey_invalid', 'That passkey is not the one of the account you signed in to. Use your own passkey.');
      ownerId = owner.id;
    } catch (error) {
      if (pending && error instanceof HttpError && error.code === 'passkey_invalid') {
        await store.appendAudit({ workspaceId: pending.user.workspaceId, type: 'sign_in_failed', at: clock.now(), targetUserId: pending.user.id, ip, detail: { reason: 'wrong_passkey', client: 'desktop' } });
      }
      throw error;
    }
    const code = randomSecret();
    const now = clock.now();
    if (!(await store.issueDesktopHandoffCode(found.handoffHash, { codeHash: secretHash(code), userId: ownerId, codeExpiresAt: now + DESKTOP_CODE_TTL_MS }, now))) throw gone();
    return { redirectTo: redirectOf(found, { code, state: found.state }) };
  }

  /** The person gave up in the browser: the hand-off goes, and the browser tells the app (`error=access_denied`) so it stops waiting. */
  async cancel(handoff: string): Promise<{ redirectTo: string }> {
    const dropped = await this.deps.store.dropDesktopHandoff(secretHash(handoff), this.deps.clock.now());
    if (!dropped) throw gone();
    return { redirectTo: redirectOf(dropped, { error: 'access_denied', state: dropped.state }) };
  }

  /** Main's exchange: code + verifier → the usual sign-in answer, a desktop session audited `passkey` or `password+passkey`. */
  async complete(input: { code: string; appVerifier: string; userAgent: string; ip: string }): Promise<LoginResult> {
    const { store, clock, sessions, challenges } = this.deps;
    const taken = await store.takeDesktopHandoffCode(secretHash(input.code), clock.now());
    if (!taken || taken.userId === null) throw badCode();
    if (!verifierMatches(input.appVerifier, taken.appChallenge)) throw badCode();
    const device = { userAgent: input.userAgent, ip: input.ip };
    if (taken.loginChallengeHash) return challenges.finishVerifiedPasskey(taken.loginChallengeHash, taken.userId, device);
    const user = await store.findUserById(taken.userId);
    if (!user) throw badCode();
    if (user.disabledAt !== null) throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    await sessions.refuseWhenSsoRequired(user, { client: 'desktop', ip: input.ip });
    return sessions.startSession(user, { client: 'desktop', deviceName: taken.deviceName ?? undefined, ...device }, undefined, 'passkey');
  }

  private async open(handoff: string): Promise<StoredDesktopHandoff> {
    const found = await this.deps.store.findDesktopHandoff(secretHash(handoff), this.deps.clock.now());
    if (!found) throw gone();
    return found;
  }
}

function redirectOf(handoff: StoredDesktopHandoff, params: Record<string, string>): string {
  const url = new URL(handoff.redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}
