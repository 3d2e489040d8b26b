import type { RealizationReport, WipReport } from '../../shared/api/invoices.js';
import { hoursOf, type Money } from '../../shared/api/time.js';
import { daysPeriod, parseCivil, today } from '../../shared/time/periods.js';
import { addDays, formatCivil, localDate, startOfLocalDay } from '../../shared/time/zoned-days.js';
import { HttpError } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { Clock } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { TabStore, WipCutoffs } from '../store/types.js';

const ratio = (billed: number, standard: number) => (standard === 0 ? null : Math.round((billed / standard) * 10_000) / 10_000);

/**
 * Work in progress and realization (managers and admins). WIP is the
 * unbilled, finished, billable work at raw time (the standard value, rounded
 * per entry like every unbilled figure), aged by the local date (workspace
 * zone) its entry started: 0–30 days back from today, 31–60, 61–90, over 90.
 * Realization is what was billed (issued invoices' line totals, after their
 * line write-ups/downs) against the standard value of the same work.
 */
export class WipService {
  constructor(private readonly deps: { store: TabStore; clock: Clock }) {}

  async wip(auth: AuthContext): Promise<WipReport> {
    requireRole(auth, 'admin', 'manager');
    const { store } = this.deps;
    const { timeZone, cutoffs, todayDate } = await this.#cutoffs(auth.user.workspaceId);
    const rows = await store.wip(auth.user.workspaceId, cutoffs);
    const names = new Map((await store.listClients(auth.user.workspaceId)).map((c) => [c.id, c.name]));
    const totals = new Map<string, [number, number, number, number]>();
    const list = rows.map((r) => {
      const sum = totals.get(r.currency) ?? [0, 0, 0, 0];
      r.buckets.forEach((cents, i) => (sum[i]! += cents));
      totals.set(r.currency, sum);
      return {
        clientId: r.clientId, clientName: names.get(r.clientId) ?? '', matterId: r.matterId, currency: r.currency, entries: r.entries,
        hours: hoursOf(r.durationMs), totalCents: r.buckets.reduce((a, b) => a + b, 0), buckets: bucketsOf(r.buckets),
        oldestDay: formatCivil(localDate(r.oldestStart, timeZone)),
      };
    });
    list.sort((a, b) => a.clientName.localeCompare(b.clientName) || a.currency.localeCompare(b.currency));
    return {
      today: todayDate,
      rows: list,
      totals: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, b]) => ({ currency, totalCents: b.reduce((x, y) => x + y, 0), ...bucketsOf(b) })),
    };
  }

  /** The dashboard tile for managers: unbilled work older than 60 days, per currency. */
  async over60Days(workspaceId: string): Promise<Money[]> {
    // The 61–90 and over-90 buckets: everything starting before the 60-day cutoff, read as whole days from the day table plus the cutoff's own day.
    const { cutoffs } = await this.#cutoffs(workspaceId);
    const sums = await this.deps.store.unbilledBefore(workspaceId, cutoffs.days60);
    return sums.filter((s) => s.amountCents > 0).sort((a, b) => a.currency.localeCompare(b.currency));
  }

  async realization(auth: AuthContext, query: { firstDay: string; lastDay: string }): Promise<RealizationReport> {
    requireRole(auth, 'admin', 'manager');
    const first = parseCivil(query.firstDay);
    const last = parseCivil(query.lastDay);
    if (!first || !last) throw new HttpError('invalid_request', 'Invalid firstDay or lastDay: not a date (YYYY-MM-DD).');
    if (formatCivil(last) < formatCivil(first)) throw new HttpError('invalid_range', 'The period ends before it starts.');
    const timeZone = (await this.deps.store.getWorkspaceSettings(auth.user.workspaceId))?.timeZone ?? 'UTC';
    const period = daysPeriod(first, last, timeZone);
    const rows = await this.deps.store.realization(auth.user.workspaceId, period.from, period.to);
    const names = new Map((await this.deps.store.listClients(auth.user.workspaceId)).map((c) => [c.id, c.name]));
    return {
      rows: rows
        .map((r) => ({ ...r, clientName: names.get(r.clientId) ?? '', realization: ratio(r.billedCents, r.standardCents) }))
        .sort((a, b) => a.clientName.localeCompare(b.clientName) || (a.matterId ?? '').localeCompare(b.matterId ?? '')),
    };
  }

  async #cutoffs(workspaceId: string): Promise<{ timeZone: string; cutoffs: WipCutoffs; todayDate: string }> {
    const timeZone = (await this.deps.store.getWorkspaceSettings(workspaceId))?.timeZone ?? 'UTC';
    const day = today(this.deps.clock.now(), timeZone);
    const d = localDate(day.start, timeZone);
    const back = (n: number) => startOfLocalDay(addDays(d, -n), timeZone);
    return { timeZone, cutoffs: { days30: back(30), days60: back(60), days90: back(90) }, todayDate: day.date };
  }
}

const bucketsOf = (b: readonly number[]) => ({ days0to30: b[0]!, days31to60: b[1]!, days61to90: b[2]!, over90: b[3]! });
