import type { DesktopHandoffStore, StoredDesktopHandoff } from '../desktop-handoffs.js';
import type { DesktopHandoffsTable } from './schema.js';
import { changed, SqlDomain } from './base.js';

const toHandoff = (row: DesktopHandoffsTable): StoredDesktopHandoff => ({
  handoffHash: Buffer.from(row.handoff_hash),
  state: row.state,
  appChallenge: Buffer.from(row.app_challenge),
  redirectUri: row.redirect_uri,
  deviceName: row.device_name,
  loginChallengeHash: row.login_challenge_hash === null ? null : Buffer.from(row.login_challenge_hash),
  codeHash: row.code_hash === null ? null : Buffer.from(row.code_hash),
  userId: row.user_id,
  codeExpiresAt: row.code_expires_at === null ? null : Number(row.code_expires_at),
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
});

export class DesktopHandoffSql extends SqlDomain implements DesktopHandoffStore {
  async createDesktopHandoff(h: StoredDesktopHandoff): Promise<void> {
    await this.db
      .insertInto('desktop_handoffs')
      .values({
        handoff_hash: h.handoffHash,
        state: h.state,
        app_challenge: h.appChallenge,
        redirect_uri: h.redirectUri,
        device_name: h.deviceName,
        login_challenge_hash: h.loginChallengeHash,
        code_hash: h.codeHash,
        user_id: h.userId,
        code_expires_at: h.codeExpiresAt,
        created_at: h.createdAt,
        expires_at: h.expiresAt,
      })
      .execute();
    await this.db.deleteFrom('desktop_handoffs').where('expires_at', '<=', h.createdAt).execute();
  }

  async findDesktopHandoff(handoffHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined> {
    const row = await this.db
      .selectFrom('desktop_handoffs')
      .selectAll()
      .where('handoff_hash', '=', handoffHash)
      .where('expires_at', '>', now)
      .where('code_hash', 'is', null)
      .executeTakeFirst();
    return row ? toHandoff(row) : undefined;
  }

  async issueDesktopHandoffCode(handoffHash: Buffer, issued: { codeHash: Buffer; userId: string; codeExpiresAt: number }, now: number): Promise<boolean> {
    // One UPDATE guarded by "no code yet": of two passkeys finishing one hand-off, only one issues a code.
    const result = await this.db
      .updateTable('desktop_handoffs')
      .set({ code_hash: issued.codeHash, user_id: issued.userId, code_expires_at: issued.codeExpiresAt })
      .where('handoff_hash', '=', handoffHash)
      .where('code_hash', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async takeDesktopHandoffCode(codeHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined> {
    // One DELETE … RETURNING: of two exchanges presenting one code, only one gets it; an expired one is gone too.
    const row = await this.db.deleteFrom('desktop_handoffs').where('code_hash', '=', codeHash).returningAll().executeTakeFirst();
    if (!row || row.code_expires_at === null || Number(row.code_expires_at) <= now) return undefined;
    return toHandoff(row);
  }

  async dropDesktopHandoff(handoffHash: Buffer, now: number): Promise<StoredDesktopHandoff | undefined> {
    const row = await this.db
      .deleteFrom('desktop_handoffs')
      .where('handoff_hash', '=', handoffHash)
      .where('code_hash', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toHandoff(row) : undefined;
  }
}
