import QRCode from 'qrcode';
import { policyCovers, type TotpEnrolment, type TwoFactorPolicy, type TwoFactorStatus } from '../../shared/api/mfa.js';
import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { SecretSealer } from '../security/sealed-secret.js';
import type { AccountUser, TabStore } from '../store/types.js';
import type { ReauthProof, ReauthWho, Reauthenticator } from '../sessions/reauth.js';
import type { SecondFactor } from './second-factor.js';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';
import { matchTotpStep, newTotpSecret, otpauthUri } from './totp.js';

type Member = Pick<AccountUser, 'id' | 'workspaceId' | 'email' | 'role'>;

const wrongCode = () => new HttpError('mfa_code_invalid', 'That code is not right, or it was used already.');

/**
 * A member's two-factor: enrolling an authenticator (a pending secret,
 * confirmed by its first code, which also makes the ten recovery codes),
 * turning it off (a re-check: password + code, or a grant), and the
 * workspace's policy. The same enrolment serves the Profile page (a signed-in
 * session) and a sign-in the policy sends to enrol (a login challenge).
 */
export class TwoFactorService {
  constructor(
    private readonly deps: { store: TabStore; clock: Clock; sealer: SecretSealer; secondFactor: SecondFactor; reauth: Reauthenticator },
  ) {}

  async status(user: Member): Promise<TwoFactorStatus> {
    const { store, secondFactor } = this.deps;
    const methods = await secondFactor.methodsOf(user.id);
    return {
      enabled: methods.length > 0,
      methods,
      recoveryCodesLeft: methods.length > 0 ? await store.countRecoveryCodesLeft(user.id) : 0,
      required: policyCovers(await store.getTwoFactorPolicy(user.workspaceId), user.role),
    };
  }

  /** A new secret to scan, pending until its first code confirms it (an older pending one is replaced). */
  async startEnrolment(user: Member): Promise<TotpEnrolment> {
    const { store, clock, sealer } = this.deps;
    const secret = newTotpSecret();
    const started = await store.startTotpEnrolment(user.id, sealer.seal(secret, user.id), clock.now());
    if (!started) throw new HttpError('mfa_already_enabled', 'Two-factor is on already. Turn it off first to use another authenticator.');
    const uri = otpauthUri(secret, user.email);
    return { secret, otpauthUri: uri, qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) };
  }

  /**
   * From a signed-in session (Profile): a re-check first (password or grant), so that a stolen
   * session cannot lock its owner out with an authenticator of its own.
   */
  async startEnrolmentChecked(who: ReauthWho, proof: ReauthProof): Promise<TotpEnrolment> {
    if ((await this.deps.secondFactor.methodsOf(who.user.id)).length > 0) {
      throw new HttpError('mfa_already_enabled', 'Two-factor is on already. Turn it off first to use another authenticator.');
    }
    await this.deps.reauth.require(who, proof, 'two_factor_enrol', 'That password is not right.');
    return this.startEnrolment(who.user);
  }

  /** The pending secret's first code turns two-factor on; answers the ten recovery codes (shown once). */
  async confirmEnrolment(user: Member, code: string, from: { sessionId: string | null; ip: string }): Promise<string[]> {
    const { store, clock, sealer } = this.deps;
    const factor = await store.findTotpFactor(user.id);
    if (!factor) throw new HttpError('mfa_not_enabled', 'Start adding an authenticator first.');
    if (factor.confirmedAt !== null) throw new HttpError('mfa_already_enabled', 'Two-factor is on already.');
    const now = clock.now();
    const step = matchTotpStep(sealer.open(factor.secretSealed, user.id), code, now);
    if (step === null) throw wrongCode();
    const codes = newRecoveryCodes();
    const confirmed = await store.confirmTotpFactor(user.id, step, codes.map((c) => recoveryCodeHash(user.id, c)), now, {
      workspaceId: user.workspaceId,
      type: 'two_factor_enabled',
      at: now,
      actorUserId: user.id,
      targetUserId: user.id,
      sessionId: from.sessionId,
      ip: from.ip,
      detail: { method: 'totp' },
    });
    if (!confirmed) throw new HttpError('mfa_already_enabled', 'Two-factor is on already.');
    return codes;
  }

  /**
   * Turns two-factor off after a re-check (password + code, or a grant). A
   * member the policy requires it of may do it too (changing phones): their
   * next sign-in sends them to enrol again.
   */
  async disable(who: ReauthWho, proof: ReauthProof): Promise<void> {
    const { store, clock, reauth } = this.deps;
    if ((await this.deps.secondFactor.methodsOf(who.user.id)).length === 0) throw new HttpError('mfa_not_enabled', 'Two-factor is not on.');
    await reauth.require(who, proof, 'two_factor_disable', 'That password is not right.');
    const now = clock.now();
    const removed = await store.removeTotpFactor(who.user.id, {
      workspaceId: who.user.workspaceId,
      type: 'two_factor_disabled',
      at: now,
      actorUserId: who.user.id,
      targetUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
    });
    if (!removed) throw new HttpError('mfa_not_enabled', 'Two-factor is not on.');
  }

  /**
   * Ten new recovery codes after a re-check (password + code, or a grant):
   * every old code, used or not, stops working in the same step (one
   * transaction, serialized per member: two at once leave exactly one set,
   * the later one). Only with an authenticator app on: the codes stand in for it.
   */
  async regenerateRecoveryCodes(who: ReauthWho, proof: ReauthProof): Promise<string[]> {
    const { store, clock, reauth, secondFactor } = this.deps;
    const notOn = () => new HttpError('mfa_not_enabled', 'Recovery codes come with an authenticator app: set one up first.');
    if (!(await secondFactor.methodsOf(who.user.id)).includes('totp')) throw notOn();
    await reauth.require(who, proof, 'recovery_codes_regenerate', 'That password is not right.');
    const codes = newRecoveryCodes();
    const now = clock.now();
    const replaced = await store.replaceRecoveryCodes(who.user.id, codes.map((c) => recoveryCodeHash(who.user.id, c)), now, {
      workspaceId: who.user.workspaceId,
      type: 'recovery_codes_regenerated',
      at: now,
      actorUserId: who.user.id,
      targetUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
      detail: { count: codes.length },
    });
    if (!replaced) throw notOn();
    return codes;
  }

  getPolicy(workspaceId: string): Promise<TwoFactorPolicy> {
    return this.deps.store.getTwoFactorPolicy(workspaceId);
  }

  /**
   * An admin sets the policy. One that would cover the admin is refused
   * until the admin has two-factor themselves (so nobody locks the firm out
   * by accident, GitHub's rule). Members already signed in stay signed in;
   * the policy applies at their next sign-in.
   */
  async setPolicy(who: ReauthWho, policy: TwoFactorPolicy): Promise<TwoFactorPolicy> {
    const { store, clock } = this.deps;
    const from = await store.getTwoFactorPolicy(who.user.workspaceId);
    if (policy !== 'off' && (await this.deps.secondFactor.methodsOf(who.user.id)).length === 0) {
      throw new HttpError('mfa_not_enabled', 'Turn on two-factor for yourself first (Profile), then require it of others.');
    }
    if (from === policy) return policy;
    await store.setTwoFactorPolicy(who.user.workspaceId, policy, {
      workspaceId: who.user.workspaceId,
      type: 'two_factor_policy_changed',
      at: clock.now(),
      actorUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
      detail: { from, to: policy },
    });
    return policy;
  }
}
