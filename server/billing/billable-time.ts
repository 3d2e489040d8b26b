import { billingUnits, DEFAULT_ROUNDING, effectiveRounding, type BillableEntry, type BillingUnit, type RoundingRule } from '../../shared/billing/rounding.js';
import { localDateCache } from '../../shared/time/zoned-days.js';
import type { RoundableEntry } from '../store/billing-reads.js';
import type { TabStore } from '../store/types.js';

export interface BillableTime {
  /** The billing units of the billable entries, each rounded once. */
  units: BillingUnit[];
  /** Each billable entry's unit. */
  unitOf: Map<string, BillingUnit>;
}

/**
 * Billable (rounded) time of finished entries under their clients' and
 * matters' rules (issue #14 item 3). Days are counted in the workspace's
 * zone, the zone invoices are made in, so a report and an invoice of the
 * same entries round alike. Raw times are never changed.
 */
export class BillableTimeService {
  constructor(private readonly deps: { store: TabStore }) {}

  async of(workspaceId: string, entries: readonly RoundableEntry[]): Promise<BillableTime> {
    const { store } = this.deps;
    const [clients, matters, settings] = await Promise.all([store.listClients(workspaceId), store.listMatters(workspaceId), store.getWorkspaceSettings(workspaceId)]);
    const clientRule = new Map(clients.map((c) => [c.id, c.rounding ?? DEFAULT_ROUNDING]));
    const matterRule = new Map(matters.map((m) => [m.id, m.rounding]));
    return billableTime(entries, (e) => effectiveRounding(clientRule.get(e.clientId) ?? DEFAULT_ROUNDING, e.matterId ? matterRule.get(e.matterId) : null), settings?.timeZone ?? 'UTC');
  }
}

/** The pure part: entries split by the rule that applies to them, each part made into units. */
export function billableTime(entries: readonly RoundableEntry[], ruleOf: (e: RoundableEntry) => RoundingRule, timeZone: string): BillableTime {
  const byRule = new Map<string, { rule: RoundingRule; entries: BillableEntry[] }>();
  const dayOf = localDateCache(timeZone);
  for (const e of entries) {
    if (!e.billable) continue;
    const rule = ruleOf(e);
    const key = `${rule.incrementMinutes}|${rule.mode}|${rule.scope}`;
    let part = byRule.get(key);
    if (!part) byRule.set(key, (part = { rule, entries: [] }));
    part.entries.push({ id: e.id, userId: e.userId, clientId: e.clientId, matterId: e.matterId, day: dayOf(e.start), rawMs: e.end - e.start, hourlyRateCents: e.hourlyRateCents });
  }
  const units = [...byRule.values()].flatMap((part) => billingUnits(part.entries, part.rule));
  const unitOf = new Map<string, BillingUnit>();
  for (const unit of units) for (const id of unit.entryIds) unitOf.set(id, unit);
  return { units, unitOf };
}
