import type { TwoFactorPolicy } from '../../shared/api/mfa.js';
import type { AuditInput } from './audit.js';

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
  /** Removes the factor and its recovery codes, with the audit row; false when there was none confirmed. */
  removeTotpFactor(userId: string, audit: AuditInput): Promise<boolean>;

  createLoginChallenge(challenge: NewLoginChallenge): Promise<void>;
  /** A challenge neither used nor expired. */
  findLoginChallenge(secretHash: Buffer, now: number): Promise<StoredLoginChallenge | undefined>;
  /** Marks it used, if still neither used nor expired: false when another request got there first. */
  useLoginChallenge(secretHash: Buffer, now: number): Promise<boolean>;

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
