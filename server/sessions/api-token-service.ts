import { randomUUID } from 'node:crypto';
import { API_TOKEN_NAME_MAX, API_TOKEN_PREFIX, type ApiTokenScope } from '../../shared/api/api-tokens.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { DAY_MS, type Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { AccountUser, ApiTokenRevokeReason, StoredApiToken, TabStore } from '../store/types.js';
import type { Reauthenticator } from './reauth.js';

export interface NewTokenInput {
  name: string;
  scopes: ApiTokenScope[];
  expiresInDays?: number;
  currentPassword?: string;
  code?: string;
  reauthGrant?: string;
}

/**
 * Personal API tokens. Minting one asks for the password again (a stolen
 * session alone cannot mint a credential that outlives it) and names its
 * scopes. Tokens end when their owner's sessions are ended by any path but
 * "sign out everywhere else" (see SessionService and the store), when
 * revoked from the profile or by an admin, or when they expire.
 */
export class ApiTokenService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; reauth: Reauthenticator }) {}

  async create(who: { user: AccountUser; sessionId: string; ip: string }, input: NewTokenInput): Promise<{ token: string; stored: StoredApiToken }> {
    const { store, clock, reauth } = this.deps;
    const name = cleanDisplayText(input.name, API_TOKEN_NAME_MAX);
    if (name === '') throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
    await reauth.require(who, { password: input.currentPassword, code: input.code, grant: input.reauthGrant }, 'api_token_create', 'That password is not right.');
    const now = clock.now();
    const token = API_TOKEN_PREFIX + randomSecret();
    const stored = await store.createApiToken(
      {
        id: randomUUID(),
        userId: who.user.id,
        workspaceId: who.user.workspaceId,
        name,
        scopes: input.scopes,
        tokenHash: secretHash(token),
        createdAt: now,
        expiresAt: input.expiresInDays === undefined ? null : now + input.expiresInDays * DAY_MS,
      },
      {
        workspaceId: who.user.workspaceId,
        type: 'api_token_created',
        at: now,
        actorUserId: who.user.id,
        targetUserId: who.user.id,
        sessionId: who.sessionId,
        ip: who.ip,
        detail: { name, scopes: input.scopes, expiresInDays: input.expiresInDays ?? null },
      },
    );
    return { token, stored };
  }

  list(userId: string): Promise<StoredApiToken[]> {
    return this.deps.store.listApiTokens(userId, this.deps.clock.now());
  }

  countLive(userId: string): Promise<number> {
    return this.deps.store.countLiveApiTokens(userId, this.deps.clock.now());
  }

  /** Revokes one of `owner`'s live tokens; false when there was none by that id. */
  revoke(owner: Pick<AccountUser, 'id' | 'workspaceId'>, tokenId: string, how: { by: string; reason: ApiTokenRevokeReason; sessionId: string; ip: string }): Promise<boolean> {
    const now = this.deps.clock.now();
    return this.deps.store.revokeApiToken(tokenId, owner.id, now, how.reason, {
      workspaceId: owner.workspaceId,
      type: 'api_token_revoked',
      at: now,
      actorUserId: how.by,
      targetUserId: owner.id,
      sessionId: how.sessionId,
      ip: how.ip,
      detail: { reason: how.reason, tokenIds: [tokenId], count: 1 },
    });
  }
}
