import type { AuditInput } from './audit.js';

/**
 * Passkeys (migration 13): each credential's public key, signature counter
 * and transports, and the WebAuthn challenges in flight, by hash. Taking a
 * challenge deletes it in one statement, so it works once on any server.
 */
export interface PasskeyStore {
  addPasskey(passkey: StoredPasskey, audit: AuditInput): Promise<void>;
  listPasskeys(userId: string): Promise<StoredPasskey[]>;
  countPasskeys(userId: string): Promise<number>;
  findPasskeyByCredentialId(credentialId: string): Promise<StoredPasskey | undefined>;
  /**
   * Records a use: the new counter must be above the stored one (or both 0,
   * authenticators that keep none); false is a cloned or replayed assertion.
   */
  usePasskey(credentialId: string, counter: number, now: number): Promise<boolean>;
  /** Removes one of the user's passkeys, with its audit row; its name, or null when there was none. */
  removePasskey(userId: string, id: string, audit: (name: string) => AuditInput): Promise<string | null>;
  createWebauthnChallenge(challenge: StoredWebauthnChallenge): Promise<void>;
  /** Takes (deletes) the challenge: undefined when unknown, taken already, or expired. */
  takeWebauthnChallenge(challengeHash: Buffer, now: number): Promise<StoredWebauthnChallenge | undefined>;
}

export interface StoredPasskey {
  id: string;
  userId: string;
  /** base64url, as the browser names it. */
  credentialId: string;
  name: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export type WebauthnPurpose = 'register' | 'second_factor' | 'passwordless' | 'reauth';

export interface StoredWebauthnChallenge {
  challengeHash: Buffer;
  purpose: WebauthnPurpose;
  userId: string | null;
  sessionId: string | null;
  /** For a second step: the hash of the sign-in's login challenge it belongs to. */
  loginChallengeHash: Buffer | null;
  clientKind: string | null;
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
}
