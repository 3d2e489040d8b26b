/**
 * Desktop passkey hand-offs (migration 17; issue #15 item 3): the desktop app
 * starts a passkey sign-in that runs in the system browser, and the browser's
 * verified passkey is handed back to the app's main process as a one-time
 * code on its loopback redirect. Secrets are kept by SHA-256 only. Issuing the
 * code and taking it are single statements, so each happens once on any
 * server sharing the database.
 */
export interface DesktopHandoffStore {
  /** Keeps a new hand-off (and drops the expired ones, so the table stays small without a sweeper). */
  createDesktopHandoff(handoff: StoredDesktopHandoff): Promise<void>;
  /** The hand-off while the browser may still run its ceremony: unknown, expired, or with a code issued already → undefined. */
  findDesktopHandoff(handoffHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined>;
  /** Records the verified passkey's owner and the code's hash; false when the hand-off expired or has a code already. */
  issueDesktopHandoffCode(handoffHash: Buffer, issued: { codeHash: Buffer; userId: string; codeExpiresAt: number }, now: number): Promise<boolean>;
  /** Takes (deletes) the hand-off whose code this is: undefined when unknown, taken already, or expired. */
  takeDesktopHandoffCode(codeHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined>;
  /** Drops a hand-off whose code was not issued (the person cancelled in the browser); what it was, or undefined. */
  dropDesktopHandoff(handoffHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined>;
}

export interface StoredDesktopHandoff {
  handoffHash: Buffer;
  /** The app's random state, echoed on the loopback redirect (so the app knows the redirect is this sign-in's). */
  state: string;
  /** The app's PKCE S256 challenge (32 bytes): the code is redeemed only with its verifier. */
  appChallenge: Buffer;
  /** http://127.0.0.1:<port>/callback (checked at start). */
  redirectUri: string;
  deviceName: string | null;
  /** Second step: the hash of the password step's login challenge this passkey finishes; null for a passwordless sign-in. */
  loginChallengeHash: Buffer | null;
  codeHash: Buffer | null;
  /** Whose passkey verified (set with the code). */
  userId: string | null;
  codeExpiresAt: number | null;
  createdAt: number;
  expiresAt: number;
}
