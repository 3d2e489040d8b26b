import { sql, type RawBuilder } from 'kysely';
import type { RoundingRule } from '../../../shared/billing/rounding.js';
import type { BillingReadStore, RoundingMethod, RuledEntry } from '../billing-reads.js';
import type { WipCutoffs, WipRow } from '../invoices.js';
import { SqlDomain } from './base.js';

/** A UTC day in milliseconds: wip_days.day is start_at / DAY (integer division), as migration 15's triggers write it. */
const DAY = 86_400_000;
/** An entry's standard value in cents, rounded half up once per entry: the expression of the triggers (migrations 3 and 15). */
const AMOUNT = sql<number>`((end_at - start_at) * hourly_rate_cents + 1800000) / 3600000`;
/** The WIP condition, written out (a bound 1 would keep SQLite from using the partial indexes it matches: deleted_at IS NULL). */
const UNBILLED = sql<boolean>`billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL`;
/** At most this many one-day reads in one UNION ALL (SQLite allows 500 compound terms). */
const DAYS_PER_READ = 100;

/** A bucket's sum: `value` where `day`/`start` lies in [low, high) (null: unbounded). */
const between = (column: RawBuilder<number>, low: number | null, high: number | null) =>
  sql`${low === null ? sql`1 = 1` : sql`${column} >= ${low}`} AND ${high === null ? sql`1 = 1` : sql`${column} < ${high}`}`;

/** The effective rounding rule of an entry: its matter's own (all three columns or none), else its client's. */
const RULE = {
  increment: sql<number>`COALESCE(m.rounding_increment, c.rounding_increment)`,
  mode: sql<string>`COALESCE(m.rounding_mode, c.rounding_mode)`,
  scope: sql<string>`COALESCE(m.rounding_scope, c.rounding_scope)`,
};
/**
 * roundMinutes (shared/billing/rounding.ts) in integer SQL, for a
 * non-negative whole number of milliseconds: with the increment's length U,
 * up = ceil(raw / U) = (raw + U - 1) / U, down = raw / U, nearest (half up) =
 * (raw + U / 2) / U (U is a whole number of minutes, so U / 2 is whole too),
 * each times the increment. Integer division truncates, which is floor here.
 * The increment and mode are the caller's (checked values), inlined.
 */
function roundedMinutes(rule: RoundingMethod): RawBuilder<number> {
  const unit = rule.incrementMinutes * 60_000;
  if (!Number.isInteger(unit) || unit <= 0) throw new RangeError('a rounding increment is a whole number of minutes');
  const add = rule.mode === 'up' ? unit - 1 : rule.mode === 'down' ? 0 : unit / 2;
  return sql<number>`((end_at - start_at + ${sql.lit(add)}) / ${sql.lit(unit)}) * ${sql.lit(rule.incrementMinutes)}`;
}

interface EdgeRow {
  day: number;
  clientId: string;
  matterId: string | null;
  currency: string;
  entries: number;
  durationMs: number;
  b0: number;
  b1: number;
  b2: number;
  b3: number;
  oldestStart: number;
}

const keyOf = (clientId: string, matterId: string | null, currency: string) => JSON.stringify([clientId, matterId ?? '', currency]);

