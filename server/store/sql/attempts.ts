import type { AttemptLimit, AttemptReservation, AttemptStore } from '../attempts.js';
import { SqlDomain } from './base.js';

/** Attempts older than this are pruned: no throttle window is longer than a day. */
const KEEP_MS = 86_400_000;

export class AttemptSql extends SqlDomain implements AttemptStore {
  async reserveAttempts(limits: readonly AttemptLimit[], since: number, at: number): Promise<AttemptReservation> {
    return this.tx(async (trx) => {
      // In one order on every server, so that two reservations sharing keys cannot wait for each other.
      for (const key of limits.map((l) => l.key).sort()) await this.serializeOn(trx, `attempts:${key}`);
      const earlier: number[] = [];
      for (const { key, limit } of limits) {
        const row = await trx
          .selectFrom('auth_attempts')
          .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldestAt')])
          .where('key', '=', key)
          .where('at', '>', since)
          .executeTakeFirstOrThrow();
        const count = Number(row.count);
        if (count >= limit) return { ok: false, key, oldestAt: Number(row.oldestAt) };
        earlier.push(count);
      }
      const ids: number[] = [];
      for (const { key } of limits) {
        const row = await trx.insertInto('auth_attempts').values({ key, at }).returning('id').executeTakeFirstOrThrow();
        ids.push(Number(row.id));
      }
      await trx.deleteFrom('auth_attempts').where('at', '<', at - KEEP_MS).execute();
      return { ok: true, ids, earlier };
    });
  }

  async forgetAttempts(ids: readonly number[], clearKeys: readonly string[] = []) {
    if (ids.length === 0 && clearKeys.length === 0) return;
    await this.tx(async (trx) => {
      // Two successes of one email clear the same rows: in turns (as reservations take them), or on PostgreSQL each
      // would lock the other's rows in its own order and deadlock.
      for (const key of [...clearKeys].sort()) await this.serializeOn(trx, `attempts:${key}`);
      if (ids.length > 0) await trx.deleteFrom('auth_attempts').where('id', 'in', [...ids]).execute();
      if (clearKeys.length > 0) await trx.deleteFrom('auth_attempts').where('key', 'in', [...clearKeys]).execute();
    });
  }
}
