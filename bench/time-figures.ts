import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DAY_MS } from '../server/platform/clock.js';
import type { Db } from '../server/store/sqlite/open.js';
import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions, insertUsers } from './fixtures.js';

export interface TimeFiguresOptions {
  users?: number;
  entries?: number;
  samples?: number;
  /** Entries that started more than this many days ago are billed (null: nothing is billed, the worst case for unbilled sums). */
  billedAfterDays?: number | null;
}

/**
 * Bulk time entries with one prepared INSERT in large transactions (the API
 * writes one at a time, far too slow for half a million). Each user gets a
 * contiguous history going back from `now`: entries of 60-100 minutes every
 * 105 minutes, round-robin over the clients, a fifth non-billable.
 */
export function insertEntries(db: Db, rows: { workspaceId: string; userIds: string[]; clientIds: { id: string; rate: number; currency: string }[]; perUser: number; now: number; billedAfterDays: number | null }): number {
  const insert = db.prepare(`INSERT INTO time_entries (id, workspace_id, user_id, client_id, description, start_at, end_at, billable,
    hourly_rate_cents, currency, billed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const billedBefore = rows.billedAfterDays === null ? -Infinity : rows.now - rows.billedAfterDays * DAY_MS;
  let n = 0;
  const batch = db.transaction((userId: string, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const start = rows.now - (i + 1) * 105 * 60_000;
      const end = start + (60 + (i % 41)) * 60_000;
      const client = rows.clientIds[(i + n) % rows.clientIds.length]!;
      insert.run(randomUUID(), rows.workspaceId, userId, client.id, `Bench work ${i}`, start, end, i % 5 === 0 ? 0 : 1, client.rate, client.currency,
        start < billedBefore ? end + DAY_MS : null, end, end);
      n++;
    }
  });
  for (const userId of rows.userIds) {
    for (let from = 0; from < rows.perUser; from += 50_000) batch(userId, from, Math.min(rows.perUser, from + 50_000));
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
  const userIds = [...demo, ...insertUsers(server.db, workspaceId, Math.max(0, users - demo.length))];
  const now = Date.now();
  const clientIds = Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), rate: 8_000 + i * 250, currency: i % 4 === 0 ? 'USD' : 'EUR' }));
  const insertClient = server.db.prepare(`INSERT INTO clients (id, workspace_id, name, hourly_rate_cents, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  server.db.transaction(() => clientIds.forEach((c, i) => insertClient.run(c.id, workspaceId, `Client ${i}`, c.rate, c.currency, now, now)))();
  const rows = insertEntries(server.db, { workspaceId, userIds, clientIds, perUser: Math.floor(entries / userIds.length), now, billedAfterDays });
  // Half the firm has a timer running.
  const running = server.db.prepare(`INSERT INTO time_entries (id, workspace_id, user_id, client_id, description, start_at, end_at, billable,
    hourly_rate_cents, currency, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, NULL, 1, ?, ?, ?, ?)`);
  server.db.transaction(() => userIds.slice(0, userIds.length / 2).forEach((u) => running.run(randomUUID(), workspaceId, u, clientIds[0]!.id, now - 10 * 60_000, clientIds[0]!.rate, clientIds[0]!.currency, now, now)))();
  insertSessions(server.db, { userId: manager.id, workspaceId, count: 1, cookiePrefix: 'time-manager' });
  server.db.exec('PRAGMA analysis_limit = 1000; ANALYZE');
  server.db.pragma('wal_checkpoint(TRUNCATE)');
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
