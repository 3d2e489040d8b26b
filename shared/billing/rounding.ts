/**
 * Rounding rules (issue #14 item 3): a client's agreement, which a matter may
 * override. Raw times are always stored; rounding is applied when billing,
 * so reports can show raw and billable hours side by side.
 *
 * - increment: 1, 6, 10, 15 or 30 minutes;
 * - mode: up, nearest (half up: 7:30 of a 15-minute increment is 15) or down;
 * - scope: 'entry' rounds each entry; 'day-per-matter' adds a person's
 *   entries of one day on one matter (at one rate) first and rounds the sum,
 *   so six 47-second timer runs on a matter are one 6-minute unit, not six.
 *
 * Grouping is by person as well as by day and matter: two colleagues'
 * time on the same matter is two pieces of work, each at its own rate. An
 * entry without a matter groups under its client.
 */
import { amountForMinutes } from './money.js';

export const ROUNDING_INCREMENTS = [1, 6, 10, 15, 30] as const;
export type RoundingIncrement = (typeof ROUNDING_INCREMENTS)[number];
export const ROUNDING_MODES = ['up', 'nearest', 'down'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
export const ROUNDING_SCOPES = ['entry', 'day-per-matter'] as const;
export type RoundingScope = (typeof ROUNDING_SCOPES)[number];

export interface RoundingRule {
  incrementMinutes: RoundingIncrement;
  mode: RoundingMode;
  scope: RoundingScope;
}

/** A client without a rule of its own: to the nearest minute, per entry. */
export const DEFAULT_ROUNDING: RoundingRule = { incrementMinutes: 1, mode: 'nearest', scope: 'entry' };

/** The rule that applies to a matter's work: the matter's own when it has one, else its client's. */
export function effectiveRounding(client: RoundingRule, matter: RoundingRule | null | undefined): RoundingRule {
  return matter ?? client;
}

const MINUTE = 60_000;

/** Billable whole minutes for a raw duration in milliseconds under an increment and mode. */
export function roundMinutes(rawMs: number, rule: Pick<RoundingRule, 'incrementMinutes' | 'mode'>): number {
  if (!(rawMs >= 0) || !Number.isFinite(rawMs)) throw new RangeError('a duration is a non-negative number of milliseconds');
  const unit = rule.incrementMinutes * MINUTE;
  const units =
    rule.mode === 'up' ? Math.ceil(rawMs / unit) : rule.mode === 'down' ? Math.floor(rawMs / unit) : Math.floor((rawMs + unit / 2) / unit);
  return units * rule.incrementMinutes;
}

/** What the billing rules need to know about one finished entry. */
export interface BillableEntry {
  id: string;
  userId: string;
  clientId: string;
  matterId: string | null;
  /** The day the entry counts in (`YYYY-MM-DD` of its start in the zone the caller bills in). */
  day: string;
  rawMs: number;
  hourlyRateCents: number;
}

/** One billing unit: an entry, or a day-per-matter group. Its amount is rounded to the cent once. */
export interface BillingUnit {
  entryIds: string[];
  userId: string;
  clientId: string;
  matterId: string | null;
  /** The group's day ('entry' scope: the entry's day). */
  day: string;
  rawMs: number;
  billableMinutes: number;
  hourlyRateCents: number;
  amountCents: number;
}

/**
 * The billing units of some entries under one rule (the caller splits by
 * rule: entries of matters with their own rule apart from their client's).
 * Units come in the entries' order (a group where its first entry was).
 */
export function billingUnits(entries: readonly BillableEntry[], rule: RoundingRule): BillingUnit[] {
  const unit = (group: BillableEntry[]): BillingUnit => {
    const first = group[0]!;
    const rawMs = group.reduce((sum, e) => sum + e.rawMs, 0);
    const billableMinutes = roundMinutes(rawMs, rule);
    return {
      entryIds: group.map((e) => e.id),
      userId: first.userId,
      clientId: first.clientId,
      matterId: first.matterId,
      day: first.day,
      rawMs,
      billableMinutes,
      hourlyRateCents: first.hourlyRateCents,
      amountCents: amountForMinutes(billableMinutes, first.hourlyRateCents),
    };
  };
  if (rule.scope === 'entry') return entries.map((e) => unit([e]));
  const groups = new Map<string, BillableEntry[]>();
  for (const e of entries) {
    const key = JSON.stringify([e.day, e.userId, e.clientId, e.matterId, e.hourlyRateCents]);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()].map(unit);
}

/** Totals that add rounded amounts, never re-round a sum. */
export function totalOf(units: readonly BillingUnit[]): { rawMs: number; billableMinutes: number; amountCents: number } {
  let rawMs = 0;
  let billableMinutes = 0;
  let amountCents = 0;
  for (const u of units) {
    rawMs += u.rawMs;
    billableMinutes += u.billableMinutes;
    amountCents += u.amountCents;
  }
  return { rawMs, billableMinutes, amountCents };
}
