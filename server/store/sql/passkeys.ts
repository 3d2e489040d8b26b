import type { AuditInput } from '../audit.js';
import type { PasskeyStore, StoredPasskey, StoredWebauthnChallenge, WebauthnPurpose } from '../passkeys.js';
import type { PasskeysTable } from './schema.js';
import { changed, SqlDomain, zeroOne } from './base.js';

const toPasskey = (row: PasskeysTable): StoredPasskey => ({
  id: row.id,
  userId: row.user_id,
  credentialId: row.credential_id,
  name: row.name,
  publicKey: Buffer.from(row.public_key),
  counter: Number(row.counter),
  transports: JSON.parse(row.transports) as string[],
  backedUp: Number(row.backed_up) === 1,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

export class PasskeySql extends SqlDomain implements PasskeyStore {
  async addPasskey(p: StoredPasskey, audit: AuditInput): Promise<void> {
    await this.tx(async (trx) => {
      await trx
        .insertInto('passkeys')
        .values({
          id: p.id,
          user_id: p.userId,
          credential_id: p.credentialId,
          name: p.name,
          public_key: p.publicKey,
          counter: p.counter,
          transports: JSON.stringify(p.transports),
          backed_up: zeroOne(p.backedUp),
          created_at: p.createdAt,
          last_used_at: null,
        })
        .execute();
      await this.audit(trx, audit);
    });
  }

  async listPasskeys(userId: string): Promise<StoredPasskey[]> {
    const rows = await this.db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toPasskey);
  }

  async countPasskeys(userId: string): Promise<number> {
    const row = await this.db.selectFrom('passkeys').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async findPasskeyByCredentialId(credentialId: string): Promise<StoredPasskey | undefined> {
    const row = await this.db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
    return row ? toPasskey(row) : undefined;
  }

  async usePasskey(credentialId: string, counter: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('passkeys')
      .set({ counter, last_used_at: now })
      .where('credential_id', '=', credentialId)
      // An authenticator without a counter stays at 0; one with a counter must move up.
      .where('counter', counter === 0 ? '=' : '<', counter)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async removePasskey(userId: string, id: string, audit: (name: string) => AuditInput): Promise<string | null> {
    return this.tx(async (trx) => {
      const row = await trx.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).returning('name').executeTakeFirst();
      if (!row) return null;
      await this.audit(trx, audit(row.name));
      return row.name;
    });
  }

  async createWebauthnChallenge(c: StoredWebauthnChallenge): Promise<void> {
    await this.db
      .insertInto('webauthn_challenges')
      .values({
        challenge_hash: c.challengeHash,
        purpose: c.purpose,
        user_id: c.userId,
        session_id: c.sessionId,
        login_challenge_hash: c.loginChallengeHash,
        client_kind: c.clientKind,
        device_name: c.deviceName,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
      })
      .execute();
    // Old ones nobody finished go as new ones come (the table stays small without a sweeper).
    await this.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', c.createdAt).execute();
  }

  async takeWebauthnChallenge(challengeHash: Buffer, now: number): Promise<StoredWebauthnChallenge | undefined> {
    // One DELETE … RETURNING: of two requests presenting one challenge, only one gets it.
    const row = await this.db.deleteFrom('webauthn_challenges').where('challenge_hash', '=', challengeHash).returningAll().executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) return undefined;
    return {
      challengeHash: Buffer.from(row.challenge_hash),
      purpose: row.purpose as WebauthnPurpose,
      userId: row.user_id,
      sessionId: row.session_id,
      loginChallengeHash: row.login_challenge_hash === null ? null : Buffer.from(row.login_challenge_hash),
      clientKind: row.client_kind,
      deviceName: row.device_name,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }
}
