import type { AuditInput } from './audit.js';

/** Time entries and billing: the timer, entry writes (idempotent on client-generated ids), totals, reports. */
export interface EntryStore {
  /** An entry by id, deleted ones (tombstones) included. */
  findEntry(id: string): Promise<StoredEntry | undefined>;
  /** Live entries starting in [from, to), by start then id; at most `limit`. */
  listEntries(query: EntryListQuery): Promise<StoredEntry[]>;
  /** Inserts unless the id exists; refuses a second running entry for the user. */
  insertEntry(entry: StoredEntry, lock?: ApprovalLock): Promise<'inserted' | 'exists' | 'running_conflict' | 'client_missing' | 'week_approved'>;
  /** Replaces a live entry's fields if its version is still `version` (then version + 1); the audit row (a correction by someone else) only if it did. */
  updateEntry(entry: StoredEntry, version: number, audit?: AuditInput, lock?: ApprovalLock): Promise<'updated' | 'stale' | 'running_conflict' | 'client_missing' | 'week_approved'>;
  /** Marks a live entry deleted if its version is still `version`; the audit row only if it did. */
  deleteEntry(id: string, version: number, at: number, audit?: AuditInput, lock?: ApprovalLock): Promise<'deleted' | 'stale' | 'week_approved'>;
  /** Ids of the user's live entries that overlap [start, end) (end null = open-ended), except `exceptId`. */
  overlappingEntries(userId: string, start: number, end: number | null, exceptId: string): Promise<string[]>;
  /**
   * In one transaction: stops the user's running entry (at `now`, or 1 ms after
   * its start if that is later) and inserts `entry` as the new running one.
   * Answers 'exists' (and changes nothing) when the id is taken; with
   * `refuseInApprovedWeek`, 'week_approved' when `now` is in an approved week
   * of the user (checked in the same step as a week's approval, which takes
   * turns with the timer: never both).
   */
  startTimer(
    entry: StoredEntry,
    now: number,
    options?: { refuseInApprovedWeek?: boolean },
  ): Promise<{ outcome: 'started' | 'exists' | 'client_missing' | 'week_approved'; stopped: StoredEntry | null }>;
  /** Stops the user's running entry (only `id`, if given); answers it, or undefined when none ran. */
  stopTimer(userId: string, id: string | null, now: number): Promise<StoredEntry | undefined>;
  runningEntries(workspaceId: string, userId: string | null): Promise<StoredEntry[]>;
  /** The user's live entries that overlap [from, to), running ones included: what the dashboard sums. */
  entrySpans(userId: string, from: number, to: number): Promise<{ start: number; end: number | null; billable: boolean }[]>;
  /** Finished, billable, unbilled amounts per currency (rounded per entry), for a workspace or one user. */
  unbilledTotals(workspaceId: string, userId: string | null): Promise<{ currency: string; amountCents: number }[]>;
  /** Finished live entries starting in [from, to), summed by client or user and currency. */
  summarize(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user'): Promise<SummaryRow[]>;
  /** Finished live entries starting in [from, to) with their user and client, by start: the CSV export. */
  exportEntries(workspaceId: string, from: number, to: number): Promise<ExportRow[]>;
  /**
   * Marks finished entries billed, all or nothing: answers the ids that are not
   * live finished entries of the workspace (and then changes nothing). With
   * `requireApprovedWeeks` (the workspace setting), also the entries not yet
   * billed that start outside their owner's approved weeks, checked in the
   * same step (a week reopened meanwhile cannot slip through).
   */
  markBilled(
    workspaceId: string,
    ids: string[],
    at: number,
    audit?: AuditInput,
    options?: { requireApprovedWeeks?: boolean; reference?: string | null },
  ): Promise<{ missing: string[]; running: string[]; unapproved?: string[]; billed: number; alreadyBilled: number; owners: string[] }>;
  /**
   * Un-bills entries billed through Mark billed, all or nothing: answers the
   * ids that are not live entries of the workspace, and those billed by an
   * issued invoice (which change only by voiding it), and then changes
   * nothing; entries not billed are counted, not changed.
   */
  unbill(workspaceId: string, ids: string[], audit: AuditInput): Promise<{ missing: string[]; invoiced: string[]; unbilled: number; notBilled: number; owners: string[] }>;
}

/**
 * The approval lock, checked inside a write's own step (taking turns with a
 * week's approval): the write answers 'week_approved' and changes nothing
 * when any of `instants` is in an approved week of `userId`.
 */
export interface ApprovalLock {
  userId: string;
  instants: number[];
}

export interface StoredEntry {
  id: string;
  workspaceId: string;
  userId: string;
  clientId: string;
  description: string;
  start: number;
  end: number | null;
  billable: boolean;
  hourlyRateCents: number;
  currency: string;
  billedAt: number | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  version: number;
  /** Who last changed it when that was not its owner (a correction); null (or left out) after the owner's own write. */
  changedBy?: string | null;
  /** Migration 9: the matter (of the entry's client) and the activity, both optional (null or left out: none). */
  matterId?: string | null;
  activityId?: string | null;
  /** The issued invoice that billed it (read only: set by issuing, cleared by voiding). */
  invoiceId?: string | null;
}

export interface EntryListQuery {
  workspaceId: string;
  userId?: string;
  clientId?: string;
  from: number;
  to: number;
  limit: number;
}

export interface SummaryRow {
  key: string;
  currency: string;
  entries: number;
  durationMs: number;
  billableMs: number;
  amountCents: number;
  unbilledCents: number;
}

export interface ExportRow {
  id: string;
  userId: string;
  clientId: string;
  matterId: string | null;
  activityId: string | null;
  /** The matter's code and name and the activity's name ('' without one). */
  matterCode: string;
  matterName: string;
  activityName: string;
  start: number;
  end: number;
  userEmail: string;
  userName: string;
  clientName: string;
  description: string;
  billable: boolean;
  hourlyRateCents: number;
  currency: string;
  billedAt: number | null;
}
