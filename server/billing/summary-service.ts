import { hoursOf, RANGE_MAX_MS, type Money, type Summary, type SummaryGroup, type SummaryQuery } from '../../shared/api/time.js';
import { requireRole } from '../http/request-context.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { TabStore } from '../store/types.js';
import { parseRange } from '../time/time-views.js';
import { billableTime } from './billable-time.js';
import { DEFAULT_ROUNDING, effectiveRounding, type RoundingRule } from '../../shared/billing/rounding.js';

const methodKey = (r: Pick<RoundingRule, 'incrementMinutes' | 'mode'>) => `${r.incrementMinutes}|${r.mode}`;

/** Adds cents into a per-currency total. */
export function addMoney(totals: Map<string, number>, currency: string, cents: number): void {
  totals.set(currency, (totals.get(currency) ?? 0) + cents);
}

/** Per-currency totals as the API lists them, by currency code. */
export const moneyList = (totals: Map<string, number>): Money[] =>
  [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountCents]) => ({ currency, amountCents }));

/**
 * The manager's summary (GET /reports/summary): hours and amounts of finished
 * entries starting in [from, to), by client or by person, raw and rounded side
 * by side. The rounded minutes of entries rounded per entry are summed in SQL
 * (`roundedMinuteSums`: the same integer arithmetic as `roundMinutes`, once
 * per rule in use, the rule of each client and matter picked here); only
 * the entries under a day-per-matter rule are read out and made into billing
 * units here, days in the workspace's zone, as invoices make them. A unit
 * belongs to one client and one person, so its minutes go to its group whole.
 */
export class SummaryService {
  constructor(private readonly deps: { store: TabStore }) {}

  async summary(auth: AuthContext, query: SummaryQuery): Promise<Summary> {
    requireRole(auth, 'admin', 'manager');
    const { store } = this.deps;
    const workspaceId = auth.user.workspaceId;
    const { from, to } = parseRange(query, RANGE_MAX_MS);
    const groupBy = query.groupBy ?? 'client';
    const [rows, names, roundedMinutes] = await Promise.all([
      store.summarize(workspaceId, from, to, groupBy),
      this.#names(workspaceId, groupBy),
      this.roundedMinutes(workspaceId, from, to, groupBy),
    ]);
    type Acc = { entries: number; ms: number; billableMs: number; roundedMinutes: number; amounts: Map<string, number>; unbilled: Map<string, number> };
    const fresh = (): Acc => ({ entries: 0, ms: 0, billableMs: 0, roundedMinutes: 0, amounts: new Map(), unbilled: new Map() });
    const groups = new Map<string, Acc>();
    const total = fresh();
    for (const [key, minutes] of roundedMinutes) {
      const g = groups.get(key) ?? fresh();
      groups.set(key, g);
      g.roundedMinutes += minutes;
      total.roundedMinutes += minutes;
    }
    for (const r of rows) {
      const g = groups.get(r.key) ?? fresh();
      groups.set(r.key, g);
      for (const acc of [g, total]) {
        acc.entries += r.entries;
        acc.ms += r.durationMs;
        acc.billableMs += r.billableMs;
        addMoney(acc.amounts, r.currency, r.amountCents);
        addMoney(acc.unbilled, r.currency, r.unbilledCents);
      }
    }
    const view = (a: Acc) => ({
      entries: a.entries,
      hours: hoursOf(a.ms),
      billableHours: hoursOf(a.billableMs),
      roundedHours: Math.round((a.roundedMinutes / 60) * 100) / 100,
      amounts: moneyList(a.amounts),
      unbilledAmounts: moneyList(a.unbilled),
    });
    const list: SummaryGroup[] = [...groups.entries()]
      .map(([id, a]) => ({ id, name: names.get(id) ?? '', ...view(a) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), groupBy, groups: list, totals: view(total) };
  }

  /**
   * Rounded (billable) minutes of the finished, billable entries starting in
   * [from, to), by client or person: what `BillableTimeService.of` gives for
   * those entries, without reading the ones rounded per entry out of SQL.
   */
  async roundedMinutes(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user'): Promise<Map<string, number>> {
    const { store } = this.deps;
    const [clients, matters] = await Promise.all([store.listClients(workspaceId), store.listMatters(workspaceId)]);
    const clientRule = new Map(clients.map((c) => [c.id, c.rounding ?? DEFAULT_ROUNDING]));
    const matterRule = new Map(matters.filter((m) => m.rounding !== null).map((m) => [m.id, m.rounding!]));
    const ruleOf = (clientId: string, matterId: string | null) =>
      effectiveRounding(clientRule.get(clientId) ?? DEFAULT_ROUNDING, matterId === null ? null : matterRule.get(matterId));
    // The per-entry rules in use, each summed once in SQL; grouped by matter only where a matter has a rule of its own.
    const rules = [...clientRule.values(), ...matterRule.values(), DEFAULT_ROUNDING];
    const methods = [...new Map(rules.filter((r) => r.scope === 'entry').map((r) => [methodKey(r), r])).values()];
    const methodIndex = new Map(methods.map((r, i) => [methodKey(r), i]));
    const anyDayRule = rules.some((r) => r.scope === 'day-per-matter');
    const [sums, dayRounded, settings] = await Promise.all([
      store.roundedMinuteSums(workspaceId, from, to, groupBy, { byMatter: matterRule.size > 0, rules: methods }),
      anyDayRule ? store.dayRoundedEntries(workspaceId, from, to) : [],
      anyDayRule ? store.getWorkspaceSettings(workspaceId) : undefined,
    ]);
    const minutes = new Map<string, number>();
    const add = (key: string, m: number) => minutes.set(key, (minutes.get(key) ?? 0) + m);
    for (const row of sums) {
      const rule = ruleOf(row.clientId, row.matterId);
      if (rule.scope === 'entry') add(row.key, row.minutes[methodIndex.get(methodKey(rule))!]!);
    }
    if (dayRounded.length > 0) {
      const dayRule = new Map(dayRounded.map((e) => [e.id, e.rule]));
      const { units } = billableTime(dayRounded, (e) => dayRule.get(e.id)!, settings?.timeZone ?? 'UTC');
      for (const u of units) add(groupBy === 'client' ? u.clientId : u.userId, u.billableMinutes);
    }
    return minutes;
  }

  async #names(workspaceId: string, groupBy: 'client' | 'user'): Promise<Map<string, string>> {
    const { store } = this.deps;
    return new Map<string, string>(
      groupBy === 'client'
        ? (await store.listClients(workspaceId)).map((c) => [c.id, c.name])
        : (await store.listUsers(workspaceId)).map((u) => [u.id, u.name]),
    );
  }
}
