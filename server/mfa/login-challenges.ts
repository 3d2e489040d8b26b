import { LOGIN_CHALLENGE_TTL_MS, policyCovers, type MfaMethod, type TotpEnrolment } from '../../shared/api/mfa.js';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { StoredLoginChallenge, StoredUser, TabStore } from '../store/types.js';
import { signInLimits, throttleKeys, type AttemptThrottle } from '../sessions/attempt-throttle.js';
import type { LoginInput, LoginResult, SessionService } from '../sessions/session-service.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { PasskeyService, RelyingParty } from './passkeys.js';
import type { SecondFactor } from './second-factor.js';
import type { TwoFactorService } from './two-factor-service.js';

/** A sign-in that needs a second step: what the 202 answers. */
export interface ChallengeOutcome {
  kind: 'challenge';
  challenge: string;
  methods: MfaMethod[];
  enrolRequired: boolean;
  expiresAt: number;
}

/** What the second step's request brings (the first step's client and device name are kept with the challenge). */
export type SecondStepInput = Pick<LoginInput, 'userAgent' | 'ip' | 'presentedCookie'> & { challenge: string };

const expired = () => new HttpError('mfa_challenge_expired', 'This sign-in has expired or was finished already. Sign in again.');

/**
 * The second step of a sign-in. After the password (or an invitation or
 * reset link), a member with two-factor gets a challenge instead of a
 * session; a member the workspace's policy requires it of, without it, gets
 * an enrolment challenge: the only thing it allows is adding an
 * authenticator, which then signs them in. No session exists before that,
 * so there is no "half signed-in" session for any other route to guard.
 *
 * Challenges are stored by hash, last 5 minutes and are used once. Wrong
 * codes count as failed sign-ins (email and address), like wrong passwords.
 */
export class LoginChallenges {
  constructor(
    private readonly deps: { store: TabStore; clock: Clock; throttle: AttemptThrottle; secondFactor: SecondFactor; twoFactor: TwoFactorService; sessions: SessionService; passkeys: PasskeyService },
  ) {}

  /** A challenge for a member whose password (or link) was right, or null when the password is enough. */
  async challengeFor(user: StoredUser, device: { client: ClientKind; deviceName?: string }, via?: 'invitation' | 'password_reset'): Promise<ChallengeOutcome | null> {
    const { store, clock, secondFactor } = this.deps;
    const methods = await secondFactor.methodsOf(user.id);
    let purpose: 'verify' | 'enrol';
    if (methods.length > 0) purpose = 'verify';
    else if (policyCovers(await store.getTwoFactorPolicy(user.workspaceId), user.role)) purpose = 'enrol';
    else return null;
    const now = clock.now();
    const challenge = randomSecret();
    const expiresAt = now + LOGIN_CHALLENGE_TTL_MS;
    await store.createLoginChallenge({
      secretHash: secretHash(challenge),
      userId: user.id,
      purpose,
      via: via ?? null,
      clientKind: device.client,
      deviceName: device.deviceName ?? null,
      createdAt: now,
      expiresAt,
    });
    return { kind: 'challenge', challenge, methods: purpose === 'verify' ? methods : ['totp'], enrolRequired: purpose === 'enrol', expiresAt };
  }

  /**
   * POST /auth/login/mfa: the code finishes the sign-in (the usual session,
   * cookie and token). Issue #15's benchmark path: one read (the challenge with
   * its user, factor and session policy), the code checked in memory, then one
   * store transaction that counts the sign-in throttle and either records the
   * failure or takes the step (or recovery code) and the challenge, clears the
   * email's failures and starts the session. The throttle's keys are held for
   * that transaction, so concurrent codes count exactly as reservations did.
   */
  async finish(input: SecondStepInput & { code: string }): Promise<LoginResult> {
    const { store, clock, throttle, secondFactor, sessions } = this.deps;
    const opened = await store.openLoginChallenge(secretHash(input.challenge), clock.now());
    if (!opened || opened.challenge.purpose !== 'verify') throw expired();
    const { challenge, user } = opened;
    if (user.disabledAt !== null) throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    const now = clock.now();
    const limits = signInLimits(user.email, input.ip);
    const basis = secondFactor.proofOf(input.code, user, opened.factor, now);
    const method = basis?.kind === 'recovery_code' ? 'password+recovery_code' : 'password+totp';
    const device = { client: challenge.clientKind as ClientKind, deviceName: challenge.deviceName ?? undefined, userAgent: input.userAgent, ip: input.ip };
    const planned = sessions.planSession(user, device, opened.sessionPolicy, challenge.via ?? undefined, method);
    const superseded = input.presentedCookie ? await sessions.supersedable(input.presentedCookie) : undefined;
    const audit = { workspaceId: user.workspaceId, at: now, targetUserId: user.id, ip: input.ip };
    const finished = await store.finishLoginChallenge({
      challengeHash: challenge.secretHash,
      userId: user.id,
      at: now,
      throttle: { limits, since: throttle.since(now), clearKeys: [throttleKeys.signInEmail(user.email)] },
      proof: basis?.kind === 'recovery_code' ? { ...basis, audit: { ...audit, type: 'recovery_code_used', actorUserId: user.id, sessionId: null } } : basis,
      failureAudit: { ...audit, type: 'sign_in_failed', detail: { reason: 'wrong_code', client: challenge.clientKind } },
      supersede: superseded ? sessions.revocationOf(superseded, { by: user.id, reason: 'superseded', ip: input.ip }) : null,
      session: planned.record,
    });
    switch (finished.outcome) {
      case 'throttled':
        throw throttle.refusal(limits, finished, now);
      case 'wrong_code':
        throw new HttpError('mfa_code_invalid', 'That code is not right, or it was used already.');
      case 'expired':
        throw expired();
      case 'signed_in':
        if (finished.superseded && superseded) sessions.announce([superseded], 'superseded');
        return sessions.sessionStarted(user, planned, finished.session, finished.evicted);
    }
  }