export class BillingReadSql extends SqlDomain implements BillingReadStore {
  async wip(workspaceId: string, c: WipCutoffs): Promise<WipRow[]> {
    const edges = [c.days30, c.days60, c.days90].map((t) => Math.floor(t / DAY));
    const [d30, d60, d90] = edges as [number, number, number];
    const day = sql<number>`day`;
    const whole = sql`day NOT IN (${d30}, ${d60}, ${d90})`;
    // Whole days only: a day that holds no cutoff lies on one side of each.
    const bucket = (low: number | null, high: number | null) =>
      sql<number>`SUM(CASE WHEN ${whole} AND ${between(day, low === null ? null : low + 1, high)} THEN amount_cents ELSE 0 END)`;
    const days = await this.db
      .selectFrom('wip_days')
      .select([
        'client_id as clientId', 'matter_key as matterKey', 'currency',
        sql<number>`SUM(CASE WHEN ${whole} THEN entries ELSE 0 END)`.as('entries'),
        sql<number>`SUM(CASE WHEN ${whole} THEN duration_ms ELSE 0 END)`.as('durationMs'),
        bucket(d30, null).as('b0'),
        bucket(d60, d30).as('b1'),
        bucket(d90, d60).as('b2'),
        bucket(null, d90).as('b3'),
        sql<number>`MIN(day)`.as('oldestDay'),
      ])
      .where('workspace_id', '=', workspaceId)
      .groupBy(['client_id', 'matter_key', 'currency'])
      .execute();
    if (days.length === 0) return [];
    const oldestDays = new Set(days.map((d) => Number(d.oldestDay)));
    const edgeRows = await this.#dayReads(workspaceId, [...new Set([...edges, ...oldestDays])], c);
    const byKey = new Map<string, WipRow>();
    const oldestOf = new Map<string, number>();
    for (const d of days) {
      const matterId = d.matterKey === '' ? null : d.matterKey;
      const key = keyOf(d.clientId, matterId, d.currency);
      oldestOf.set(key, Number(d.oldestDay));
      byKey.set(key, {
        clientId: d.clientId, matterId, currency: d.currency, entries: Number(d.entries), durationMs: Number(d.durationMs),
        buckets: [Number(d.b0), Number(d.b1), Number(d.b2), Number(d.b3)],
        // Until the oldest day's entries say when exactly (the day table and the entries agree, so they always do).
        oldestStart: Number(d.oldestDay) * DAY,
      });
    }
    for (const e of edgeRows) {
      const key = keyOf(e.clientId, e.matterId, e.currency);
      const row = byKey.get(key);
      if (!row) continue;
      if (edges.includes(e.day)) {
        row.entries += e.entries;
        row.durationMs += e.durationMs;
        row.buckets[0] += e.b0;
        row.buckets[1] += e.b1;
        row.buckets[2] += e.b2;
        row.buckets[3] += e.b3;
      }
      if (oldestOf.get(key) === e.day) row.oldestStart = e.oldestStart;
    }
    return [...byKey.values()].filter((r) => r.entries > 0);
  }

  async unbilledBefore(workspaceId: string, cutoff: number) {
    const edge = Math.floor(cutoff / DAY);
    const whole = await this.db
      .selectFrom('wip_days')
      .select(['currency', sql<number>`SUM(amount_cents)`.as('amountCents')])
      .where('workspace_id', '=', workspaceId)
      .where('day', '<', edge)
      .groupBy('currency')
      .execute();
    const part = await this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
      .select(['currency', sql<number>`SUM(${AMOUNT})`.as('amountCents')])
      .where('workspace_id', '=', workspaceId)
      .where(UNBILLED)
      .where('start_at', '>=', edge * DAY)
      .where('start_at', '<', cutoff)
      .groupBy('currency')
      .execute();
    const sums = new Map<string, number>();
    for (const r of [...whole, ...part]) sums.set(r.currency, (sums.get(r.currency) ?? 0) + Number(r.amountCents));
    return [...sums.entries()].map(([currency, amountCents]) => ({ currency, amountCents }));
  }

