import { randomUUID } from 'node:crypto';
import { thisWeek } from '../shared/time/periods.js';
import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions } from './fixtures.js';

/** Issue #14's figures (billing-core part): the weekly timesheet grid. */

/**
 * GET /api/v1/week-grid: an accountant's week of 60 entries over three
 * clients, two matters each and three activities (18 possible rows), read by
 * its owner, sequentially on one connection.
 */
export async function benchWeekGrid(server: BenchServer, entries = 60, samples = 2000) {
  const ana = (await server.store.findUserByEmail('ana@demo.test'))!;
  const now = Date.now();
  const week = thisWeek(now, ana.timeZone);
  const rows: { clientId: string; matterId: string; currency: string }[] = [];
  for (const [i, currency] of ['EUR', 'GBP', 'USD'].entries()) {
    const client = await server.store.createClient({ id: randomUUID(), workspaceId: ana.workspaceId, name: `Grid client ${i}`, hourlyRateCents: 10_000, currency, archivedAt: null, createdAt: now, updatedAt: now });
    for (const code of ['TAX', 'BOOKS']) {
      const matter = { id: randomUUID(), workspaceId: ana.workspaceId, clientId: client.id, code, name: code, billingType: 'hourly' as const, fixedFeeCents: null, budgetMinutes: null, budgetCents: null, rounding: null, closedAt: null, createdAt: now, updatedAt: now };
      await server.store.createMatter(matter);
      rows.push({ clientId: client.id, matterId: matter.id, currency });
    }
  }
  const activities: string[] = [];
  for (const name of ['Tax return preparation', 'Bookkeeping', 'Advisory']) {
    const id = randomUUID();
    await server.store.createActivity({ id, workspaceId: ana.workspaceId, name, archivedAt: null, createdAt: now, updatedAt: now });
    activities.push(id);
  }
  const slot = Math.floor((week.to - week.from) / entries);
  for (let i = 0; i < entries; i++) {
    const row = rows[i % rows.length]!;
    const start = week.from + i * slot;
    await server.store.insertEntry({
      id: randomUUID(), workspaceId: ana.workspaceId, userId: ana.id, clientId: row.clientId, matterId: row.matterId, activityId: activities[Math.floor(i / rows.length) % activities.length]!,
      description: `Entry ${i}`, start, end: start + 20 * 60_000, billable: true, hourlyRateCents: 10_000, currency: row.currency,
      billedAt: null, createdAt: start, updatedAt: start, deletedAt: null, version: 1,
    });
  }
  const prefix = `wg-${randomUUID().slice(0, 8)}`;
  await insertSessions(server.db, { userId: ana.id, workspaceId: ana.workspaceId, count: 1, cookiePrefix: prefix });
  const headers = { cookie: `tab_session=${prefix}-0` };
  await server.db.settle();
  const url = `${server.url}/api/v1/week-grid?week=${week.monday}`;
  const first = (await (await fetch(url, { headers })).json()) as { entries?: unknown[]; rows?: unknown[] };
  if (first.entries?.length !== entries) throw new Error(`expected ${entries} entries in the grid, got ${JSON.stringify(first).slice(0, 200)}`);
  const r = await runLoadClient({ kind: 'sequential', url, headers, warmup: 200, samples });
  return { entries, rows: first.rows!.length, samples, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
}