  /** POST /auth/login/passkey/options: the assertion options for the member of this challenge (their passkeys). */
  async passkeyOptions(challengeSecret: string, rp: RelyingParty) {
    const { challenge, user } = await this.open(challengeSecret, 'verify');
    return this.deps.passkeys.authenticationOptions(rp, { purpose: 'second_factor', userId: user.id, loginChallengeHash: challenge.secretHash });
  }

  /**
   * POST /auth/login/passkey: the passkey finishes the sign-in (`password+passkey`).
   * A signature cannot be guessed, so a refused assertion is not counted as a
   * failed sign-in; it is audited like a wrong code.
   */
  async finishWithPasskey(input: SecondStepInput & { response: AuthenticationResponseJSON }, rp: RelyingParty): Promise<LoginResult> {
    const { store, clock, passkeys } = this.deps;
    const { challenge, user } = await this.open(input.challenge, 'verify');
    try {
      const { user: owner, record } = await passkeys.verifyAssertion(input.response, 'second_factor', rp);
      if (owner.id !== user.id || record.loginChallengeHash === null || !record.loginChallengeHash.equals(challenge.secretHash)) throw new HttpError('passkey_invalid', 'That passkey was not accepted.');
    } catch (error) {
      if (error instanceof HttpError && error.code === 'passkey_invalid') {
        await store.appendAudit({ workspaceId: user.workspaceId, type: 'sign_in_failed', at: clock.now(), targetUserId: user.id, ip: input.ip, detail: { reason: 'wrong_passkey', client: challenge.clientKind } });
      }
      throw error;
    }
    if (!(await store.useLoginChallenge(challenge.secretHash, clock.now()))) throw expired();
    return this.signIn(user, challenge, input, 'password+passkey');
  }

  /**
   * The desktop's passkey second step (server/mfa/desktop-passkey.ts): the
   * pending sign-in its 202 challenge names, by the challenge itself (start)
   * or by its hash (the browser's ceremony, which never sees the secret).
   */
  async openForPasskey(ref: { secret: string } | { hash: Buffer }): Promise<{ challenge: StoredLoginChallenge; user: StoredUser }> {
    return this.openByHash('secret' in ref ? secretHash(ref.secret) : ref.hash, 'verify');
  }

  /**
   * Finishes the sign-in whose second step a passkey already passed in the
   * system browser (the desktop's hand-off, redeemed by main): the challenge
   * is used once, then the session starts as after `POST /auth/login/passkey`.
   */
  async finishVerifiedPasskey(challengeHash: Buffer, userId: string, input: Omit<SecondStepInput, 'challenge'>): Promise<LoginResult> {
    const { challenge, user } = await this.openByHash(challengeHash, 'verify');
    if (user.id !== userId) throw expired();
    if (!(await this.deps.store.useLoginChallenge(challenge.secretHash, this.deps.clock.now()))) throw expired();
    return this.signIn(user, challenge, input, 'password+passkey');
  }

  /** POST /auth/login/enrol: the secret to scan, for a sign-in the policy sent to enrol. */
  async startEnrolment(challengeSecret: string): Promise<TotpEnrolment> {
    const { user } = await this.open(challengeSecret, 'enrol');
    return this.deps.twoFactor.startEnrolment(user);
  }

  /** POST /auth/login/enrol/confirm: the first code turns two-factor on and signs the member in. */
  async confirmEnrolment(input: SecondStepInput & { code: string }): Promise<LoginResult & { recoveryCodes: string[] }> {
    const { store, clock, twoFactor } = this.deps;
    const { challenge, user } = await this.open(input.challenge, 'enrol');
    const recoveryCodes = await twoFactor.confirmEnrolment(user, input.code, { sessionId: null, ip: input.ip });
    if (!(await store.useLoginChallenge(challenge.secretHash, clock.now()))) throw expired();
    return { ...(await this.signIn(user, challenge, input, 'password+totp')), recoveryCodes };
  }

  private open(secret: string, purpose: 'verify' | 'enrol'): Promise<{ challenge: StoredLoginChallenge; user: StoredUser }> {
    return this.openByHash(secretHash(secret), purpose);
  }

  private async openByHash(hash: Buffer, purpose: 'verify' | 'enrol'): Promise<{ challenge: StoredLoginChallenge; user: StoredUser }> {
    const { store, clock } = this.deps;
    const challenge = await store.findLoginChallenge(hash, clock.now());
    if (!challenge || challenge.purpose !== purpose) throw expired();
    const user = await store.findUserById(challenge.userId);
    if (!user) throw expired();
    if (user.disabledAt !== null) throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    return { challenge, user };
  }

  private async signIn(user: StoredUser, challenge: StoredLoginChallenge, input: Omit<SecondStepInput, 'challenge'>, method: string): Promise<LoginResult> {
    const { sessions } = this.deps;
    const device = { client: challenge.clientKind as ClientKind, deviceName: challenge.deviceName ?? undefined, userAgent: input.userAgent, ip: input.ip };
    if (input.presentedCookie) await sessions.supersede(input.presentedCookie, user.id, input.ip);
    return sessions.startSession(user, device, challenge.via ?? undefined, method);
  }
}
