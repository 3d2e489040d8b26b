import type { RoundingRule } from '../../shared/billing/rounding.js';
import type { WipCutoffs, WipRow } from './invoices.js';

/**
 * The billing figures read on every report and dashboard (issue #14 items 3
 * and 5), made to stay fast on large workspaces: WIP from the day table that
 * migration 15's triggers keep (wip_days), and the summary's rounded minutes
 * computed in SQL. Reads only; the triggers keep the day table exact.
 */
export interface BillingReadStore {
  /**
   * Unbilled finished billable amounts (rounded per entry, raw time) by
   * client, matter and currency, split by the entries' start into the aging
   * buckets. Whole UTC days come from the day table; the UTC day holding each
   * cutoff, and each row's oldest day (for its exact oldest start), from the
   * entries themselves.
   */
  wip(workspaceId: string, cutoffs: WipCutoffs): Promise<WipRow[]>;
  /** The same unbilled amounts of entries starting before `cutoff`, per currency (currencies with work only). */
  unbilledBefore(workspaceId: string, cutoff: number): Promise<{ currency: string; amountCents: number }[]>;
  /**
   * Rounded (billable) minutes of the finished, billable, live entries
   * starting in [from, to) whose effective rounding rule (the matter's, else
   * the client's) rounds per entry, summed by client or by person: each entry
   * rounded as `roundMinutes` does.
   */
  entryRoundedMinutes(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user'): Promise<{ key: string; minutes: number }[]>;
  /** The finished, billable, live entries starting in [from, to) whose effective rule rounds per day per matter, with that rule. */
  dayRoundedEntries(workspaceId: string, from: number, to: number): Promise<RuledEntry[]>;
}

export interface RuledEntry {
  id: string;
  userId: string;
  clientId: string;
  matterId: string | null;
  start: number;
  end: number;
  billable: true;
  hourlyRateCents: number;
  rule: RoundingRule;
}
