import type { MfaMethod } from '../../shared/api/mfa.js';
import type { Clock } from '../platform/clock.js';
import type { SecretSealer } from '../security/sealed-secret.js';
import type { SecondStepProof, StoredTotpFactor, TabStore } from '../store/types.js';

/** A proof as the code shows it; a recovery code's audit row is added by the caller, who knows the request. */
export type SecondStepProofBasis = Extract<SecondStepProof, { kind: 'totp' }> | Omit<Extract<SecondStepProof, { kind: 'recovery_code' }>, 'audit'>;
import { normalizeRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import { matchTotpStep, normalizeTotpCode } from './totp.js';

/** Who is giving the code, for the audit row of a recovery code's use. */
export interface CodeContext {
  user: { id: string; workspaceId: string };
  sessionId: string | null;
  ip: string;
}

/**
 * Checks a second-factor code: an authenticator's 6 digits (its step must be
 * later than the last one accepted: a code works once, on every server) or a
 * recovery code (once). Throttling is the caller's: sign-in counts wrong
 * codes under the sign-in throttle, re-checks under the re-check one.
 */
export class SecondFactor {
  constructor(private readonly deps: { store: TabStore; clock: Clock; sealer: SecretSealer }) {}

  /** The user's ways to finish a second step; empty without a confirmed factor. */
  async methodsOf(userId: string): Promise<MfaMethod[]> {
    const factor = await this.deps.store.findTotpFactor(userId);
    const methods: MfaMethod[] = factor?.confirmedAt != null ? ['totp', 'recovery_code'] : [];
    // A passkey is a second factor too (and satisfies the workspace's policy).
    if ((await this.deps.store.countPasskeys(userId)) > 0) methods.push('passkey');
    return methods;
  }

  /**
   * What the code proves against the factor as read, checked in memory (the
   * store then takes the step or the recovery code once, in the sign-in's
   * transaction), or null when it is wrong or there is no confirmed factor.
   */
  proofOf(code: string, user: { id: string }, factor: Pick<StoredTotpFactor, 'secretSealed' | 'confirmedAt'> | null, now: number): SecondStepProofBasis | null {
    if (!factor || factor.confirmedAt === null) return null;
    if (normalizeTotpCode(code) !== null) {
      const step = matchTotpStep(this.deps.sealer.open(factor.secretSealed, user.id), code, now);
      return step === null ? null : { kind: 'totp', step, confirmedAt: factor.confirmedAt };
    }
    if (normalizeRecoveryCode(code) === null) return null;
    return { kind: 'recovery_code', codeHash: recoveryCodeHash(user.id, code) };
  }

  /** The method the code was good for, or null (wrong, reused, or no factor). */
  async verify(code: string, who: CodeContext): Promise<Extract<MfaMethod, 'totp' | 'recovery_code'> | null> {
    const { store, clock, sealer } = this.deps;
    const factor = await store.findTotpFactor(who.user.id);
    if (!factor || factor.confirmedAt === null) return null;
    const now = clock.now();
    if (normalizeTotpCode(code) !== null) {
      const step = matchTotpStep(sealer.open(factor.secretSealed, who.user.id), code, now);
      if (step === null) return null;
      return (await store.useTotpStep(who.user.id, step)) ? 'totp' : null;
    }
    if (normalizeRecoveryCode(code) === null) return null;
    const used = await store.useRecoveryCode(who.user.id, recoveryCodeHash(who.user.id, code), now, {
      workspaceId: who.user.workspaceId,
      type: 'recovery_code_used',
      at: now,
      actorUserId: who.user.id,
      targetUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
    });
    return used ? 'recovery_code' : null;
  }
}
