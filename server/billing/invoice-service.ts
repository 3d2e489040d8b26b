import type { CreateDraftRequest, Invoice, InvoiceLine, InvoiceSummary, UpdateDraftRequest } from '../../shared/api/invoices.js';
import { INVOICE_PERIOD_MAX_DAYS } from '../../shared/api/invoices.js';
import { hoursOf } from '../../shared/api/time.js';
import { daysPeriod, parseCivil, today } from '../../shared/time/periods.js';
import { addDays, formatCivil, localDate, localDateCache } from '../../shared/time/zoned-days.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import { DAY_MS, type Clock } from '../platform/clock.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import type { AuditInput, InvoiceDetail, StoredInvoice, TabStore } from '../store/types.js';
import { DEFAULT_ROUNDING, effectiveRounding } from '../../shared/billing/rounding.js';
import { figures, groupLines } from './invoice-math.js';


const DEFAULT_PAYMENT_DAYS = 30;

const listed = (ids: string[]) => ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');

/** `INV-2026-0001`: per workspace and year (of the workspace's zone), four digits at least. */
export const invoiceNumber = (year: number, sequence: number): string => `INV-${year}-${String(sequence).padStart(4, '0')}`;

function civil(value: string, field: string) {
  const parsed = parseCivil(value);
  if (!parsed) throw new HttpError('invalid_request', `Invalid ${field}: ${JSON.stringify(value)} is not a date (YYYY-MM-DD).`);
  return parsed;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Invoices (managers and admins): a draft from a client's unbilled entries of
 * a period, its write-ups/downs and tax, issue (gapless number, entries
 * locked), void, paid; the views the routes, the PDF and the CSV share.
 */
export class InvoiceService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; hub: EventHub }) {}

  async createDraft(auth: AuthContext, body: CreateDraftRequest, ip: string | null): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock } = this.deps;
    const workspaceId = auth.user.workspaceId;
    const client = await store.findClient(body.clientId.toLowerCase());
    if (!client || client.workspaceId !== workspaceId) throw notFound('The client');
    const first = civil(body.firstDay, 'body.firstDay');
    const last = civil(body.lastDay, 'body.lastDay');
    const days = (Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / DAY_MS + 1;
    if (days < 1) throw new HttpError('invalid_range', 'The period ends before it starts.');
    if (days > INVOICE_PERIOD_MAX_DAYS) throw new HttpError('invalid_range', `A draft covers at most ${INVOICE_PERIOD_MAX_DAYS} days.`);
    const settings = await store.getWorkspaceSettings(workspaceId);
    const timeZone = settings?.timeZone ?? 'UTC';
    // The period's days are the firm's (workspace zone), whoever drafts it.
    const period = daysPeriod(first, last, timeZone);
    const matterIds = [...new Set((body.matterIds ?? []).map((id) => id.toLowerCase()))];
    for (const id of matterIds) {
      const matter = await store.findMatter(id);
      if (!matter || matter.clientId !== client.id) throw new HttpError('invalid_request', `Invalid body.matterIds: ${id} is not a matter of ${client.name}.`);
    }
    const found = await store.draftableEntries({
      workspaceId, clientId: client.id, currency: client.currency, from: period.from, to: period.to, matterIds,
      requireApprovedWeeks: settings?.requireApprovedWeeks ?? false,
    });
    const leftOut = { running: found.running, otherCurrency: found.otherCurrency, unapproved: found.unapproved };
    if (found.entries.length === 0) {
      const why = [
        found.unapproved > 0 ? `${found.unapproved} in weeks not approved yet` : '',
        found.otherCurrency > 0 ? `${found.otherCurrency} in another currency than the client's ${client.currency}` : '',
        found.running > 0 ? `${found.running} timer(s) still running` : '',
      ].filter(Boolean).join('; ');
      throw new HttpError('invalid_request', `${client.name} has no unbilled billable entries from ${body.firstDay} to ${body.lastDay}${why ? ` (left out: ${why})` : ''}.`);
    }
    const tax = (await store.clientTax(client.id)) ?? { rateBp: 0, label: 'Tax' };
    const matters = new Map((await store.listMatters(workspaceId, client.id)).map((m) => [m.id, m]));
    const activities = new Map((await store.listActivities(workspaceId)).map((a) => [a.id, a.name]));
    const clientRule = client.rounding ?? DEFAULT_ROUNDING;
    const dayOf = localDateCache(timeZone);
    const describe = (matterId: string | null, activityId: string | null) => {
      const matter = matterId ? matters.get(matterId) : undefined;
      const activity = activityId ? activities.get(activityId) : undefined;
      return [matter ? `${matter.code} ${matter.name}` : 'Professional services', activity].filter(Boolean).join(' — ');
    };
    const grouped = groupLines(found.entries, describe, (matterId) => effectiveRounding(clientRule, matterId ? matters.get(matterId)?.rounding : null), dayOf);
    const sums = figures(grouped.lines, null, tax.rateBp);
    const now = clock.now();
    const invoice: StoredInvoice = {
      id: crypto.randomUUID(), workspaceId, clientId: client.id, status: 'draft', number: null, currency: client.currency,
      periodFrom: period.from, periodTo: period.to, firstDay: formatCivil(first), lastDay: formatCivil(last), matterIds,
      standardCents: sums.standardCents, roundingCents: sums.roundingCents, linesCents: sums.linesCents, adjustment: null,
      adjustmentCents: 0, subtotalCents: sums.subtotalCents, taxLabel: tax.label, taxRateBp: tax.rateBp, taxCents: sums.taxCents,
      totalCents: sums.totalCents, notes: body.notes ?? '', issueDate: null, dueDate: null, issuedAt: null, issuedBy: null, paidOn: null,
      voidedAt: null, voidReason: null, createdBy: auth.user.id, createdAt: now, updatedAt: now,
    };
    const detail: InvoiceDetail = { invoice, lines: sums.lines, entries: grouped.entries };
    await store.insertDraft(detail, this.#audit(auth, 'invoice_drafted', now, ip, { client: client.name, entries: grouped.entries.length, invoiceId: invoice.id }));
    return this.view(detail, client.name, leftOut);
  }

  async updateDraft(auth: AuthContext, id: string, change: UpdateDraftRequest, ip: string | null): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const detail = await this.#find(auth, id);
    if (detail.invoice.status !== 'draft') throw new HttpError('invoice_state', 'Only a draft can be changed; void an issued invoice and draft it again.');
    const lines = detail.lines.map((l) => ({ ...l }));
    for (const { position, adjustment } of change.lineAdjustments ?? []) {
      const line = lines.find((l) => l.position === position);
      if (!line) throw new HttpError('invalid_request', `Invalid body.lineAdjustments: the draft has no line ${position}.`);
      line.adjustment = adjustment && { ...adjustment, reason: adjustment.reason.trim() };
    }
    const adjustment = change.adjustment === undefined ? detail.invoice.adjustment : change.adjustment && { ...change.adjustment, reason: change.adjustment.reason.trim() };
    for (const a of [adjustment, ...lines.map((l) => l.adjustment)]) {
      if (a && a.reason === '') throw new HttpError('invalid_request', 'Every write-up or write-down needs a reason.');
      if (a && a.kind === 'percent' && Math.abs(a.value) > 10_000) throw new HttpError('invalid_request', 'A percentage adjustment is at most 100 % either way.');
    }
    const taxRateBp = change.taxRateBp ?? detail.invoice.taxRateBp;
    const sums = figures(lines, adjustment, taxRateBp);
    const negative = sums.lines.find((l) => l.totalCents < 0);
    if (negative) throw new HttpError('invalid_request', `Line ${negative.position} would be below zero after its write-down.`);
    if (sums.subtotalCents < 0) throw new HttpError('invalid_request', 'The invoice would be below zero after its write-down.');
    const now = this.deps.clock.now();
    const next: InvoiceDetail = {
      ...detail,
      lines: sums.lines,
      invoice: {
        ...detail.invoice, adjustment, adjustmentCents: sums.adjustmentCents, standardCents: sums.standardCents, roundingCents: sums.roundingCents,
        linesCents: sums.linesCents, subtotalCents: sums.subtotalCents, taxRateBp, taxCents: sums.taxCents, totalCents: sums.totalCents,
        notes: change.notes ?? detail.invoice.notes, updatedAt: now,
      },
    };
    const clientName = await this.#clientName(detail.invoice.clientId);
    const outcome = await this.deps.store.updateDraft(next, this.#audit(auth, 'invoice_drafted', now, ip, { action: 'changed', client: clientName, invoiceId: id }));
    if (outcome === 'missing') throw notFound('The invoice');
    if (outcome === 'not_draft') throw new HttpError('invoice_state', 'The invoice was issued meanwhile; it can no longer be changed.');
    return this.view(next, clientName);
  }

  async deleteDraft(auth: AuthContext, id: string, ip: string | null): Promise<void> {
    requireRole(auth, 'admin', 'manager');
    const detail = await this.#find(auth, id);
    const clientName = await this.#clientName(detail.invoice.clientId);
    const outcome = await this.deps.store.deleteDraft(auth.user.workspaceId, id, this.#audit(auth, 'invoice_drafted', this.deps.clock.now(), ip, { action: 'deleted', client: clientName, invoiceId: id }));
    if (outcome === 'missing') throw notFound('The invoice');
    if (outcome === 'not_draft') throw new HttpError('invoice_state', 'Only a draft can be deleted; an issued invoice is voided, and keeps its number.');
  }

  async issue(auth: AuthContext, id: string, body: { dueDate?: string }, ip: string | null): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock, hub } = this.deps;
    const workspaceId = auth.user.workspaceId;
    const settings = await store.getWorkspaceSettings(workspaceId);
    const timeZone = settings?.timeZone ?? 'UTC';
    const now = clock.now();
    // The year and the issue date are the firm's (workspace zone): 31 December 23:30 in Auckland is next year's number.
    const issued = localDate(now, timeZone);
    const issueDate = formatCivil(issued);
    const dueDate = body.dueDate === undefined ? formatCivil(addDays(issued, DEFAULT_PAYMENT_DAYS)) : formatCivil(civil(body.dueDate, 'body.dueDate'));
    if (dueDate < issueDate) throw new HttpError('invalid_request', `The due date ${dueDate} is before the issue date ${issueDate}.`);
    const result = await store.issueInvoice(
      workspaceId,
      id.toLowerCase(),
      { at: now, by: auth.user.id, year: issued.year, issueDate, dueDate, format: invoiceNumber, requireApprovedWeeks: settings?.requireApprovedWeeks ?? false },
      this.#audit(auth, 'invoice_issued', now, ip, { invoiceId: id }),
    );
    switch (result.outcome) {
      case 'missing':
        throw notFound('The invoice');
      case 'not_draft':
        throw new HttpError('invoice_state', 'Only a draft can be issued; this invoice was issued or voided already.');
      case 'stale':
        throw new HttpError('invoice_stale', `${result.ids.length} of the draft's entries changed, were deleted or were billed since it was drafted (${listed(result.ids)}); delete the draft and draft it again.`);
      case 'timer_running':
        throw new HttpError('invoice_timer_running', `A timer of this client is still running in the invoice's period (${listed(result.ids)}); stop it before issuing.`);
      case 'unapproved':
        throw new HttpError('week_not_approved', `Your firm bills only approved weeks: ${result.ids.length} of the entries are in weeks not approved (${listed(result.ids)}).`);
      case 'issued':
        for (const userId of result.owners) hub.timeChanged(workspaceId, { type: 'time.changed', entryId: null, userId, change: 'billed' });
        return this.get(auth, result.invoice.id);
    }
  }

  async void(auth: AuthContext, id: string, reason: string, ip: string | null): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock, hub } = this.deps;
    const trimmed = reason.trim();
    if (trimmed === '') throw new HttpError('invalid_request', 'Voiding an invoice needs a reason.');
    const now = clock.now();
    const result = await store.voidInvoice(auth.user.workspaceId, id.toLowerCase(), { at: now, by: auth.user.id, reason: trimmed }, this.#audit(auth, 'invoice_voided', now, ip, { invoiceId: id, reason: trimmed }));
    if (result.outcome !== 'voided') {
      if (result.outcome === 'missing') throw notFound('The invoice');
      if (result.outcome === 'paid') throw new HttpError('invoice_state', 'A paid invoice cannot be voided.');
      throw new HttpError('invoice_state', 'Only an issued invoice can be voided (a draft is deleted).');
    }
    for (const userId of result.owners) hub.timeChanged(auth.user.workspaceId, { type: 'time.changed', entryId: null, userId, change: 'unbilled' });
    return this.get(auth, id);
  }

  async markPaid(auth: AuthContext, id: string, paidOn: string, ip: string | null): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const date = formatCivil(civil(paidOn, 'body.paidOn'));
    const detail = await this.#find(auth, id);
    if (detail.invoice.issueDate !== null && date < detail.invoice.issueDate) throw new HttpError('invalid_request', `The payment date ${date} is before the issue date ${detail.invoice.issueDate}.`);
    const now = this.deps.clock.now();
    const outcome = await this.deps.store.markInvoicePaid(auth.user.workspaceId, detail.invoice.id, date, now, this.#audit(auth, 'invoice_paid', now, ip, { invoiceId: id, number: detail.invoice.number, paidOn: date }));
    if (outcome === 'missing') throw notFound('The invoice');
    if (outcome === 'not_issued') throw new HttpError('invoice_state', 'Only an issued invoice can be marked paid.');
    return this.get(auth, id);
  }

  async get(auth: AuthContext, id: string): Promise<Invoice> {
    requireRole(auth, 'admin', 'manager');
    const detail = await this.#find(auth, id);
    return this.view(detail, await this.#clientName(detail.invoice.clientId));
  }

  async list(auth: AuthContext, query: { status?: StoredInvoice['status']; clientId?: string }): Promise<InvoiceSummary[]> {
    requireRole(auth, 'admin', 'manager');
    const { store } = this.deps;
    const invoices = await store.listInvoices(auth.user.workspaceId, { ...query, clientId: query.clientId?.toLowerCase(), limit: 500 });
    const names = new Map((await store.listClients(auth.user.workspaceId)).map((c) => [c.id, c.name]));
    return invoices.map((i) => this.#summary(i, names.get(i.clientId) ?? ''));
  }

  /** The invoice as the API, the PDF and the CSV show it. */
  view(detail: InvoiceDetail, clientName: string, leftOut?: Invoice['leftOut']): Invoice {
    const i = detail.invoice;
    const entryIds = new Map<number, string[]>();
    for (const e of detail.entries) {
      const list = entryIds.get(e.position);
      if (list) list.push(e.entryId);
      else entryIds.set(e.position, [e.entryId]);
    }
    const lines: InvoiceLine[] = detail.lines.map((l) => ({
      position: l.position, matterId: l.matterId, activityId: l.activityId, description: l.description, rateCents: l.rateCents,
      entries: l.entries, minutes: l.durationMs / 60_000, hours: hoursOf(l.durationMs), billableMinutes: l.billableMinutes, billableHours: Math.round(l.billableMinutes * 100 / 60) / 100, standardCents: l.standardCents, amountCents: l.amountCents,
      adjustment: l.adjustment, adjustmentCents: l.adjustmentCents, totalCents: l.totalCents, entryIds: entryIds.get(l.position) ?? [],
    }));
    return {
      ...this.#summary(i, clientName),
      standardCents: i.standardCents, roundingCents: i.roundingCents, linesCents: i.linesCents, adjustment: i.adjustment,
      adjustmentCents: i.adjustmentCents, subtotalCents: i.subtotalCents, taxLabel: i.taxLabel, taxRateBp: i.taxRateBp, taxCents: i.taxCents,
      realization: i.standardCents === 0 ? null : Math.round((i.subtotalCents / i.standardCents) * 10_000) / 10_000,
      notes: i.notes, issuedAt: iso(i.issuedAt), voidedAt: iso(i.voidedAt), voidReason: i.voidReason,
      ...(leftOut ? { leftOut } : {}),
      lines,
    };
  }

  async clientTax(auth: AuthContext, clientId: string): Promise<{ rateBp: number; label: string }> {
    requireRole(auth, 'admin', 'manager');
    const client = await this.deps.store.findClient(clientId.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('The client');
    return (await this.deps.store.clientTax(client.id)) ?? { rateBp: 0, label: 'Tax' };
  }

  /** The client's tax (e.g. VAT 20 %), which new drafts take; drafts made before keep theirs (a draft's tax rate is changed on the draft). */
  async setClientTax(auth: AuthContext, clientId: string, tax: { rateBp: number; label: string }, ip: string | null): Promise<{ rateBp: number; label: string }> {
    requireRole(auth, 'admin', 'manager');
    const client = await this.deps.store.findClient(clientId.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('The client');
    const label = tax.label.trim();
    if (label === '') throw new HttpError('invalid_request', 'Invalid body.label: must not be blank.');
    const outcome = await this.deps.store.setClientTax(auth.user.workspaceId, client.id, { rateBp: tax.rateBp, label },
      this.#audit(auth, 'client_changed', this.deps.clock.now(), ip, { name: client.name, taxRateBp: tax.rateBp, taxLabel: label }));
    if (outcome === 'missing') throw notFound('The client');
    return { rateBp: tax.rateBp, label };
  }

  /** Today in the workspace's zone (invoice dates and WIP ages count from it). */
  async workspaceToday(workspaceId: string) {
    const timeZone = (await this.deps.store.getWorkspaceSettings(workspaceId))?.timeZone ?? 'UTC';
    return { timeZone, today: today(this.deps.clock.now(), timeZone) };
  }

  #summary(i: StoredInvoice, clientName: string): InvoiceSummary {
    return {
      id: i.id, status: i.status, number: i.number, clientId: i.clientId, clientName, currency: i.currency, firstDay: i.firstDay, lastDay: i.lastDay, matterIds: i.matterIds,
      totalCents: i.totalCents, issueDate: i.issueDate, dueDate: i.dueDate, paidOn: i.paidOn, createdAt: new Date(i.createdAt).toISOString(),
    };
  }

  async #find(auth: AuthContext, id: string): Promise<InvoiceDetail> {
    const detail = await this.deps.store.findInvoice(auth.user.workspaceId, id.toLowerCase());
    if (!detail) throw notFound('The invoice');
    return detail;
  }

  async #clientName(clientId: string): Promise<string> {
    return (await this.deps.store.findClient(clientId))?.name ?? '';
  }

  #audit(auth: AuthContext, type: AuditInput['type'], at: number, ip: string | null, detail: Record<string, unknown>): AuditInput {
    return { workspaceId: auth.user.workspaceId, type, at, actorUserId: auth.user.id, sessionId: currentSessionId(auth), ip, detail };
  }
}
