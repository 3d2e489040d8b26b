import { sql, type Selectable } from 'kysely';
import type { AuditInput } from '../audit.js';
import type {
  Adjustment, DraftableQuery, InvoiceDetail, InvoiceStatus, InvoiceStore, IssueInput, IssueOutcome, RealizationRow, StoredInvoice,
  StoredInvoiceEntry, StoredInvoiceLine,
} from '../invoices.js';
import { changed, SqlDomain, type Tx } from './base.js';
import type { InvoiceLinesTable, InvoicesTable } from './schema.js';

/** A draft's entry (`ie`, joined to its time entry `e`) that changed, was deleted, was billed or runs again since it was drafted. */
const STALE = sql<boolean>`(e.version <> ie.entry_version OR e.billed_at IS NOT NULL OR e.deleted_at IS NOT NULL OR e.end_at IS NULL)`;

/** Rows per multi-row insert: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

const adjustmentOf = (kind: Adjustment['kind'] | null, value: number | null, reason: string | null): Adjustment | null =>
  kind === null || value === null ? null : { kind, value, reason: reason ?? '' };

function toInvoice(r: Selectable<InvoicesTable>): StoredInvoice {
  return {
    id: r.id, workspaceId: r.workspace_id, clientId: r.client_id, status: r.status, number: r.number, currency: r.currency,
    periodFrom: r.period_from, periodTo: r.period_to, firstDay: r.first_day, lastDay: r.last_day, matterIds: r.matter_ids === '' ? [] : r.matter_ids.split(' '),
    standardCents: r.standard_cents, roundingCents: r.rounding_cents, linesCents: r.lines_cents,
    adjustment: adjustmentOf(r.adjustment_kind, r.adjustment_value, r.adjustment_reason), adjustmentCents: r.adjustment_cents,
    subtotalCents: r.subtotal_cents, taxLabel: r.tax_label, taxRateBp: r.tax_rate_bp, taxCents: r.tax_cents, totalCents: r.total_cents,
    notes: r.notes, issueDate: r.issue_date, dueDate: r.due_date, issuedAt: r.issued_at, issuedBy: r.issued_by, paidOn: r.paid_on,
    voidedAt: r.voided_at, voidReason: r.void_reason, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function toLine(r: Selectable<InvoiceLinesTable>): StoredInvoiceLine {
  return {
    position: r.position, matterId: r.matter_id, activityId: r.activity_id, description: r.description, rateCents: r.rate_cents,
    entries: r.entries, durationMs: r.duration_ms, billableMinutes: r.billable_minutes, standardCents: r.standard_cents, amountCents: r.amount_cents,
    adjustment: adjustmentOf(r.adjustment_kind, r.adjustment_value, r.adjustment_reason), adjustmentCents: r.adjustment_cents,
    totalCents: r.total_cents,
  };
}

/** The figures a draft's edit may change (the rest is fixed when it is drafted). */
function figureValues(i: StoredInvoice) {
  return {
    standard_cents: i.standardCents, rounding_cents: i.roundingCents, lines_cents: i.linesCents,
    adjustment_kind: i.adjustment?.kind ?? null, adjustment_value: i.adjustment?.value ?? null, adjustment_reason: i.adjustment?.reason ?? null,
    adjustment_cents: i.adjustmentCents, subtotal_cents: i.subtotalCents, tax_label: i.taxLabel, tax_rate_bp: i.taxRateBp,
    tax_cents: i.taxCents, total_cents: i.totalCents, notes: i.notes, updated_at: i.updatedAt,
  };
}

