import type { ApiTokenScope } from '../../shared/api/api-tokens.js';
import type { RevokeReason } from '../../shared/errors.js';
import type { AuditInput } from './audit.js';

/** Personal API tokens (stored only as a hash). */
export interface ApiTokenStore {
  createApiToken(input: NewApiToken, audit: AuditInput): Promise<StoredApiToken>;
  findApiTokenByHash(hash: Buffer): Promise<StoredApiToken | undefined>;
  /** The user's tokens that are neither revoked nor expired at `now`, newest first. */
  listApiTokens(userId: string, now: number): Promise<StoredApiToken[]>;
  /** How many of the user's tokens still work at `now`. */
  countLiveApiTokens(userId: string, now: number): Promise<number>;
  /** Revokes one of the user's live tokens, with why; false when there was nothing to revoke. */
  revokeApiToken(id: string, userId: string, at: number, reason: ApiTokenRevokeReason, audit: AuditInput): Promise<boolean>;
  touchApiToken(id: string, now: number): Promise<void>;
}

/**
 * Why a token stopped working: revoked by its owner or an admin, or together
 * with its owner's sessions (password change with "sign out other devices",
 * a password-reset link used, an admin signing the member out, the member
 * disabled, the workspace signed out).
 */
export type ApiTokenRevokeReason = Extract<
  RevokeReason,
  'revoked_by_user' | 'revoked_by_admin' | 'password_changed' | 'password_reset' | 'member_disabled' | 'workspace_revoked'
>;

export interface NewApiToken {
  id: string;
  userId: string;
  workspaceId: string;
  name: string;
  scopes: ApiTokenScope[];
  tokenHash: Buffer;
  createdAt: number;
  expiresAt: number | null;
}

export interface StoredApiToken extends Omit<NewApiToken, 'tokenHash'> {
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokeReason: ApiTokenRevokeReason | null;
}

/** Also revoke the users' API tokens, with this reason (the sessions' own). */
export interface AlsoApiTokens {
  apiTokens: ApiTokenRevokeReason;
}
