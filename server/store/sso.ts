import type { SsoFlavor } from '../../shared/api/sso.js';
import type { AuditInput } from './audit.js';
import type { NewUser, StoredUser } from './identity.js';

/**
 * Single sign-on (migration 12): each workspace's OpenID provider, the e-mail
 * domains that lead to it, the external identities linked to members (by
 * issuer + subject, never by e-mail), and the short-lived login states of
 * sign-ins under way.
 */
export interface SsoStore {
  getSsoConfig(workspaceId: string): Promise<StoredSsoConfig | undefined>;
  /** Writes the configuration and replaces the workspace's domains, with its audit row; `domain_taken` (nothing written) when another workspace has one. */
  saveSsoConfig(config: StoredSsoConfig, audit: AuditInput): Promise<'saved' | { domainTaken: string }>;
  /** The workspace whose SSO an e-mail domain (lower case) leads to. */
  findSsoWorkspaceByDomain(domain: string): Promise<string | undefined>;

  /** Keeps a login state (and drops those expired by `now`). */
  createOidcLoginState(state: StoredOidcLoginState, now: number): Promise<void>;
  /** Takes a login state once: answers it and deletes it; undefined when unknown, taken or expired. */
  takeOidcLoginState(stateHash: Buffer, now: number): Promise<StoredOidcLoginState | undefined>;

  findExternalIdentity(issuer: string, subject: string): Promise<StoredExternalIdentity | undefined>;
  /** Whether the user has an identity of this issuer linked (they can re-check with it). */
  hasExternalIdentity(userId: string, issuer: string): Promise<boolean>;
  /** Links an identity to an existing member (audit row in the same step); `false` when the identity is linked already. */
  linkExternalIdentity(identity: StoredExternalIdentity, audit: AuditInput): Promise<boolean>;
  /** Just-in-time: a new member and their identity in one step; undefined when the e-mail or the identity exists already. */
  createUserWithIdentity(user: NewUser, identity: Omit<StoredExternalIdentity, 'userId'>, audit: (userId: string) => AuditInput): Promise<StoredUser | undefined>;
}

export interface StoredSsoConfig {
  workspaceId: string;
  flavor: SsoFlavor;
  issuer: string;
  clientId: string;
  /** The client secret sealed with the two-factor key (server/security/sealed-secret.ts). */
  clientSecretSealed: Buffer;
  /** Entra only: the directory (tenant) id that identities must come from. */
  tenantId: string | null;
  /** Lower-case e-mail domains. */
  allowedDomains: string[];
  jitAllowed: boolean;
  requireSso: boolean;
  breakGlassUserId: string | null;
  updatedAt: number;
}

export interface StoredOidcLoginState {
  stateHash: Buffer;
  workspaceId: string;
  /** SHA-256 of the browser's binding cookie or the desktop's app verifier. */
  bindingHash: Buffer;
  /** PKCE verifier, nonce and whether it is a re-check, sealed with the server key. */
  sealed: Buffer;
  redirectUri: string;
  clientKind: 'web' | 'desktop';
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface StoredExternalIdentity {
  issuer: string;
  subject: string;
  userId: string;
  workspaceId: string;
  email: string;
  linkedAt: number;
}
