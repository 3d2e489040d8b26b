import type { TwoFactorPolicy } from '../../../shared/api/mfa.js';
import type { AuditInput } from '../audit.js';
import type { MfaStore, NewLoginChallenge, NewReauthGrant, StoredLoginChallenge, StoredReauthGrant, StoredTotpFactor } from '../mfa.js';
import { changed, SqlDomain } from './base.js';

export class MfaSql extends SqlDomain implements MfaStore {
  async getTwoFactorPolicy(workspaceId: string): Promise<TwoFactorPolicy> {
    const row = await this.db.selectFrom('workspaces').select('require_two_factor').where('id', '=', workspaceId).executeTakeFirst();
    return (row?.require_two_factor ?? 'off') as TwoFactorPolicy;
  }

  async setTwoFactorPolicy(workspaceId: string, policy: TwoFactorPolicy, audit: AuditInput) {
    await this.tx(async (trx) => {
      await trx.updateTable('workspaces').set({ require_two_factor: policy }).where('id', '=', workspaceId).execute();
      await this.audit(trx, audit);
    });
  }

  async findTotpFactor(userId: string): Promise<StoredTotpFactor | undefined> {
    const row = await this.db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!row) return undefined;
    return {
      userId: row.user_id,
      secretSealed: Buffer.from(row.secret_sealed),
      createdAt: Number(row.created_at),
      confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    };
  }

  async startTotpEnrolment(userId: string, secretSealed: Buffer, now: number): Promise<boolean> {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `totp-of:${userId}`);
      const existing = await this.forUpdate(trx.selectFrom('totp_factors').select('confirmed_at').where('user_id', '=', userId)).executeTakeFirst();
      if (existing && existing.confirmed_at !== null) return false;
      await trx.deleteFrom('totp_factors').where('user_id', '=', userId).execute();
      await trx.insertInto('totp_factors').values({ user_id: userId, secret_sealed: secretSealed, created_at: now, confirmed_at: null, last_used_step: null }).execute();
      return true;
    });
  }

  async confirmTotpFactor(userId: string, step: number, recoveryCodeHashes: Buffer[], now: number, audit: AuditInput): Promise<boolean> {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `totp-of:${userId}`);
      const done = await trx
        .updateTable('totp_factors')
        .set({ confirmed_at: now, last_used_step: step })
        .where('user_id', '=', userId)
        .where('confirmed_at', 'is', null)
        .executeTakeFirst();
      if (changed(done) !== 1) return false;
      await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      await trx.insertInto('mfa_recovery_codes').values(recoveryCodeHashes.map((code_hash) => ({ code_hash, user_id: userId, created_at: now, used_at: null }))).execute();
      await this.audit(trx, audit);
      return true;
    });
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('totp_factors')
      .set({ last_used_step: step })
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async useRecoveryCode(userId: string, codeHash: Buffer, now: number, audit: AuditInput): Promise<boolean> {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('mfa_recovery_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (changed(result) !== 1) return false;
      await this.audit(trx, audit);
      return true;
    });
  }

  async countRecoveryCodesLeft(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async removeTotpFactor(userId: string, audit: AuditInput): Promise<boolean> {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `totp-of:${userId}`);
      const removed = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
      if (changed(removed) !== 1) return false;
      await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      await this.audit(trx, audit);
      return true;
    });
  }

  async createLoginChallenge(c: NewLoginChallenge) {
    await this.tx(async (trx) => {
      await trx
        .insertInto('login_challenges')
        .values({
          secret_hash: c.secretHash,
          user_id: c.userId,
          purpose: c.purpose,
          via: c.via,
          client_kind: c.clientKind,
          device_name: c.deviceName,
          created_at: c.createdAt,
          expires_at: c.expiresAt,
          used_at: null,
        })
        .execute();
      // Challenges past their 5 minutes are of no use: pruned here, a day late, so the table stays small.
      await trx.deleteFrom('login_challenges').where('expires_at', '<', c.createdAt - 86_400_000).execute();
    });
  }

  async findLoginChallenge(secretHash: Buffer, now: number): Promise<StoredLoginChallenge | undefined> {
    const row = await this.db
      .selectFrom('login_challenges')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      secretHash: Buffer.from(row.secret_hash),
      userId: row.user_id,
      purpose: row.purpose,
      via: row.via,
      clientKind: row.client_kind,
      deviceName: row.device_name,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      usedAt: null,
    };
  }

  async useLoginChallenge(secretHash: Buffer, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('login_challenges')
      .set({ used_at: now })
      .where('secret_hash', '=', secretHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async createReauthGrant(g: NewReauthGrant) {
    await this.tx(async (trx) => {
      await trx
        .insertInto('reauth_grants')
        .values({ secret_hash: g.secretHash, session_id: g.sessionId, user_id: g.userId, method: g.method, created_at: g.createdAt, expires_at: g.expiresAt })
        .execute();
      await trx.deleteFrom('reauth_grants').where('expires_at', '<', g.createdAt - 86_400_000).execute();
    });
  }

  async findReauthGrant(secretHash: Buffer, now: number): Promise<StoredReauthGrant | undefined> {
    const row = await this.db.selectFrom('reauth_grants').selectAll().where('secret_hash', '=', secretHash).where('expires_at', '>', now).executeTakeFirst();
    if (!row) return undefined;
    return {
      secretHash: Buffer.from(row.secret_hash),
      sessionId: row.session_id,
      userId: row.user_id,
      method: row.method,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }
}
