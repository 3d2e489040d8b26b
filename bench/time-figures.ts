import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DAY_MS } from '../server/platform/clock.js';
import { runLoadClient } from './load-client.js';
import type { BenchServer, BulkDb } from './fixtures.js';
import { insertSessions, insertUsers } from './fixtures.js';

export interface TimeFiguresOptions {
  users?: number;
  entries?: number;
  samples?: number;
  /** Entries that started more than this many days ago are billed (null: nothing is billed, the worst case for unbilled sums). */
  billedAfterDays?: number | null;
}

const ENTRY_COLUMNS = ['id', 'workspace_id', 'user_id', 'client_id', 'description', 'start_at', 'end_at', 'billable', 'hourly_rate_cents', 'currency',
  'billed_at', 'created_at', 'updated_at'];

/**
 * Bulk time entries (the API writes one at a time, far too slow for half a
 * million). Each user gets a contiguous history going back from `now`:
 * entries of 60-100 minutes every 105 minutes, round-robin over the clients,
 * a fifth non-billable. The unbilled-totals triggers stay on: on PostgreSQL
 * they run once per multi-row INSERT since migration 14, on SQLite per row
 * in-process (both cheap at this size).
 */
export async function insertEntries(db: BulkDb, rows: { workspaceId: string; userIds: string[]; clientIds: { id: string; rate: number; currency: string }[]; perUser: number; now: number; billedAfterDays: number | null }): Promise<number> {
  const billedBefore = rows.billedAfterDays === null ? -Infinity : rows.now - rows.billedAfterDays * DAY_MS;
  let n = 0;
  for (const userId of rows.userIds) {
    const values: unknown[][] = [];
    for (let i = 0; i < rows.perUser; i++) {
      const start = rows.now - (i + 1) * 105 * 60_000;
      const end = start + (60 + (i % 41)) * 60_000;
      const client = rows.clientIds[(i + n) % rows.clientIds.length]!;
      values.push([randomUUID(), rows.workspaceId, userId, client.id, `Bench work ${i}`, start, end, i % 5 === 0 ? 0 : 1, client.rate, client.currency,
        start < billedBefore ? end + DAY_MS : null, end, end]);
      n++;
    }
    await db.insert('time_entries', ENTRY_COLUMNS, values);
  }
  return n;
}

/**
 * GET /api/v1/dashboard and GET /api/v1/reports/summary (last 30 days, by
 * client and by person) for a workspace of 50 users and 500,000 entries, as a
 * manager (whole-firm unbilled amounts: the heaviest dashboard). Sequential
 * requests from a separate client process, so the figures are server latency.
 */
export async function benchTimeFigures(server: BenchServer, options: TimeFiguresOptions = {}) {
  const { users = 50, entries = 500_000, samples = 1000, billedAfterDays = 60 } = options;
  const manager = (await server.store.findUserByEmail('manager@demo.test'))!;
  const workspaceId = manager.workspaceId;
  const started = performance.now();
  const demo = (await server.store.listUsers(workspaceId)).map((u) => u.id);
  const userIds = [...demo, ...(await insertUsers(server.db, workspaceId, Math.max(0, users - demo.length)))];
  const now = Date.now();
  const clientIds = Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), rate: 8_000 + i * 250, currency: i % 4 === 0 ? 'USD' : 'EUR' }));
  await server.db.insert('clients', ['id', 'workspace_id', 'name', 'hourly_rate_cents', 'currency', 'created_at', 'updated_at'],
    clientIds.map((c, i) => [c.id, workspaceId, `Client ${i}`, c.rate, c.currency, now, now]));
  const rows = await insertEntries(server.db, { workspaceId, userIds, clientIds, perUser: Math.floor(entries / userIds.length), now, billedAfterDays });
  // Half the firm has a timer running.
  await server.db.insert('time_entries', ENTRY_COLUMNS, userIds.slice(0, userIds.length / 2).map((u) =>
    [randomUUID(), workspaceId, u, clientIds[0]!.id, 'running', now - 10 * 60_000, null, 1, clientIds[0]!.rate, clientIds[0]!.currency, null, now, now]));
  await insertSessions(server.db, { userId: manager.id, workspaceId, count: 1, cookiePrefix: 'time-manager' });
  await server.db.settle();
  const seedSeconds = (performance.now() - started) / 1000;

  const headers = { cookie: 'tab_session=time-manager-0' };
  const from = new Date(now - 30 * DAY_MS).toISOString();
  const to = new Date(now).toISOString();
  const urls = {
    dashboard: `${server.url}/api/v1/dashboard`,
    summaryByClient: `${server.url}/api/v1/reports/summary?from=${from}&to=${to}&groupBy=client`,
    summaryByUser: `${server.url}/api/v1/reports/summary?from=${from}&to=${to}&groupBy=user`,
  };
  const check = await fetch(urls.dashboard, { headers });
  if (check.status !== 200) throw new Error(`dashboard answered ${check.status}`);
  const results: Record<keyof typeof urls, { p50Ms: number; p99Ms: number; reqPerSec: number }> = {} as never;
  for (const [name, url] of Object.entries(urls) as [keyof typeof urls, string][]) {
    const r = await runLoadClient({ kind: 'sequential', url, headers, warmup: 100, samples });
    results[name] = { p50Ms: r.p50Ms, p99Ms: r.p99Ms, reqPerSec: r.reqPerSec };
  }
  return { users: userIds.length, entries: rows, seedSeconds, samples, billedAfterDays, ...results };
}
