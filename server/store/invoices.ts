import type { AuditInput } from './audit.js';

/**
 * Invoices (issue #14 item 4) and the figures read from them and from the
 * unbilled entries (item 5: WIP, realization). Each method is one atomic step
 * with its audit row. Issuing and voiding take turns per workspace
 * (`invoicing:<workspaceId>`), so numbers stay gapless and an entry is billed
 * by one issued invoice at most.
 */
export interface InvoiceStore {
  /**
   * The client's finished, billable, unbilled live entries starting in
   * [from, to), by start then id; and how many were left out because they
   * run, are in another currency than `currency`, or (with
   * `requireApprovedWeeks`) start outside their owner's approved weeks.
   */
  draftableEntries(query: DraftableQuery): Promise<{ entries: DraftableEntry[]; running: number; otherCurrency: number; unapproved: number }>;
  /** Inserts a draft with its lines and entries. */
  insertDraft(draft: InvoiceDetail, audit: AuditInput): Promise<void>;
  /** Replaces a draft's editable figures (adjustments, tax, notes, every line's adjustment) if it is still a draft. */
  updateDraft(draft: InvoiceDetail, audit: AuditInput): Promise<'updated' | 'not_draft' | 'missing'>;
  deleteDraft(workspaceId: string, id: string, audit: AuditInput): Promise<'deleted' | 'not_draft' | 'missing'>;
  findInvoice(workspaceId: string, id: string): Promise<InvoiceDetail | undefined>;
  /** Newest first, at most `limit`. */
  listInvoices(workspaceId: string, query: { status?: InvoiceStatus; clientId?: string; limit: number }): Promise<StoredInvoice[]>;
  /**
   * Issues a draft: refuses (changing nothing) when it is not a draft, when
   * one of its entries changed, was deleted or was billed since it was
   * drafted ('stale'), when a timer of the client runs in its period
   * ('timer_running'), or with `requireApprovedWeeks` when an entry is
   * outside its owner's approved weeks. Otherwise takes the next number of
   * the workspace's year, marks every entry billed by this invoice (version
   * + 1) and answers the invoice and the entries' owners.
   */
  issueInvoice(workspaceId: string, id: string, issue: IssueInput, audit: AuditInput): Promise<IssueOutcome>;
  /** Voids an issued, unpaid invoice: its entries are unbilled (version + 1); its number stays, marked void. */
  voidInvoice(workspaceId: string, id: string, input: { at: number; by: string; reason: string }, audit: AuditInput):
    Promise<{ outcome: 'voided'; owners: string[] } | { outcome: 'not_issued' | 'paid' | 'missing' }>;
  /** Records an issued invoice as paid on `paidOn` (YYYY-MM-DD). */
  markInvoicePaid(workspaceId: string, id: string, paidOn: string, at: number, audit: AuditInput): Promise<'paid' | 'not_issued' | 'missing'>;
  /** Issued invoices' lines issued in [from, to), summed by client, matter and currency: standard value against billed amount. */
  realization(workspaceId: string, from: number, to: number): Promise<RealizationRow[]>;
  /** The client's tax rate (basis points) and label, with its audit row. */
  setClientTax(workspaceId: string, clientId: string, tax: { rateBp: number; label: string }, audit: AuditInput): Promise<'updated' | 'missing'>;
  clientTax(clientId: string): Promise<{ rateBp: number; label: string } | undefined>;
}

export type InvoiceStatus = 'draft' | 'issued' | 'void';
export type AdjustmentKind = 'amount' | 'percent';

export interface DraftableQuery {
  workspaceId: string;
  clientId: string;
  currency: string;
  from: number;
  to: number;
  requireApprovedWeeks: boolean;
  /** Only these matters' entries; empty or left out: all of the client's. */
  matterIds?: string[];
}

export interface DraftableEntry {
  id: string;
  userId: string;
  start: number;
  end: number;
  hourlyRateCents: number;
  version: number;
  description: string;
  matterId: string | null;
  activityId: string | null;
}

/** An adjustment (write-up > 0, write-down < 0): cents, or basis points of what it adjusts; always with a reason. */
export interface Adjustment {
  kind: AdjustmentKind;
  value: number;
  reason: string;
}

export interface StoredInvoice {
  id: string;
  workspaceId: string;
  clientId: string;
  status: InvoiceStatus;
  number: string | null;
  currency: string;
  periodFrom: number;
  periodTo: number;
  firstDay: string;
  lastDay: string;
  /** The matters the draft was limited to (empty: all of the client's work). */
  matterIds: string[];
  standardCents: number;
  roundingCents: number;
  linesCents: number;
  adjustment: Adjustment | null;
  adjustmentCents: number;
  subtotalCents: number;
  taxLabel: string;
  taxRateBp: number;
  taxCents: number;
  totalCents: number;
  notes: string;
  issueDate: string | null;
  dueDate: string | null;
  issuedAt: number | null;
  issuedBy: string | null;
  paidOn: string | null;
  voidedAt: number | null;
  voidReason: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredInvoiceLine {
  position: number;
  matterId: string | null;
  activityId: string | null;
  description: string;
  rateCents: number;
  entries: number;
  durationMs: number;
  /** Billed time after the rounding rule, in whole minutes. */
  billableMinutes: number;
  standardCents: number;
  amountCents: number;
  adjustment: Adjustment | null;
  adjustmentCents: number;
  totalCents: number;
}

export interface StoredInvoiceEntry {
  entryId: string;
  position: number;
  entryVersion: number;
  standardCents: number;
  amountCents: number;
}

export interface InvoiceDetail {
  invoice: StoredInvoice;
  lines: StoredInvoiceLine[];
  entries: StoredInvoiceEntry[];
}

export interface IssueInput {
  at: number;
  by: string;
  year: number;
  issueDate: string;
  dueDate: string;
  /** The number's text from the year and sequence, e.g. INV-2026-0001. */
  format: (year: number, sequence: number) => string;
  requireApprovedWeeks: boolean;
}

export type IssueOutcome =
  | { outcome: 'issued'; invoice: StoredInvoice; owners: string[] }
  | { outcome: 'not_draft' | 'missing' }
  | { outcome: 'stale' | 'timer_running' | 'unapproved'; ids: string[] };

/** Instants where the aging buckets begin: entries starting at or after `days30` are 0–30 days old, and so on. */
export interface WipCutoffs {
  days30: number;
  days60: number;
  days90: number;
}

export interface WipRow {
  clientId: string;
  matterId: string | null;
  currency: string;
  entries: number;
  durationMs: number;
  /** 0–30, 31–60, 61–90, over 90 days. */
  buckets: [number, number, number, number];
  oldestStart: number;
}

export interface RealizationRow {
  clientId: string;
  matterId: string | null;
  currency: string;
  invoices: number;
  standardCents: number;
  billedCents: number;
}