function lineValues(invoiceId: string, l: StoredInvoiceLine) {
  return {
    invoice_id: invoiceId, position: l.position, matter_id: l.matterId, activity_id: l.activityId, description: l.description,
    rate_cents: l.rateCents, entries: l.entries, duration_ms: l.durationMs, billable_minutes: l.billableMinutes, standard_cents: l.standardCents, amount_cents: l.amountCents,
    adjustment_kind: l.adjustment?.kind ?? null, adjustment_value: l.adjustment?.value ?? null, adjustment_reason: l.adjustment?.reason ?? null,
    adjustment_cents: l.adjustmentCents, total_cents: l.totalCents,
  };
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export class InvoiceSql extends SqlDomain implements InvoiceStore {
  async draftableEntries(q: DraftableQuery) {
    const base = this.db
      .selectFrom('time_entries')
      .where('workspace_id', '=', q.workspaceId)
      .where('client_id', '=', q.clientId)
      .where('deleted_at', 'is', null)
      .where('billed_at', 'is', null)
      .where('billable', '=', 1)
      .where('start_at', '<', q.to);
    // The finished ones through the partial WIP index (its condition written out: a bound 1 would keep SQLite from using it).
    const finished = this.db
      .selectFrom(this.indexedBy('time_entries', 'e', 'time_entries_wip'))
      .where('workspace_id', '=', q.workspaceId)
      .where('client_id', '=', q.clientId)
      .where(sql<boolean>`billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL`)
      .where('start_at', '<', q.to);
    const inMatters = q.matterIds && q.matterIds.length > 0 ? finished.where('matter_id', 'in', q.matterIds) : finished;
    const rows = await inMatters
      .select(['id', 'user_id as userId', 'start_at as start', 'end_at as end', 'hourly_rate_cents as hourlyRateCents', 'version', 'description', 'currency', 'matter_id as matterId', 'activity_id as activityId'])
      .where('start_at', '>=', q.from)
      .orderBy('start_at')
      .orderBy('id')
      .execute();
    // A timer that started before the period and still runs is work of the period too: the issue guard counts it as well.
    const running = await base.select((eb) => eb.fn.countAll<number>().as('n')).where('end_at', 'is', null).executeTakeFirstOrThrow();
    let entries = rows.filter((r) => r.currency === q.currency);
    const otherCurrency = rows.length - entries.length;
    let unapproved = 0;
    if (q.requireApprovedWeeks && entries.length > 0) {
      const approved = await this.#approvedWeeks(this.db, [...new Set(entries.map((e) => e.userId))]);
      const kept = entries.filter((e) => inApprovedWeek(approved, e.userId, e.start));
      unapproved = entries.length - kept.length;
      entries = kept;
    }
    return {
      entries: entries.map(({ currency: _currency, ...e }) => ({ ...e, end: e.end! })),
      running: Number(running.n),
      otherCurrency,
      unapproved,
    };
  }

  async insertDraft(draft: InvoiceDetail, audit: AuditInput) {
    const i = draft.invoice;
    await this.tx(async (trx) => {
      await trx
        .insertInto('invoices')
        .values({
          id: i.id, workspace_id: i.workspaceId, client_id: i.clientId, status: 'draft', number: null, year: null, sequence: null,
          currency: i.currency, period_from: i.periodFrom, period_to: i.periodTo, first_day: i.firstDay, last_day: i.lastDay, matter_ids: i.matterIds.join(' '),
          ...figureValues(i), issue_date: null, due_date: null, issued_at: null, issued_by: null, paid_on: null, paid_at: null,
          voided_at: null, voided_by: null, void_reason: null, created_by: i.createdBy, created_at: i.createdAt,
        })
        .execute();
      for (const part of chunks(draft.lines)) await trx.insertInto('invoice_lines').values(part.map((l) => lineValues(i.id, l))).execute();
      await this.#insertInvoiceEntries(trx, i.id, draft.entries);
      await this.audit(trx, audit);
    });
  }

  /**
   * The draft's entries in one statement on PostgreSQL: five arrays unnested
   * into rows. The chunked multi-row INSERT it replaces sent 20 statements of
   * 3,000 parameters each for 10,000 entries (each built by Kysely, sent,
   * parsed and planned); the arrays travel as five parameters, planned once.
   * What stays is per row and PostgreSQL's own: the two foreign-key checks
   * (~60 % of this INSERT by auto_explain's log_triggers; DEVELOPERS.md,
   * migration 16). SQLite runs in-process, where the chunks cost little: it
   * keeps them.
   */
  async #insertInvoiceEntries(trx: Tx, invoiceId: string, entries: StoredInvoiceEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.ctx.kind === 'postgres') {
      await sql`
        INSERT INTO invoice_entries (invoice_id, entry_id, position, entry_version, standard_cents, amount_cents)
        SELECT ${invoiceId}, e.* FROM unnest(
          ${entries.map((e) => e.entryId)}::text[], ${entries.map((e) => e.position)}::integer[], ${entries.map((e) => e.entryVersion)}::integer[],
          ${entries.map((e) => e.standardCents)}::bigint[], ${entries.map((e) => e.amountCents)}::bigint[]
        ) AS e`.execute(trx);
      return;
    }
    for (const part of chunks(entries)) {
      await trx
        .insertInto('invoice_entries')
        .values(part.map((e) => ({
          invoice_id: invoiceId, entry_id: e.entryId, position: e.position, entry_version: e.entryVersion,
          standard_cents: e.standardCents, amount_cents: e.amountCents,
        })))
        .execute();
    }
  }

  async updateDraft(draft: InvoiceDetail, audit: AuditInput) {
    const i = draft.invoice;
    return this.tx(async (trx) => {
      const status = await this.#lockStatus(trx, i.workspaceId, i.id);
      if (!status) return 'missing' as const;
      if (status !== 'draft') return 'not_draft' as const;
      await trx.updateTable('invoices').set(figureValues(i)).where('id', '=', i.id).execute();
      for (const l of draft.lines) {
        const { invoice_id: _id, position: _position, ...values } = lineValues(i.id, l);
        await trx.updateTable('invoice_lines').set(values).where('invoice_id', '=', i.id).where('position', '=', l.position).execute();
      }
      await this.audit(trx, audit);
      return 'updated' as const;
    });
  }

  async deleteDraft(workspaceId: string, id: string, audit: AuditInput) {
    return this.tx(async (trx) => {
      const status = await this.#lockStatus(trx, workspaceId, id);
      if (!status) return 'missing' as const;
      if (status !== 'draft') return 'not_draft' as const;
      await trx.deleteFrom('invoice_entries').where('invoice_id', '=', id).execute();
      await trx.deleteFrom('invoice_lines').where('invoice_id', '=', id).execute();
      await trx.deleteFrom('invoices').where('id', '=', id).execute();
      await this.audit(trx, audit);
      return 'deleted' as const;
    });
  }

  async findInvoice(workspaceId: string, id: string): Promise<InvoiceDetail | undefined> {
    const row = await this.db.selectFrom('invoices').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (!row) return undefined;
    const lines = await this.db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', id).orderBy('position').execute();
    const entries = await this.db
      .selectFrom('invoice_entries')
      .select(['entry_id as entryId', 'position', 'entry_version as entryVersion', 'standard_cents as standardCents', 'amount_cents as amountCents'])
      .where('invoice_id', '=', id)
      .orderBy('position')
      .orderBy('entry_id')
      .execute();
    return { invoice: toInvoice(row), lines: lines.map(toLine), entries };
  }

  async listInvoices(workspaceId: string, q: { status?: InvoiceStatus; clientId?: string; limit: number }) {
    let query = this.db.selectFrom('invoices').selectAll().where('workspace_id', '=', workspaceId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.clientId) query = query.where('client_id', '=', q.clientId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(q.limit).execute();
    return rows.map(toInvoice);
  }

  async issueInvoice(workspaceId: string, id: string, issue: IssueInput, audit: AuditInput): Promise<IssueOutcome> {
    try {
      return await this.tx((trx) => this.#issue(trx, workspaceId, id, issue, audit));
    } catch (error) {
      // An entry changed between the check and the one UPDATE (PostgreSQL: another server's edit committed meanwhile): nothing was written.
      if (error instanceof EntriesChangedMeanwhile) return { outcome: 'stale' as const, ids: await this.#staleEntries(this.db, id) };
      throw error;
    }
  }

  /**
   * Set-based, whatever the invoice's size: a few statements, none per entry.
   * The entries are not read out (10,000 rows locked and sent back only to be
   * checked): one grouped pass over the draft's rows counts them, counts the
   * stale ones (whose ids are asked for only then) and names their owners; the
   * UPDATE, joined to the draft's rows, takes the row locks and bills only
   * entries still at their drafted version, and a count that falls short rolls
   * the whole issue back: 8 statements between BEGIN and COMMIT (10 when the
   * firm bills only approved weeks), whatever the number of entries.
   */
  async #issue(trx: Tx, workspaceId: string, id: string, issue: IssueInput, audit: AuditInput): Promise<IssueOutcome> {
    // Issues and voids of a workspace take turns: the counter, and an entry on one issued invoice at most.
    await this.serializeOn(trx, `invoicing:${workspaceId}`);
    const invoice = await this.forUpdate(trx.selectFrom('invoices').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId)).executeTakeFirst();
    if (!invoice) return { outcome: 'missing' as const };
    if (invoice.status !== 'draft') return { outcome: 'not_draft' as const };
    // One pass over the draft's entries: how many, how many stale, and whose (the owners told at the end).
    const tally = await trx
      .selectFrom('invoice_entries as ie')
      .innerJoin('time_entries as e', 'e.id', 'ie.entry_id')
      .select((eb) => ['e.user_id as userId', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when(STALE).then(1).else(0).end()).as('stale')])
      .where('ie.invoice_id', '=', id)
      .groupBy('e.user_id')
      .execute();
    if (tally.some((t) => Number(t.stale) > 0)) return { outcome: 'stale' as const, ids: await this.#staleEntries(trx, id) };
    const count = tally.reduce((n, t) => n + Number(t.n), 0);
    // Harvest's guard: a timer of this client still running in the period would bill part of the work.
    const running = await trx
      .selectFrom('time_entries')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('client_id', '=', invoice.client_id)
      .where('end_at', 'is', null)
      .where('deleted_at', 'is', null)
      .where('billable', '=', 1)
      .where('start_at', '<', invoice.period_to)
      .$if(invoice.matter_ids !== '', (qb) => qb.where('matter_id', 'in', invoice.matter_ids.split(' ')))
      .execute();
    if (running.length > 0) return { outcome: 'timer_running' as const, ids: running.map((r) => r.id) };
    if (issue.requireApprovedWeeks && count > 0) {
      const entries = await trx
        .selectFrom('invoice_entries as ie')
        .innerJoin('time_entries as e', 'e.id', 'ie.entry_id')
        .select(['e.id', 'e.user_id as userId', 'e.start_at as start'])
        .where('ie.invoice_id', '=', id)
        .orderBy('e.id')
        .execute();
      const approved = await this.#approvedWeeks(trx, [...new Set(entries.map((e) => e.userId))]);
      const unapproved = entries.filter((e) => !inApprovedWeek(approved, e.userId, e.start)).map((e) => e.id);
      if (unapproved.length > 0) return { outcome: 'unapproved' as const, ids: unapproved };
    }
    const counter = await trx
      .insertInto('invoice_counters')
      .values({ workspace_id: workspaceId, year: issue.year, last_number: 1 })
      .onConflict((oc) => oc.columns(['workspace_id', 'year']).doUpdateSet((eb) => ({ last_number: eb('invoice_counters.last_number', '+', 1) })))
      .returning('last_number')
      .executeTakeFirstOrThrow();
    const number = issue.format(issue.year, counter.last_number);
    // One UPDATE joined to the draft's rows (no subquery per entry), billing only entries still as drafted
    // (PostgreSQL re-checks the whole condition, join included, on a row another transaction changed while this one waited for its lock).
    const billed = await trx
      .updateTable('time_entries')
      .from('invoice_entries as ie')
      .set((eb) => ({ billed_at: issue.at, invoice_id: id, billed_reference: number, updated_at: issue.at, version: eb('time_entries.version', '+', 1) }))
      .where('ie.invoice_id', '=', id)
      .whereRef('ie.entry_id', '=', 'time_entries.id')
      .whereRef('time_entries.version', '=', 'ie.entry_version')
      .where('time_entries.billed_at', 'is', null)
      .where('time_entries.deleted_at', 'is', null)
      .where('time_entries.end_at', 'is not', null)
      .executeTakeFirst();
    if (changed(billed) !== count) throw new EntriesChangedMeanwhile();
    const issued = await trx
      .updateTable('invoices')
      .set({
        status: 'issued', number, year: issue.year, sequence: counter.last_number, issue_date: issue.issueDate, due_date: issue.dueDate,
        issued_at: issue.at, issued_by: issue.by, updated_at: issue.at,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.audit(trx, { ...audit, detail: { ...audit.detail, number, entries: count, totalCents: invoice.total_cents, currency: invoice.currency } });
    return { outcome: 'issued' as const, invoice: toInvoice(issued), owners: tally.map((t) => t.userId) };
  }

  /** The draft's entries changed, deleted, billed or running again since it was drafted, by id. */
  async #staleEntries(executor: Tx | typeof this.db, id: string): Promise<string[]> {
    const rows = await executor
      .selectFrom('invoice_entries as ie')
      .innerJoin('time_entries as e', 'e.id', 'ie.entry_id')
      .select('e.id')
      .where('ie.invoice_id', '=', id)
      .where(STALE)
      .orderBy('e.id')
      .execute();
    return rows.map((r) => r.id);
  }

  async voidInvoice(workspaceId: string, id: string, input: { at: number; by: string; reason: string }, audit: AuditInput) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `invoicing:${workspaceId}`);
      const invoice = await this.forUpdate(
        trx.selectFrom('invoices').select(['status', 'paid_on as paidOn', 'number']).where('id', '=', id).where('workspace_id', '=', workspaceId),
      ).executeTakeFirst();
      if (!invoice) return { outcome: 'missing' as const };
      if (invoice.status !== 'issued') return { outcome: 'not_issued' as const };
      if (invoice.paidOn !== null) return { outcome: 'paid' as const };
      // The invoice's entries through invoice_entries' primary key (migration 16 dropped time_entries' index on invoice_id);
      // its rows outlive a void, so time_entries.invoice_id still says which of them this invoice billed.
      const owners = await trx
        .selectFrom('invoice_entries as ie')
        .innerJoin('time_entries as e', 'e.id', 'ie.entry_id')
        .select('e.user_id')
        .distinct()
        .where('ie.invoice_id', '=', id)
        .where('e.invoice_id', '=', id)
        .execute();
      const unbilled = await trx
        .updateTable('time_entries')
        .from('invoice_entries as ie')
        .set((eb) => ({ billed_at: null, invoice_id: null, billed_reference: null, updated_at: input.at, version: eb('time_entries.version', '+', 1) }))
        .where('ie.invoice_id', '=', id)
        .whereRef('ie.entry_id', '=', 'time_entries.id')
        .where('time_entries.invoice_id', '=', id)
        .executeTakeFirst();
      await trx
        .updateTable('invoices')
        .set({ status: 'void', voided_at: input.at, voided_by: input.by, void_reason: input.reason, updated_at: input.at })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, { ...audit, detail: { ...audit.detail, number: invoice.number, entries: changed(unbilled) } });
      return { outcome: 'voided' as const, owners: owners.map((o) => o.user_id) };
    });
  }

  async markInvoicePaid(workspaceId: string, id: string, paidOn: string, at: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      const status = await this.#lockStatus(trx, workspaceId, id);
      if (!status) return 'missing' as const;
      if (status !== 'issued') return 'not_issued' as const;
      await trx.updateTable('invoices').set({ paid_on: paidOn, paid_at: at, updated_at: at }).where('id', '=', id).execute();
      await this.audit(trx, audit);
      return 'paid' as const;
    });
  }

  async realization(workspaceId: string, from: number, to: number): Promise<RealizationRow[]> {
    const rows = await this.db
      .selectFrom('invoice_lines as l')
      .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
      .select((eb) => [
        'i.client_id as clientId', 'l.matter_id as matterId', 'i.currency',
        eb.fn.count<number>('i.id').distinct().as('invoices'),
        eb.fn.sum<number>('l.standard_cents').as('standardCents'),
        eb.fn.sum<number>('l.total_cents').as('billedCents'),
      ])
      .where('i.workspace_id', '=', workspaceId)
      .where('i.status', '=', 'issued')
      .where('i.issued_at', '>=', from)
      .where('i.issued_at', '<', to)
      .groupBy(['i.client_id', 'l.matter_id', 'i.currency'])
      .execute();
    return rows.map((r) => ({ ...r, invoices: Number(r.invoices), standardCents: Number(r.standardCents), billedCents: Number(r.billedCents) }));
  }

  async setClientTax(workspaceId: string, clientId: string, tax: { rateBp: number; label: string }, audit: AuditInput) {
    return this.tx(async (trx) => {
      const result = await trx
        .updateTable('clients')
        .set({ tax_rate_bp: tax.rateBp, tax_label: tax.label })
        .where('id', '=', clientId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (changed(result) === 0) return 'missing' as const;
      await this.audit(trx, audit);
      return 'updated' as const;
    });
  }

  async clientTax(clientId: string) {
    const row = await this.db.selectFrom('clients').select(['tax_rate_bp as rateBp', 'tax_label as label']).where('id', '=', clientId).executeTakeFirst();
    return row && { rateBp: row.rateBp, label: row.label };
  }

  async #lockStatus(trx: Tx, workspaceId: string, id: string): Promise<InvoiceStatus | undefined> {
    const row = await this.forUpdate(trx.selectFrom('invoices').select('status').where('id', '=', id).where('workspace_id', '=', workspaceId)).executeTakeFirst();
    return row?.status;
  }

  async #approvedWeeks(executor: Tx | typeof this.db, owners: string[]) {
    if (owners.length === 0) return [];
    return executor
      .selectFrom('timesheet_weeks')
      .select(['user_id as userId', 'from_at as from', 'to_at as to'])
      .where('user_id', 'in', owners)
      .where('status', '=', 'approved')
      .execute();
  }
}

/** Thrown inside the issue's transaction to roll it back when the UPDATE billed fewer entries than the draft holds. */
class EntriesChangedMeanwhile extends Error {}

function inApprovedWeek(weeks: { userId: string; from: number; to: number }[], userId: string, start: number): boolean {
  return weeks.some((w) => w.userId === userId && start >= w.from && start < w.to);
}
