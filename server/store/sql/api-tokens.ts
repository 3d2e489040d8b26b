import type { ApiTokenStore, NewApiToken, StoredApiToken } from '../api-tokens.js';
import type { AuditInput } from '../audit.js';
import { changed, SqlDomain } from './base.js';

const TOKEN_COLUMNS = [
  'id', 'user_id as userId', 'workspace_id as workspaceId', 'name', 'created_at as createdAt',
  'expires_at as expiresAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt',
] as const;

export class ApiTokenSql extends SqlDomain implements ApiTokenStore {
  async createApiToken(input: NewApiToken, audit: AuditInput): Promise<StoredApiToken> {
    await this.tx(async (trx) => {
      await trx
        .insertInto('api_tokens')
        .values({
          id: input.id,
          user_id: input.userId,
          workspace_id: input.workspaceId,
          name: input.name,
          token_hash: input.tokenHash,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
        })
        .execute();
      await this.audit(trx, audit);
    });
    const { tokenHash: _hash, ...rest } = input;
    return { ...rest, lastUsedAt: null, revokedAt: null };
  }

  async findApiTokenByHash(hash: Buffer) {
    return this.db.selectFrom('api_tokens').select(TOKEN_COLUMNS).where('token_hash', '=', hash).executeTakeFirst();
  }

  async listApiTokens(userId: string, now: number) {
    return this.db
      .selectFrom('api_tokens')
      .select(TOKEN_COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
  }

  async revokeApiToken(id: string, userId: string, at: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const revoked = changed(result) === 1;
      if (revoked) await this.audit(trx, audit);
      return revoked;
    });
  }

  async touchApiToken(id: string, now: number) {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
