import { amountCents } from '../../shared/api/time.js';
import { billingUnits, type RoundingRule } from '../../shared/billing/rounding.js';
import type { Adjustment, DraftableEntry, StoredInvoiceEntry, StoredInvoiceLine } from '../store/types.js';

/**
 * The invoice's arithmetic, in integer cents (README: "an amount is rounded to
 * the cent once per billing unit, and every total adds rounded amounts").
 *
 * - An entry's standard (WIP) value: raw time × rate, rounded half up once
 *   per entry, exactly as the unbilled totals and reports count it.
 * - The billed amount: per billing unit (an entry, or a person's day on a
 *   matter at one rate) of the client's or matter's rounding rule
 *   (shared/billing/rounding.ts), rounded once per unit. Units are made
 *   within a line, so a day-per-matter group is also per activity: every
 *   unit belongs to exactly one line. The rounding figure is billed − WIP.
 * - A line adds its entries' billed amounts; its adjustment is computed on
 *   that sum and rounded once (half away from zero); the total's adjustment
 *   on the sum of the lines, rounded once; tax on the subtotal, rounded once.
 */

/** Raw time × rate, rounded half up to the cent: the shared rule (shared/api/time.ts). */
export const standardCents = amountCents;

/** numerator / denominator rounded half away from zero, exactly (BigInt: a percentage of a large sum can pass 2^53). */
export function divideRounded(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return Number(negative ? -q : q);
}

/** What an adjustment adds to `base` (negative for a write-down). */
export function adjustmentCents(base: number, adjustment: Adjustment | null): number {
  if (!adjustment) return 0;
  if (adjustment.kind === 'amount') return adjustment.value;
  return divideRounded(BigInt(base) * BigInt(adjustment.value), 10_000n);
}

/** Tax on a (non-negative) subtotal, rounded half up once. */
export const taxCents = (subtotal: number, rateBp: number): number => divideRounded(BigInt(subtotal) * BigInt(rateBp), 10_000n);

export interface DraftLines {
  lines: StoredInvoiceLine[];
  entries: StoredInvoiceEntry[];
}

/**
 * Groups entries into lines by matter, activity and rate (so every line has one
 * rate), in that order; each line lists its entries.
 */
export function groupLines(
  entries: DraftableEntry[],
  describe: (matterId: string | null, activityId: string | null) => string,
  ruleOf: (matterId: string | null) => RoundingRule,
  dayOf: (ms: number) => string,
): DraftLines {
  const groups = new Map<string, DraftableEntry[]>();
  for (const e of entries) {
    const key = JSON.stringify([e.matterId ?? '', e.activityId ?? '', e.hourlyRateCents]);
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const ordered = [...groups.values()].sort((a, b) => {
    const x = a[0]!;
    const y = b[0]!;
    return (x.matterId ?? '').localeCompare(y.matterId ?? '') || (x.activityId ?? '').localeCompare(y.activityId ?? '') || y.hourlyRateCents - x.hourlyRateCents;
  });
  const lines: StoredInvoiceLine[] = [];
  const rows: StoredInvoiceEntry[] = [];
  ordered.forEach((group, index) => {
    const position = index + 1;
    const first = group[0]!;
    const units = billingUnits(
      group.map((e) => ({ id: e.id, userId: e.userId, clientId: '', matterId: e.matterId, day: dayOf(e.start), rawMs: e.end - e.start, hourlyRateCents: e.hourlyRateCents })),
      ruleOf(first.matterId),
    );
    // A unit's amount is kept on its first entry (a group's entries share one rounded amount).
    const billedOf = new Map<string, number>();
    let billableMinutes = 0;
    let amount = 0;
    for (const u of units) {
      billedOf.set(u.entryIds[0]!, u.amountCents);
      billableMinutes += u.billableMinutes;
      amount += u.amountCents;
    }
    let durationMs = 0;
    let standard = 0;
    for (const e of group) {
      const duration = e.end - e.start;
      const value = standardCents(duration, e.hourlyRateCents);
      durationMs += duration;
      standard += value;
      rows.push({ entryId: e.id, position, entryVersion: e.version, standardCents: value, amountCents: billedOf.get(e.id) ?? 0 });
    }
    lines.push({
      position, matterId: first.matterId, activityId: first.activityId, description: describe(first.matterId, first.activityId),
      rateCents: first.hourlyRateCents, entries: group.length, durationMs, billableMinutes, standardCents: standard, amountCents: amount,
      adjustment: null, adjustmentCents: 0, totalCents: amount,
    });
  });
  return { lines, entries: rows };
}

export interface InvoiceFigures {
  lines: StoredInvoiceLine[];
  standardCents: number;
  roundingCents: number;
  linesCents: number;
  adjustmentCents: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

/** The lines' and the invoice's figures from the lines' amounts, their adjustments, the total's adjustment and the tax rate. */
export function figures(lines: StoredInvoiceLine[], adjustment: Adjustment | null, taxRateBp: number): InvoiceFigures {
  const adjusted = lines.map((line) => {
    const cents = adjustmentCents(line.amountCents, line.adjustment);
    return { ...line, adjustmentCents: cents, totalCents: line.amountCents + cents };
  });
  const standard = adjusted.reduce((sum, l) => sum + l.standardCents, 0);
  const amount = adjusted.reduce((sum, l) => sum + l.amountCents, 0);
  const linesCents = adjusted.reduce((sum, l) => sum + l.totalCents, 0);
  const totalAdjustment = adjustmentCents(linesCents, adjustment);
  const subtotal = linesCents + totalAdjustment;
  const tax = subtotal > 0 ? taxCents(subtotal, taxRateBp) : 0;
  return {
    lines: adjusted,
    standardCents: standard,
    roundingCents: amount - standard,
    linesCents,
    adjustmentCents: totalAdjustment,
    subtotalCents: subtotal,
    taxCents: tax,
    totalCents: subtotal + tax,
  };
}
