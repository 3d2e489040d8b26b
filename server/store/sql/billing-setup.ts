import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { RateLevel } from '../../../shared/billing/rates.js';
import type { RoundingRule } from '../../../shared/billing/rounding.js';
import type { AuditInput } from '../audit.js';
import { rateLevelOf, type BillingSetupStore, type RateTarget, type StoredActivity, type StoredMatter, type StoredRate } from '../billing-setup.js';
import { constraintKind, SqlDomain, type Tx } from './base.js';
import type { MattersTable, RatesTable } from './schema.js';

const toMatter = (r: Selectable<MattersTable>): StoredMatter => ({
  id: r.id,
  workspaceId: r.workspace_id,
  clientId: r.client_id,
  code: r.code,
  name: r.name,
  billingType: r.billing_type as StoredMatter['billingType'],
  fixedFeeCents: r.fixed_fee_cents,
  budgetMinutes: r.budget_minutes,
  budgetCents: r.budget_cents,
  rounding:
    r.rounding_increment === null
      ? null
      : ({ incrementMinutes: r.rounding_increment, mode: r.rounding_mode, scope: r.rounding_scope } as RoundingRule),
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const matterValues = (m: StoredMatter) => ({
  id: m.id,
  workspace_id: m.workspaceId,
  client_id: m.clientId,
  code: m.code,
  name: m.name,
  billing_type: m.billingType,
  fixed_fee_cents: m.fixedFeeCents,
  budget_minutes: m.budgetMinutes,
  budget_cents: m.budgetCents,
  rounding_increment: m.rounding?.incrementMinutes ?? null,
  rounding_mode: m.rounding?.mode ?? null,
  rounding_scope: m.rounding?.scope ?? null,
  closed_at: m.closedAt,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});

const ACTIVITY_COLUMNS = ['id', 'workspace_id as workspaceId', 'name', 'archived_at as archivedAt', 'created_at as createdAt', 'updated_at as updatedAt'] as const;

const toRate = (r: Selectable<RatesTable>): StoredRate => {
  const target = { workspaceId: r.workspace_id, userId: r.user_id, clientId: r.client_id, matterId: r.matter_id };
  return { ...target, level: rateLevelOf(target)!, hourlyRateCents: r.hourly_rate_cents, updatedAt: r.updated_at };
};

/** A unique index said no: the caller's "taken" answer; anything else is thrown on. */
function takenOr<T>(error: unknown, answer: T): T {
  if (constraintKind(error) === 'unique') return answer;
  throw error;
}

export class BillingSetupSql extends SqlDomain implements BillingSetupStore {
  readonly #matterById = this.fixed(($: { id: string }) => this.db.selectFrom('matters').selectAll().where('id', '=', $.id));
  readonly #activityById = this.fixed(($: { id: string }) => this.db.selectFrom('activities').select(ACTIVITY_COLUMNS).where('id', '=', $.id));

  async listMatters(workspaceId: string, clientId?: string) {
    let query = this.db.selectFrom('matters').selectAll().where('workspace_id', '=', workspaceId);
    if (clientId !== undefined) query = query.where('client_id', '=', clientId);
    const rows = await query.orderBy('client_id').orderBy(this.caseless('code')).orderBy('id').execute();
    return rows.map(toMatter);
  }

  async findMatter(id: string) {
    const row = await this.#matterById.first(this.db, { id });
    return row && toMatter(row);
  }

  async createMatter(matter: StoredMatter, audit?: AuditInput) {
    try {
      return await this.tx(async (trx) => {
        await trx.insertInto('matters').values(matterValues(matter)).execute();
        if (audit) await this.audit(trx, audit);
        return 'created' as const;
      });
    } catch (error) {
      return takenOr(error, 'code_taken' as const);
    }
  }

  async updateMatter(matter: StoredMatter, audit?: AuditInput) {
    const { id: _id, workspace_id: _w, client_id: _c, created_at: _t, ...changes } = matterValues(matter);
    try {
      return await this.tx(async (trx) => {
        await trx.updateTable('matters').set(changes).where('id', '=', matter.id).execute();
        if (audit) await this.audit(trx, audit);
        return 'updated' as const;
      });
    } catch (error) {
      return takenOr(error, 'code_taken' as const);
    }
  }

  async listActivities(workspaceId: string) {
    return this.db.selectFrom('activities').select(ACTIVITY_COLUMNS).where('workspace_id', '=', workspaceId).orderBy(this.caseless('name')).orderBy('id').execute();
  }

  async findActivity(id: string) {
    return this.#activityById.first(this.db, { id });
  }

  async createActivity(a: StoredActivity, audit?: AuditInput) {
    try {
      return await this.tx(async (trx) => {
        await trx
          .insertInto('activities')
          .values({ id: a.id, workspace_id: a.workspaceId, name: a.name, archived_at: a.archivedAt, created_at: a.createdAt, updated_at: a.updatedAt })
          .execute();
        if (audit) await this.audit(trx, audit);
        return 'created' as const;
      });
    } catch (error) {
      return takenOr(error, 'name_taken' as const);
    }
  }

  async updateActivity(a: StoredActivity, audit?: AuditInput) {
    try {
      return await this.tx(async (trx) => {
        await trx.updateTable('activities').set({ name: a.name, archived_at: a.archivedAt, updated_at: a.updatedAt }).where('id', '=', a.id).execute();
        if (audit) await this.audit(trx, audit);
        return 'updated' as const;
      });
    } catch (error) {
      return takenOr(error, 'name_taken' as const);
    }
  }

  async listRates(workspaceId: string, clientId: string | null) {
    let query = this.db.selectFrom('rates').selectAll().where('workspace_id', '=', workspaceId);
    query = clientId === null ? query.where('client_id', 'is', null) : query.where('client_id', '=', clientId);
    const rows = await query.orderBy('matter_id').orderBy('user_id').execute();
    return rows.map(toRate);
  }

  async setRate(target: RateTarget, hourlyRateCents: number | null, at: number, by: string | null, audit?: AuditInput) {
    return this.tx(async (trx) => {
      // Two managers setting the same rate at once: one row, the later value.
      await this.serializeOn(trx, `rates-of:${target.workspaceId}`);
      const existing = await this.#findRate(trx, target);
      let result: StoredRate | null = null;
      if (hourlyRateCents === null) {
        if (existing) await trx.deleteFrom('rates').where('id', '=', existing.id).execute();
      } else if (existing) {
        await trx.updateTable('rates').set({ hourly_rate_cents: hourlyRateCents, updated_at: at, updated_by: by }).where('id', '=', existing.id).execute();
        result = toRate({ ...existing, hourly_rate_cents: hourlyRateCents, updated_at: at });
      } else {
        const row = {
          id: randomUUID(),
          workspace_id: target.workspaceId,
          user_id: target.userId,
          client_id: target.clientId,
          matter_id: target.matterId,
          hourly_rate_cents: hourlyRateCents,
          created_at: at,
          updated_at: at,
          updated_by: by,
        };
        await trx.insertInto('rates').values(row).execute();
        result = toRate(row);
      }
      if (audit && (existing || hourlyRateCents !== null)) await this.audit(trx, audit);
      return result;
    });
  }

  async #findRate(trx: Tx, t: RateTarget) {
    return trx
      .selectFrom('rates')
      .selectAll()
      .where('workspace_id', '=', t.workspaceId)
      .where((eb) =>
        eb.and(
          (['user_id', 'client_id', 'matter_id'] as const).map((column) => {
            const value = column === 'user_id' ? t.userId : column === 'client_id' ? t.clientId : t.matterId;
            return value === null ? eb(column, 'is', null) : eb(column, '=', value);
          }),
        ),
      )
      .executeTakeFirst();
  }

  async rateCandidates(workspaceId: string, userId: string, clientId: string, matterId: string | null) {
    const rows = await this.db
      .selectFrom('rates')
      .select(['user_id', 'client_id', 'matter_id', 'hourly_rate_cents'])
      .where('workspace_id', '=', workspaceId)
      .where((eb) =>
        eb.or([
          eb.and([eb('user_id', '=', userId), eb('client_id', 'is', null)]),
          eb.and([eb('client_id', '=', clientId), eb('matter_id', 'is', null), eb('user_id', '=', userId)]),
          ...(matterId === null ? [] : [eb.and([eb('matter_id', '=', matterId), eb.or([eb('user_id', 'is', null), eb('user_id', '=', userId)])])]),
        ]),
      )
      .execute();
    const found: Partial<Record<RateLevel, number>> = {};
    for (const r of rows) {
      const level = rateLevelOf({ userId: r.user_id, clientId: r.client_id, matterId: r.matter_id });
      if (level) found[level] = r.hourly_rate_cents;
    }
    return found;
  }
}
