import type { AuditInput } from './audit.js';

/** Personal API tokens (stored only as a hash). */
export interface ApiTokenStore {
  createApiToken(input: NewApiToken, audit: AuditInput): Promise<StoredApiToken>;
  findApiTokenByHash(hash: Buffer): Promise<StoredApiToken | undefined>;
  listApiTokens(userId: string, now: number): Promise<StoredApiToken[]>;
  revokeApiToken(id: string, userId: string, at: number, audit: AuditInput): Promise<boolean>;
  touchApiToken(id: string, now: number): Promise<void>;
}

export interface NewApiToken {
  id: string;
  userId: string;
  workspaceId: string;
  name: string;
  tokenHash: Buffer;
  createdAt: number;
  expiresAt: number | null;
}

export interface StoredApiToken extends Omit<NewApiToken, 'tokenHash'> {
  lastUsedAt: number | null;
  revokedAt: number | null;
}
