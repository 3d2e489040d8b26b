import { sql, type Selectable } from 'kysely';
import type { AuditInput } from '../audit.js';
import type { ApprovalLock, EntryListQuery, EntryStore, ExportRow, StoredEntry, SummaryRow } from '../entries.js';
import { changed, constraintKind, SqlDomain, zeroOne, type Executor, type Tx } from './base.js';
import { pick } from './fixed-query.js';
import type { TimeEntriesTable } from './schema.js';

const ENTRY_COLUMNS = [
  'id', 'workspace_id as workspaceId', 'user_id as userId', 'client_id as clientId', 'description',
  'start_at as start', 'end_at as end', 'billable', 'hourly_rate_cents as hourlyRateCents', 'currency', 'billed_at as billedAt',
  'created_at as createdAt', 'updated_at as updatedAt', 'deleted_at as deletedAt', 'version', 'changed_by as changedBy',
  'matter_id as matterId', 'activity_id as activityId',
  'invoice_id as invoiceId',
] as const;

/**
 * An entry's amount in cents, rounded half up once per entry (durations and
 * rates are never negative): integer division in both dialects. The
 * unbilled_totals triggers of migration 3 (server/store/sqlite/migrations.ts
 * and its PostgreSQL twin) use the same expression.
 */
const AMOUNT = sql<number>`((end_at - start_at) * hourly_rate_cents + 1800000) / 3600000`;

type EntryRow = Omit<StoredEntry, 'billable'> & { billable: number };

const toEntry = (row: EntryRow): StoredEntry => ({ ...row, billable: row.billable === 1 });

type EntryValues = ReturnType<typeof entryValues>;
const ENTRY_VALUE_KEYS = [
  'id', 'workspace_id', 'user_id', 'client_id', 'description', 'start_at', 'end_at', 'billable', 'hourly_rate_cents', 'currency',
  'billed_at', 'created_at', 'updated_at', 'changed_by', 'matter_id', 'activity_id',
] as const satisfies readonly (keyof EntryValues)[];
/** What an update may change: not the id, owner, workspace or creation time. */
const ENTRY_UPDATE_KEYS = ENTRY_VALUE_KEYS.filter((key) => !['id', 'workspace_id', 'user_id', 'created_at'].includes(key)) as
  Exclude<(typeof ENTRY_VALUE_KEYS)[number], 'id' | 'workspace_id' | 'user_id' | 'created_at'>[];

function entryValues(e: StoredEntry) {
  return {
    id: e.id,
    workspace_id: e.workspaceId,
    user_id: e.userId,
    client_id: e.clientId,
    description: e.description,
    start_at: e.start,
    end_at: e.end,
    billable: zeroOne(e.billable),
    hourly_rate_cents: e.hourlyRateCents,
    currency: e.currency,
    billed_at: e.billedAt,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    changed_by: e.changedBy ?? null,
    matter_id: e.matterId ?? null,
    activity_id: e.activityId ?? null,
  } satisfies Partial<Selectable<TimeEntriesTable>>;
}

/** Maps the constraint failures a request can cause: a second running entry (the partial unique index) and a client deleted in between. */
function constraintOutcome(error: unknown): 'running_conflict' | 'client_missing' {
  const kind = constraintKind(error);
  if (kind === 'unique') return 'running_conflict';
  if (kind === 'foreign_key') return 'client_missing';
  throw error;
}

