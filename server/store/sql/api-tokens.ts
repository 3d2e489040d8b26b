import { scopesFromText, scopesToText } from '../../../shared/api/api-tokens.js';
import type { ApiTokenRevokeReason, ApiTokenStore, NewApiToken, StoredApiToken } from '../api-tokens.js';
import type { AuditInput } from '../audit.js';
import { changed, SqlDomain, type Executor } from './base.js';

const TOKEN_COLUMNS = [
  'id', 'user_id as userId', 'workspace_id as workspaceId', 'name', 'scopes', 'created_at as createdAt',
  'expires_at as expiresAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt', 'revoke_reason as revokeReason',
] as const;

type TokenRow = Omit<StoredApiToken, 'scopes' | 'revokeReason'> & { scopes: string; revokeReason: string | null };

const toToken = ({ scopes, revokeReason, ...row }: TokenRow): StoredApiToken => ({
  ...row,
  scopes: scopesFromText(scopes),
  revokeReason: revokeReason as ApiTokenRevokeReason | null,
});

/** Bulk revocations list at most this many token ids in their audit row. */
const AUDIT_ID_LIST_MAX = 1000;

/**
 * Revokes the live API tokens of one user or a whole workspace inside the
 * caller's transaction, with one `api_token_revoked` audit row per user whose
 * tokens were revoked (so that the row shows on that member's page). The
 * sessions domain calls it when a sign-out path also ends tokens, identity
 * when a member is disabled, members when a password-reset link is used or a
 * member deactivated. Without `audit`, no rows (the caller's own row says it).
 */
export async function revokeLiveApiTokens(
  trx: Executor,
  owner: { userId: string } | { workspaceId: string },
  at: number,
  reason: ApiTokenRevokeReason,
  audit?: { base: Omit<AuditInput, 'type' | 'targetUserId' | 'detail'>; write: (event: AuditInput) => Promise<void> },
): Promise<number> {
  let update = trx
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoke_reason: reason })
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  update = 'userId' in owner ? update.where('user_id', '=', owner.userId) : update.where('workspace_id', '=', owner.workspaceId);
  const revoked = await update.returning(['id', 'user_id as userId']).execute();
  if (!audit) return revoked.length;
  const byUser = new Map<string, string[]>();
  for (const { id, userId } of revoked) byUser.set(userId, [...(byUser.get(userId) ?? []), id]);
  for (const [userId, ids] of byUser) {
    await audit.write({
      ...audit.base,
      type: 'api_token_revoked',
      targetUserId: userId,
      detail: { reason, count: ids.length, tokenIds: ids.slice(0, AUDIT_ID_LIST_MAX) },
    });
  }
  return revoked.length;
}

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
          scopes: scopesToText(input.scopes),
          token_hash: input.tokenHash,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
        })
        .execute();
      await this.audit(trx, audit);
    });
    const { tokenHash: _hash, ...rest } = input;
    return { ...rest, scopes: scopesFromText(scopesToText(input.scopes)), lastUsedAt: null, revokedAt: null, revokeReason: null };
  }

  async findApiTokenByHash(hash: Buffer) {
    const row = await this.db.selectFrom('api_tokens').select(TOKEN_COLUMNS).where('token_hash', '=', hash).executeTakeFirst();
    return row && toToken(row);
  }

  async listApiTokens(userId: string, now: number) {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(TOKEN_COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  async countLiveApiTokens(userId: string, now: number) {
    const row = await this.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async revokeApiToken(id: string, userId: string, at: number, reason: ApiTokenRevokeReason, audit: AuditInput) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at, revoke_reason: reason })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
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
