import type { TwoFactorPolicy } from '../../shared/api/mfa.js';
import type { SessionPolicy } from '../../shared/api/admin.js';
import type { NewSession, Revocation, RevokedSession, StoredSession } from '../sessions/session-records.js';
import type { AttemptLimit } from './attempts.js';
import type { AuditInput } from './audit.js';
import type { StoredUser } from './identity.js';

/**
 * Two-factor (migration 11): authenticator factors (secret sealed by the
 * server's two-factor key, never readable here), recovery codes and login
 * challenges by hash, re-check grants by hash, the workspace's policy. Every
 * "use once" is one conditional UPDATE, so it holds across servers.
 */
export interface MfaStore {
  getTwoFactorPolicy(workspaceId: string): Promise<TwoFactorPolicy>;
  setTwoFactorPolicy(workspaceId: string, policy: TwoFactorPolicy, audit: AuditInput): Promise<void>;

  findTotpFactor(userId: string): Promise<StoredTotpFactor | undefined>;
  /** A pending enrolment (replacing an older pending one); false when a confirmed factor exists. */
  startTotpEnrolment(userId: string, secretSealed: Buffer, now: number): Promise<boolean>;
  /**
   * Confirms the pending enrolment whose first code was for `step`, and
   * replaces the recovery codes, with its audit row; false when there is no
   * pending one (confirmed meanwhile, or none).
   */
  confirmTotpFactor(userId: string, step: number, recoveryCodeHashes: Buffer[], now: number, audit: AuditInput): Promise<boolean>;
  /** Accepts a code's step only if it is later than the last accepted one (RFC 6238 §5.2): false is a replay. */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Uses an unused recovery code of the user, once; with its audit row. */
  useRecoveryCode(userId: string, codeHash: Buffer, now: number, audit: AuditInput): Promise<boolean>;
  countRecoveryCodesLeft(userId: string): Promise<number>;
  /**
   * Replaces every recovery code of the user (used or not) with these, in one
   * step with its audit row: the old set stops working in the same commit the
   * new one starts. Serialized per user, so two at once leave exactly one set.
   * False (nothing written) when the user has no confirmed authenticator.
   */
  replaceRecoveryCodes(userId: string, recoveryCodeHashes: Buffer[], now: number, audit: AuditInput): Promise<boolean>;
  /** Removes the factor and its recovery codes, with the audit row; false when there was none confirmed. */
  removeTotpFactor(userId: string, audit: AuditInput): Promise<boolean>;

  createLoginChallenge(challenge: NewLoginChallenge): Promise<void>;
  /** A challenge neither used nor expired. */
  findLoginChallenge(secretHash: Buffer, now: number): Promise<StoredLoginChallenge | undefined>;
  /** Marks it used, if still neither used nor expired: false when another request got there first. */
  useLoginChallenge(secretHash: Buffer, now: number): Promise<boolean>;

  /**
   * The second step's reads in one query: a challenge neither used nor
   * expired, its user, the user's authenticator factor (if any) and the
   * workspace's session policy.
   */
  openLoginChallenge(secretHash: Buffer, now: number): Promise<OpenedLoginChallenge | undefined>;
  /**
   * The second step's writes in one transaction, serialized on the sign-in
   * throttle's keys and the user's sessions (in that order, on every server):
   * over a limit, nothing is written (`throttled`); a wrong code, or a step or
   * recovery code taken already, records one failure under every key with its
   * audit row (`wrong_code`); else the step or code is taken, the challenge is
   * used (`expired` and nothing written if another request used it first),
   * the failures under `clearKeys` are cleared, the superseded session ends
   * and the new one starts under the limit, every change with its audit row.
   */
  finishLoginChallenge(finish: LoginChallengeFinish): Promise<LoginChallengeFinished>;

  createReauthGrant(grant: NewReauthGrant): Promise<void>;
  findReauthGrant(secretHash: Buffer, now: number): Promise<StoredReauthGrant | undefined>;
}

export interface StoredTotpFactor {
  userId: string;
  secretSealed: Buffer;
  createdAt: number;
  confirmedAt: number | null;
  lastUsedStep: number | null;
}

export interface NewLoginChallenge {
  secretHash: Buffer;
  userId: string;
  purpose: 'verify' | 'enrol';
  via: 'invitation' | 'password_reset' | null;
  clientKind: string;
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
}
export type StoredLoginChallenge = NewLoginChallenge & { usedAt: number | null };

export interface NewReauthGrant {
  secretHash: Buffer;
  sessionId: string;
  userId: string;
  method: string;
  createdAt: number;
  expiresAt: number;
}
export type StoredReauthGrant = NewReauthGrant;

export type OpenedLoginChallenge = {
  challenge: StoredLoginChallenge;
  user: StoredUser;
  factor: Pick<StoredTotpFactor, 'secretSealed' | 'confirmedAt'> | null;
  sessionPolicy: SessionPolicy;
};

/** What the second step's code proved, checked in memory against the factor as read (or a recovery code's hash). */
export type SecondStepProof =
  /** The factor must still be the one confirmed at `confirmedAt`, and `step` later than its last used one. */
  | { kind: 'totp'; step: number; confirmedAt: number }
  | { kind: 'recovery_code'; codeHash: Buffer; audit: AuditInput };

export interface LoginChallengeFinish {
  challengeHash: Buffer;
  userId: string;
  at: number;
  throttle: { limits: readonly AttemptLimit[]; since: number; clearKeys: readonly string[] };
  /** null: the code was wrong. */
  proof: SecondStepProof | null;
  /** The `sign_in_failed` row a wrong code writes. */
  failureAudit: AuditInput;
  /** The browser's older session, ended (`superseded`) before the new one counts against the limit. */
  supersede: { sessionId: string; revocation: Revocation; audit: AuditInput } | null;
  session: { input: NewSession; maxConcurrent: number | null; audit: AuditInput };
}

export type LoginChallengeFinished =
  | { outcome: 'throttled'; key: string; oldestAt: number }
  | { outcome: 'wrong_code' }
  | { outcome: 'expired' }
  | { outcome: 'signed_in'; session: StoredSession; evicted: RevokedSession[]; superseded: boolean };
