import type { RoundingRule } from '../../shared/billing/rounding.js';

export type RoundingMethod = Pick<RoundingRule, 'incrementMinutes' | 'mode'>;

export interface RoundedMinuteSums {
  key: string;
  clientId: string;
  /** null: no matter, or not grouped by matter. */
  matterId: string | null;
  /** One sum per rule asked for, in its order. */
  minutes: number[];
}
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
   * starting in [from, to), summed by client or person and by client (and,
   * with `byMatter`, by matter), once under each of `rules`: each entry
   * rounded as `roundMinutes` does. The caller picks, per client and matter,
   * the sum under the rule that applies there (no join, so on SQLite the
   * read stays inside the covering index when no matter has a rule of its own).
   */
  roundedMinuteSums(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user', options: { byMatter: boolean; rules: readonly RoundingMethod[] }): Promise<RoundedMinuteSums[]>;
  /** The finished, billable, live entries starting in [from, to) whose effective rule rounds per day per matter, with that rule. */
  dayRoundedEntries(workspaceId: string, from: number, to: number): Promise<RuledEntry[]>;
}

/** What rounding needs of a finished entry (server/billing/billable-time.ts rounds these). */
export interface RoundableEntry {
  id: string;
  userId: string;
  clientId: string;
  matterId: string | null;
  start: number;
  end: number;
  billable: boolean;
  hourlyRateCents: number;
}

/** A billable entry read out with the rounding rule that applies to it. */
export interface RuledEntry extends RoundableEntry {
  billable: true;
  rule: RoundingRule;
}