  async roundedMinuteSums(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user', options: { byMatter: boolean; rules: readonly RoundingMethod[] }) {
    const key = groupBy === 'client' ? 'client_id' : 'user_id';
    const columns = options.byMatter ? ([key, 'client_id', 'matter_id'] as const) : ([key, 'client_id'] as const);
    const rows = await this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
      .select([
        sql.ref(key).as('key'), 'client_id as clientId', (options.byMatter ? sql.ref('matter_id') : sql.lit(null)).as('matterId'),
        ...options.rules.map((rule, i) => sql<number>`SUM(${roundedMinutes(rule)})`.as(`m${i}`)),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .where('end_at', 'is not', null)
      .where('billable', '=', 1)
      .groupBy([...new Set(columns)])
      .execute();
    return rows.map((r) => {
      const row = r as Record<string, unknown>;
      return { key: String(row.key), clientId: String(row.clientId), matterId: (row.matterId as string | null) ?? null, minutes: options.rules.map((_, i) => Number(row[`m${i}`])) };
    });
  }

  async dayRoundedEntries(workspaceId: string, from: number, to: number): Promise<RuledEntry[]> {
    const rows = await this.#billableInRange(workspaceId, from, to)
      .where(RULE.scope, '=', 'day-per-matter')
      .select([
        'e.id', 'e.user_id as userId', 'e.client_id as clientId', 'e.matter_id as matterId', 'e.start_at as start', 'e.end_at as end',
        'e.hourly_rate_cents as hourlyRateCents', RULE.increment.as('increment'), RULE.mode.as('mode'),
      ])
      .orderBy('e.start_at')
      .orderBy('e.id')
      .execute();
    return rows.map((r) => ({
      id: r.id, userId: r.userId, clientId: r.clientId, matterId: r.matterId, start: r.start, end: r.end!, billable: true, hourlyRateCents: r.hourlyRateCents,
      rule: { incrementMinutes: Number(r.increment), mode: r.mode, scope: 'day-per-matter' } as RoundingRule,
    }));
  }

  /** The finished, billable, live entries starting in [from, to) with their client and (if any) matter, for their rounding rule. */
  #billableInRange(workspaceId: string, from: number, to: number) {
    return this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .leftJoin('matters as m', 'm.id', 'e.matter_id')
      .where('e.workspace_id', '=', workspaceId)
      .where('e.deleted_at', 'is', null)
      .where('e.start_at', '>=', from)
      .where('e.start_at', '<', to)
      .where('e.end_at', 'is not', null)
      .where('e.billable', '=', 1);
  }

  /**
   * The unbilled entries of some whole UTC days, summed per day, client,
   * matter and currency, bucketed by their exact start: one range read each
   * of time_entries_by_workspace_start (all of a workspace's live entries by start).
   */
  async #dayReads(workspaceId: string, dayList: number[], c: WipCutoffs): Promise<EdgeRow[]> {
    const start = sql<number>`start_at`;
    const bucket = (low: number | null, high: number | null) => sql<number>`SUM(CASE WHEN ${between(start, low, high)} THEN ${AMOUNT} ELSE 0 END)`;
    const out: EdgeRow[] = [];
    for (let i = 0; i < dayList.length; i += DAYS_PER_READ) {
      const reads = dayList.slice(i, i + DAYS_PER_READ).map((d) =>
        this.db
          .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
          .select((eb) => [
            sql<number>`${sql.lit(d)}`.as('day'),
            'client_id as clientId', 'matter_id as matterId', 'currency',
            eb.fn.countAll<number>().as('entries'),
            sql<number>`SUM(end_at - start_at)`.as('durationMs'),
            bucket(c.days30, null).as('b0'),
            bucket(c.days60, c.days30).as('b1'),
            bucket(c.days90, c.days60).as('b2'),
            bucket(null, c.days90).as('b3'),
            sql<number>`MIN(start_at)`.as('oldestStart'),
          ])
          .where('workspace_id', '=', workspaceId)
          .where(UNBILLED)
          .where('start_at', '>=', d * DAY)
          .where('start_at', '<', (d + 1) * DAY)
          .groupBy(['client_id', 'matter_id', 'currency']),
      );
      const query = reads.slice(1).reduce((q, r) => q.unionAll(r), reads[0]!);
      for (const r of await query.execute()) {
        out.push({
          day: Number(r.day), clientId: r.clientId, matterId: r.matterId, currency: r.currency, entries: Number(r.entries), durationMs: Number(r.durationMs),
          b0: Number(r.b0), b1: Number(r.b1), b2: Number(r.b2), b3: Number(r.b3), oldestStart: Number(r.oldestStart),
        });
      }
    }
    return out;
  }
}
