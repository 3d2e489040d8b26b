import type { TwoFactorPolicy } from '../../../shared/api/mfa.js';
import type { AuditInput } from '../audit.js';
import type { SessionPolicy } from '../../../shared/api/admin.js';
import type { StoredUser } from '../identity.js';
import type {
  LoginChallengeFinish,
  LoginChallengeFinished,
  MfaStore,
  NewLoginChallenge,
  NewReauthGrant,
  OpenedLoginChallenge,
  SecondStepProof,
  StoredLoginChallenge,
  StoredReauthGrant,
  StoredTotpFactor,
} from '../mfa.js';
import { sql } from 'kysely';
import { changed, SqlDomain, type Tx } from './base.js';
import { USER_COLUMNS } from './identity.js';
import { insertSession } from './sessions.js';

/** Thrown inside finishLoginChallenge's transaction to roll it back: the challenge was used by another request meanwhile. */
class ChallengeTaken extends Error {}

type ChallengeRow = {
  secret_hash: Buffer; user_id: string; purpose: 'verify' | 'enrol'; via: 'invitation' | 'password_reset' | null; client_kind: string;
  device_name: string | null; c_created_at: number; expires_at: number;
  f_secret_sealed: Buffer | null; f_confirmed_at: number | null;
} & SessionPolicy & StoredUser;

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

  async replaceRecoveryCodes(userId: string, recoveryCodeHashes: Buffer[], now: number, audit: AuditInput): Promise<boolean> {
    return this.tx(async (trx) => {
      // The same key as enrolment and removal: a regeneration never interleaves with them (or another regeneration).
      await this.serializeOn(trx, `totp-of:${userId}`);
      const factor = await this.forUpdate(trx.selectFrom('totp_factors').select('confirmed_at').where('user_id', '=', userId)).executeTakeFirst();
      if (!factor || factor.confirmed_at === null) return false;
      await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
      await trx.insertInto('mfa_recovery_codes').values(recoveryCodeHashes.map((code_hash) => ({ code_hash, user_id: userId, created_at: now, used_at: null }))).execute();
      await this.audit(trx, audit);
      return true;
    });
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

  async openLoginChallenge(secretHash: Buffer, now: number): Promise<OpenedLoginChallenge | undefined> {
    const row = (await this.db
      .selectFrom('login_challenges as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .innerJoin('workspaces as w', 'w.id', 'u.workspace_id')
      .leftJoin('totp_factors as f', 'f.user_id', 'c.user_id')
      .select([
        'c.secret_hash', 'c.user_id', 'c.purpose', 'c.via', 'c.client_kind', 'c.device_name', 'c.created_at as c_created_at', 'c.expires_at',
        'f.secret_sealed as f_secret_sealed', 'f.confirmed_at as f_confirmed_at',
        'w.inactivity_timeout_minutes as inactivityTimeoutMinutes', 'w.absolute_timeout_days as absoluteTimeoutDays',
        'w.max_concurrent_sessions as maxConcurrentSessions', 'w.ip_change_policy as ipChangePolicy', 'w.ua_change_policy as userAgentChangePolicy',
      ])
      // The user's columns under their usual names (USER_COLUMNS), from `u`: the joined tables share some names.
      .select(USER_COLUMNS.map((column) => `u.${column}` as 'u.id'))
      .where('c.secret_hash', '=', secretHash)
      .where('c.used_at', 'is', null)
      .where('c.expires_at', '>', now)
      .executeTakeFirst()) as unknown as ChallengeRow | undefined;
    if (!row) return undefined;
    const { inactivityTimeoutMinutes, absoluteTimeoutDays, maxConcurrentSessions, ipChangePolicy, userAgentChangePolicy } = row;
    const { id, workspaceId, email, name, role, passwordHash, disabledAt, createdAt, timeZone, invitedAt } = row;
    return {
      challenge: {
        secretHash: Buffer.from(row.secret_hash),
        userId: row.user_id,
        purpose: row.purpose,
        via: row.via,
        clientKind: row.client_kind,
        deviceName: row.device_name,
        createdAt: Number(row.c_created_at),
        expiresAt: Number(row.expires_at),
        usedAt: null,
      },
      user: { id, workspaceId, email, name, role, passwordHash, disabledAt, createdAt, timeZone, invitedAt },
      factor: row.f_secret_sealed === null ? null : { secretSealed: Buffer.from(row.f_secret_sealed), confirmedAt: row.f_confirmed_at === null ? null : Number(row.f_confirmed_at) },
      sessionPolicy: { inactivityTimeoutMinutes, absoluteTimeoutDays, maxConcurrentSessions, ipChangePolicy, userAgentChangePolicy },
    };
  }

  async finishLoginChallenge(f: LoginChallengeFinish): Promise<LoginChallengeFinished> {
    try {
      return await this.tx(async (trx) => {
        const attemptKeys = f.throttle.limits.map((l) => `attempts:${l.key}`).sort();
        // The attempts' keys sorted first (as reserveAttempts and forgetAttempts take them), then the user's sessions (as createSession).
        await this.serializeOnAll(trx, [...attemptKeys, `sessions-of:${f.userId}`]);
        const counts = await trx
          .selectFrom('auth_attempts')
          .select((eb) => ['key', eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldestAt')])
          .where('key', 'in', f.throttle.limits.map((l) => l.key))
          .where('at', '>', f.throttle.since)
          .groupBy('key')
          .execute();
        for (const { key, limit } of f.throttle.limits) {
          const row = counts.find((c) => c.key === key);
          if (row && Number(row.count) >= limit) return { outcome: 'throttled' as const, key, oldestAt: Number(row.oldestAt) };
        }
        const taken = this.ctx.kind === 'postgres' && f.proof?.kind === 'totp' ? await this.#takeStepAndChallenge(trx, f, f.proof) : null;
        if (taken === 'wrong_code' || (taken === null && (!f.proof || !(await this.#takeProof(trx, f.userId, f.proof))))) {
          // One failure under every key (the first step's reservations prune the old ones), with its audit row.
          await trx.insertInto('auth_attempts').values(f.throttle.limits.map(({ key }) => ({ key, at: f.at }))).execute();
          await this.audit(trx, f.failureAudit);
          return { outcome: 'wrong_code' as const };
        }
        if (taken === 'challenge_taken') throw new ChallengeTaken();
        if (taken === null) {
          const used = await trx
            .updateTable('login_challenges')
            .set({ used_at: f.at })
            .where('secret_hash', '=', f.challengeHash)
            .where('used_at', 'is', null)
            .where('expires_at', '>', f.at)
            .executeTakeFirst();
          if (changed(used) !== 1) throw new ChallengeTaken();
          if (f.throttle.clearKeys.length > 0) await trx.deleteFrom('auth_attempts').where('key', 'in', [...f.throttle.clearKeys]).execute();
        }
        let superseded = false;
        if (f.supersede) {
          const { sessionId, revocation: r } = f.supersede;
          const result = await trx
            .updateTable('device_sessions')
            .set({ revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
            .where('id', '=', sessionId)
            .where('revoked_at', 'is', null)
            .executeTakeFirst();
          superseded = changed(result) === 1;
          if (superseded) await this.audit(trx, f.supersede.audit);
        }
        const { session, evicted } = await insertSession(trx, f.session.input, f.session.maxConcurrent, f.session.audit, (event) => this.audit(trx, event), this.ctx.kind === 'postgres');
        return { outcome: 'signed_in' as const, session, evicted, superseded };
      });
    } catch (error) {
      if (error instanceof ChallengeTaken) return { outcome: 'expired' };
      throw error;
    }
  }

  /**
   * PostgreSQL, an authenticator code: the three writes of a right code in ONE
   * statement (data-modifying WITHs; SQLite has none, and its statements cost
   * no round trip): take the step (later than the last, of the factor still as
   * read), then the challenge only if the step was taken, then clear the
   * email's failures only if both were. The same conditions as #takeProof and
   * the challenge update below, row locks and re-checks included (READ
   * COMMITTED re-evaluates a row another transaction changed first). The
   * issue #15 figure's transaction: 4 round trips fewer with the insert below.
   */
  async #takeStepAndChallenge(trx: Tx, f: LoginChallengeFinish, proof: Extract<SecondStepProof, { kind: 'totp' }>): Promise<'taken' | 'wrong_code' | 'challenge_taken'> {
    const { rows } = await sql<{ took: number; used: number }>`
      WITH step AS (
        UPDATE totp_factors SET last_used_step = ${proof.step}
        WHERE user_id = ${f.userId} AND confirmed_at = ${proof.confirmedAt} AND (last_used_step IS NULL OR last_used_step < ${proof.step})
        RETURNING 1
      ), used AS (
        UPDATE login_challenges SET used_at = ${f.at}
        WHERE secret_hash = ${f.challengeHash} AND used_at IS NULL AND expires_at > ${f.at} AND EXISTS (SELECT 1 FROM step)
        RETURNING 1
      ), cleared AS (
        DELETE FROM auth_attempts WHERE key = ANY(${[...f.throttle.clearKeys]}::text[]) AND EXISTS (SELECT 1 FROM used)
      )
      SELECT (SELECT count(*) FROM step)::int AS took, (SELECT count(*) FROM used)::int AS used`.execute(trx);
    const { took, used } = rows[0]!;
    return took !== 1 ? 'wrong_code' : used !== 1 ? 'challenge_taken' : 'taken';
  }

  /** Takes the step (later than the last, of the factor still as read) or the recovery code, once. */
  async #takeProof(trx: Tx, userId: string, proof: SecondStepProof): Promise<boolean> {
    if (proof.kind === 'totp') {
      const result = await trx
        .updateTable('totp_factors')
        .set({ last_used_step: proof.step })
        .where('user_id', '=', userId)
        .where('confirmed_at', '=', proof.confirmedAt)
        .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', proof.step)]))
        .executeTakeFirst();
      return changed(result) === 1;
    }
    const result = await trx
      .updateTable('mfa_recovery_codes')
      .set({ used_at: proof.audit.at })
      .where('code_hash', '=', proof.codeHash)
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (changed(result) !== 1) return false;
    await this.audit(trx, proof.audit);
    return true;
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