export class EntrySql extends SqlDomain implements EntryStore {
  // The write path's queries, compiled once (see SqlDomain.fixed).
  readonly #byId = this.fixed(($: { id: string }) => this.db.selectFrom('time_entries').select(ENTRY_COLUMNS).where('id', '=', $.id));
  readonly #exists = this.fixed(($: { id: string }) => this.db.selectFrom('time_entries').select('id').where('id', '=', $.id));
  readonly #insert = this.fixed(($: EntryValues) => this.db.insertInto('time_entries').values(pick($, ENTRY_VALUE_KEYS)));
  readonly #update = this.fixed(($: EntryValues & { expectedVersion: number }) =>
    this.db
      .updateTable('time_entries')
      .set((eb) => ({ ...pick($, ENTRY_UPDATE_KEYS), version: eb('version', '+', 1) }))
      .where('id', '=', $.id)
      .where('version', '=', $.expectedVersion)
      .where('deleted_at', 'is', null));
  readonly #delete = this.fixed(($: { id: string; version: number; at: number }) =>
    this.db
      .updateTable('time_entries')
      .set((eb) => ({ deleted_at: $.at, updated_at: $.at, version: eb('version', '+', 1) }))
      .where('id', '=', $.id)
      .where('version', '=', $.version)
      .where('deleted_at', 'is', null));
  readonly #overlapping = this.fixed(($: { userId: string; start: number; end: number; exceptId: string }) =>
    this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_user_start'))
      .select('id')
      .where('user_id', '=', $.userId)
      .where('deleted_at', 'is', null)
      .where('start_at', '<', $.end)
      .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', $.start)]))
      .where('id', '<>', $.exceptId)
      .orderBy('start_at')
      .orderBy('id')
      .limit(100));
  readonly #clientExists = this.fixed(($: { id: string }) => this.db.selectFrom('clients').select('id').where('id', '=', $.id));
  readonly #runningOf = this.fixed(($: { userId: string }) =>
    this.db.selectFrom('time_entries').select(ENTRY_COLUMNS).where('user_id', '=', $.userId).where('end_at', 'is', null).where('deleted_at', 'is', null));
  readonly #stop = this.fixed(($: { id: string; end: number; now: number }) =>
    this.db
      .updateTable('time_entries')
      .set((eb) => ({ end_at: $.end, updated_at: $.now, version: eb('version', '+', 1) }))
      .where('id', '=', $.id)
      .where('end_at', 'is', null)
      .where('deleted_at', 'is', null));

  async findEntry(id: string) {
    const row = await this.#byId.first(this.db, { id });
    return row && toEntry(row);
  }

  async listEntries(q: EntryListQuery) {
    let query = q.userId !== undefined
      ? this.db.selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_user_start')).where('user_id', '=', q.userId)
      : this.db.selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'));
    query = query.where('workspace_id', '=', q.workspaceId).where('deleted_at', 'is', null).where('start_at', '>=', q.from).where('start_at', '<', q.to);
    if (q.clientId !== undefined) query = query.where('client_id', '=', q.clientId);
    const rows = await query.select(ENTRY_COLUMNS).orderBy('start_at').orderBy('id').limit(q.limit).execute();
    return rows.map(toEntry);
  }

  async insertEntry(entry: StoredEntry, lock?: ApprovalLock) {
    try {
      return await this.tx(async (trx) => {
        if (await this.#exists.first(trx, { id: entry.id })) return 'exists' as const;
        if (lock && (await this.#approvedWeekHolds(trx, lock))) return 'week_approved' as const;
        await this.#insert.run(trx, entryValues(entry));
        return 'inserted' as const;
      });
    } catch (error) {
      // The same id inserted meanwhile by another server is a replay, not a second running entry.
      if (constraintKind(error) === 'unique' && (await this.#exists.first(this.db, { id: entry.id }))) return 'exists';
      return constraintOutcome(error);
    }
  }

  async updateEntry(entry: StoredEntry, version: number, audit?: AuditInput, lock?: ApprovalLock) {
    try {
      const write = async (executor: Executor) => {
        if (lock && (await this.#approvedWeekHolds(executor as Tx, lock))) return 'week_approved' as const;
        const updated = (await this.#update.run(executor, { ...entryValues(entry), expectedVersion: version })) === 1;
        if (updated && audit) await this.audit(executor, audit);
        return updated ? ('updated' as const) : ('stale' as const);
      };
      return audit || lock ? await this.tx(write) : await write(this.db);
    } catch (error) {
      return constraintOutcome(error);
    }
  }

  async deleteEntry(id: string, version: number, at: number, audit?: AuditInput, lock?: ApprovalLock) {
    const write = async (executor: Executor) => {
      if (lock && (await this.#approvedWeekHolds(executor as Tx, lock))) return 'week_approved' as const;
      const deleted = (await this.#delete.run(executor, { id, version, at })) === 1;
      if (deleted && audit) await this.audit(executor, audit);
      return deleted ? ('deleted' as const) : ('stale' as const);
    };
    return audit || lock ? this.tx(write) : write(this.db);
  }

  /** Whether any of the lock's instants is in an approved week of its user; takes turns with approvals (`week-of:`). */
  async #approvedWeekHolds(trx: Tx, lock: ApprovalLock): Promise<boolean> {
    await this.serializeOn(trx, `week-of:${lock.userId}`);
    const low = Math.min(...lock.instants);
    const high = Math.max(...lock.instants);
    const weeks = await trx
      .selectFrom('timesheet_weeks')
      .select(['from_at as from', 'to_at as to'])
      .where('user_id', '=', lock.userId)
      .where('status', '=', 'approved')
      .where('from_at', '<=', high)
      .where('to_at', '>', low)
      .execute();
    return weeks.some((w) => lock.instants.some((t) => t >= w.from && t < w.to));
  }

  async overlappingEntries(userId: string, start: number, end: number | null, exceptId: string) {
    const rows = await this.#overlapping.rows(this.db, { userId, start, end: end ?? Number.MAX_SAFE_INTEGER, exceptId });
    return rows.map((r) => r.id);
  }

  async startTimer(entry: StoredEntry, now: number, options: { refuseInApprovedWeek?: boolean } = {}) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `timer-of:${entry.userId}`);
      if (await this.#exists.first(trx, { id: entry.id })) return { outcome: 'exists' as const, stopped: null };
      if (options.refuseInApprovedWeek) {
        const approved = await trx
          .selectFrom('timesheet_weeks')
          .select('monday')
          .where('user_id', '=', entry.userId)
          .where('status', '=', 'approved')
          .where('from_at', '<=', now)
          .where('to_at', '>', now)
          .executeTakeFirst();
        if (approved) return { outcome: 'week_approved' as const, stopped: null };
      }
      if (!(await this.#clientExists.first(trx, { id: entry.clientId }))) return { outcome: 'client_missing' as const, stopped: null };
      const stopped = await this.#stopRunning(trx, entry.userId, null, now);
      await this.#insert.run(trx, entryValues(entry));
      return { outcome: 'started' as const, stopped: stopped ?? null };
    });
  }

  async stopTimer(userId: string, id: string | null, now: number) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `timer-of:${userId}`);
      return this.#stopRunning(trx, userId, id, now);
    });
  }

  async runningEntries(workspaceId: string, userId: string | null) {
    let query = this.db.selectFrom('time_entries').select(ENTRY_COLUMNS).where('end_at', 'is', null).where('deleted_at', 'is', null);
    query = userId !== null ? query.where('user_id', '=', userId) : query;
    const rows = await query.where('workspace_id', '=', workspaceId).execute();
    return rows.map(toEntry);
  }

  async entrySpans(userId: string, from: number, to: number) {
    const finished = this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_user_end'))
      .select(['start_at as start', 'end_at as end', 'billable'])
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .where('end_at', '>', from)
      .where('start_at', '<', to)
      .execute();
    const running = this.db
      .selectFrom('time_entries')
      .select(['start_at as start', 'end_at as end', 'billable'])
      .where('user_id', '=', userId)
      .where('end_at', 'is', null)
      .where('deleted_at', 'is', null)
      .where('start_at', '<', to)
      .execute();
    return [...(await finished), ...(await running)].map((r) => ({ start: r.start, end: r.end, billable: r.billable === 1 }));
  }

  /**
   * Finished, billable, unbilled, live entries, summed per (workspace, user,
   * currency) by the triggers of migration 3 (its comment explains why the
   * totals always equal a fresh SUM): the dashboard reads at most users ×
   * currencies small rows instead of the firm's history. Running entries are
   * not in them; the dashboard adds those up to now.
   */
  async unbilledTotals(workspaceId: string, userId: string | null) {
    const query = this.db.selectFrom('unbilled_totals').where('workspace_id', '=', workspaceId).where('entries', '>', 0);
    const rows = userId !== null
      ? await query.select(['currency', 'amount_cents as amountCents']).where('user_id', '=', userId).orderBy('currency').execute()
      : await query.select((eb) => ['currency', eb.fn.sum<number>('amount_cents').as('amountCents')]).groupBy('currency').orderBy('currency').execute();
    return rows.map((r) => ({ currency: r.currency, amountCents: Number(r.amountCents) }));
  }

  async summarize(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user'): Promise<SummaryRow[]> {
    const key = groupBy === 'client' ? 'client_id' : 'user_id';
    const billable = sql`billable = 1`;
    const rows = await this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
      .select((eb) => [
        eb.ref(key).as('key'),
        'currency',
        eb.fn.countAll<number>().as('entries'),
        eb.fn.sum<number>(sql`end_at - start_at`).as('durationMs'),
        eb.fn.sum<number>(sql`CASE WHEN ${billable} THEN end_at - start_at ELSE 0 END`).as('billableMs'),
        eb.fn.sum<number>(sql`CASE WHEN ${billable} THEN ${AMOUNT} ELSE 0 END`).as('amountCents'),
        eb.fn.sum<number>(sql`CASE WHEN ${billable} AND billed_at IS NULL THEN ${AMOUNT} ELSE 0 END`).as('unbilledCents'),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .where('start_at', '>=', from)
      .where('start_at', '<', to)
      .where('end_at', 'is not', null)
      .groupBy([key, 'currency'])
      .execute();
    return rows.map((r) => ({
      key: r.key,
      currency: r.currency,
      entries: Number(r.entries),
      durationMs: Number(r.durationMs),
      billableMs: Number(r.billableMs),
      amountCents: Number(r.amountCents),
      unbilledCents: Number(r.unbilledCents),
    }));
  }

  async exportEntries(workspaceId: string, from: number, to: number): Promise<ExportRow[]> {
    const rows = await this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_by_workspace_start'))
      .innerJoin('users as u', 'u.id', 'e.user_id')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .leftJoin('matters as m', 'm.id', 'e.matter_id')
      .leftJoin('activities as a', 'a.id', 'e.activity_id')
      .select([
        'e.user_id as userId', 'e.client_id as clientId', 'e.matter_id as matterId', 'e.activity_id as activityId',
        'm.code as matterCode', 'm.name as matterName', 'a.name as activityName',
        'e.id', 'e.start_at as start', 'e.end_at as end', 'u.email as userEmail', 'u.name as userName', 'c.name as clientName',
        'e.description', 'e.billable', 'e.hourly_rate_cents as hourlyRateCents', 'e.currency', 'e.billed_at as billedAt',
      ])
      .where('e.workspace_id', '=', workspaceId)
      .where('e.deleted_at', 'is', null)
      .where('e.end_at', 'is not', null)
      .where('e.start_at', '>=', from)
      .where('e.start_at', '<', to)
      .orderBy('e.start_at')
      .orderBy('e.id')
      .execute();
    return rows.map((r) => ({
      ...r,
      end: r.end!,
      billable: r.billable === 1,
      matterCode: r.matterCode ?? '',
      matterName: r.matterName ?? '',
      activityName: r.activityName ?? '',
    }));
  }

  async markBilled(workspaceId: string, ids: string[], at: number, audit?: AuditInput, options: { requireApprovedWeeks?: boolean; reference?: string | null } = {}) {
    return this.tx(async (trx) => {
      const unique = [...new Set(ids)];
      const found = await this.forUpdate(
        trx
          .selectFrom('time_entries')
          .select(['id', 'workspace_id as workspaceId', 'user_id as userId', 'start_at as start', 'end_at as end', 'billed_at as billedAt', 'deleted_at as deletedAt'])
          .where('id', 'in', unique),
      ).execute();
      if (options.requireApprovedWeeks) {
        const owners = [...new Set(found.map((row) => row.userId))];
        const weeks = owners.length === 0 ? [] : await trx
          .selectFrom('timesheet_weeks')
          .select(['user_id as userId', 'from_at as from', 'to_at as to'])
          .where('user_id', 'in', owners)
          .where('status', '=', 'approved')
          .execute();
        const unapproved = found
          .filter((row) => row.billedAt === null && row.deletedAt === null && row.workspaceId === workspaceId)
          .filter((row) => !weeks.some((w) => w.userId === row.userId && row.start >= w.from && row.start < w.to))
          .map((row) => row.id);
        if (unapproved.length > 0) return { missing: [], running: [], unapproved, billed: 0, alreadyBilled: 0, owners: [] };
      }
      const byId = new Map(found.map((row) => [row.id, row]));
      const missing: string[] = [];
      const running: string[] = [];
      let alreadyBilled = 0;
      for (const id of ids) {
        const row = byId.get(id);
        if (!row || row.workspaceId !== workspaceId || row.deletedAt !== null) missing.push(id);
        else if (row.end === null) running.push(id);
        else if (row.billedAt !== null) alreadyBilled++;
      }
      if (missing.length > 0 || running.length > 0) return { missing, running, billed: 0, alreadyBilled: 0, owners: [] };
      const result = await trx
        .updateTable('time_entries')
        .set((eb) => ({ billed_at: at, billed_reference: options.reference ?? null, updated_at: at, version: eb('version', '+', 1) }))
        .where('id', 'in', unique)
        .where('billed_at', 'is', null)
        .where('deleted_at', 'is', null)
        .where('end_at', 'is not', null)
        .executeTakeFirst();
      const billed = changed(result);
      // Whose entries were billed now: their screens refresh (the caller announces it).
      const owners = [...new Set(found.filter((row) => row.billedAt === null).map((row) => row.userId))];
      if (billed > 0 && audit) await this.audit(trx, { ...audit, detail: { ...audit.detail, entries: billed } });
      return { missing, running, billed, alreadyBilled, owners };
    });
  }

  async unbill(workspaceId: string, ids: string[], audit: AuditInput) {
    return this.tx(async (trx) => {
      const unique = [...new Set(ids)];
      const found = await this.forUpdate(
        trx
          .selectFrom('time_entries')
          .select(['id', 'workspace_id as workspaceId', 'user_id as userId', 'billed_at as billedAt', 'deleted_at as deletedAt', 'invoice_id as invoiceId'])
          .where('id', 'in', unique),
      ).execute();
      const byId = new Map(found.map((row) => [row.id, row]));
      const missing = unique.filter((id) => {
        const row = byId.get(id);
        return !row || row.workspaceId !== workspaceId || row.deletedAt !== null;
      });
      if (missing.length > 0) return { missing, invoiced: [], unbilled: 0, notBilled: 0, owners: [] };
      // An entry billed by an issued invoice changes only by voiding that invoice.
      const invoiced = found.filter((row) => row.invoiceId !== null).map((row) => row.id);
      if (invoiced.length > 0) return { missing, invoiced, unbilled: 0, notBilled: 0, owners: [] };
      const result = await trx
        .updateTable('time_entries')
        .set((eb) => ({ billed_at: null, updated_at: audit.at, version: eb('version', '+', 1) }))
        .where('id', 'in', unique)
        .where('billed_at', 'is not', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      const unbilled = changed(result);
      const owners = [...new Set(found.filter((row) => row.billedAt !== null).map((row) => row.userId))];
      if (unbilled > 0) await this.audit(trx, { ...audit, detail: { ...audit.detail, entries: unbilled, entryIds: unique.slice(0, 50) } });
      return { missing, invoiced, unbilled, notBilled: unique.length - unbilled, owners };
    });
  }

  /** Inside a transaction: stops the user's running entry (only `id`, if given) and answers it as stopped. */
  async #stopRunning(trx: Tx, userId: string, id: string | null, now: number): Promise<StoredEntry | undefined> {
    const row = await this.#runningOf.first(trx, { userId });
    const running = row && toEntry(row);
    if (!running || (id !== null && running.id !== id)) return undefined;
    const end = Math.max(now, running.start + 1);
    await this.#stop.run(trx, { id: running.id, end, now });
    return { ...running, end, updatedAt: now, version: running.version + 1 };
  }
}
