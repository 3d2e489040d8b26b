import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.js';
import { openStore } from '../server/store/open-store.js';
import type { FixedQueryMode } from '../server/store/sql/fixed-query.js';
import { seedDemo } from '../server/seed/demo.js';
import { percentile } from './fixtures.js';

export interface WritePathFigures {
  /** CPU time of the process per request (server and in-process client): steadier than wall time on a shared machine. */
  cpuUsPerRequest: number;
  p50Ms: number;
}

/**
 * `count` sequential `POST /api/v1/entries` (new entries, the desktop sync's
 * request) in-process (`app.inject`, no sockets), on a fresh SQLite file, with
 * the store's fixed queries compiled once or compiled anew at every run (as
 * Kysely does by itself). A warm-up of 300 requests comes first.
 */
export async function benchPostEntries(count: number, fixedQueries: FixedQueryMode): Promise<WritePathFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tab-bench-write-'));
  const store = await openStore(join(dir, 'tab.sqlite'), { fixedQueries });
  await seedDemo(store, Date.now());
  const { app } = await buildApp({ store, jwtSecret: new Uint8Array(32).fill(5) });
  try {
    const post = async (url: string, body: object, token?: string) => {
      const res = await app.inject({ method: 'POST', url, payload: body, headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const admin = await post('/api/v1/auth/login', { email: 'admin@demo.test', password: 'demo-pass-2026' });
    const client = await post('/api/v1/clients', { name: 'Bench client', hourlyRateCents: 15_000, currency: 'EUR' }, admin.token);
    const ana = await post('/api/v1/auth/login', { email: 'ana@demo.test', password: 'demo-pass-2026', client: 'desktop', deviceName: 'Bench' });
    let next = Date.now() - 400 * 86_400_000;
    const one = async () => {
      const from = (next += 2 * 3_600_000);
      const body = { id: randomUUID(), clientId: client.id, description: 'Bench entry', start: new Date(from).toISOString(), end: new Date(from + 5_400_000).toISOString(), billable: true };
      const t0 = performance.now();
      await post('/api/v1/entries', body, ana.token);
      return performance.now() - t0;
    };
    for (let i = 0; i < 300; i++) await one();
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < count; i++) times.push(await one());
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    return { cpuUsPerRequest: (cpu.user + cpu.system) / count, p50Ms: percentile(times, 50) };
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The write path with fixed queries compiled once against compiled at every
 * run, in alternating rounds in one process (a shared machine's load drifts:
 * alternating gives both the same drift), medians of the rounds.
 */
export async function benchWritePath(rounds = 4, count = 1000) {
  const figures: Record<FixedQueryMode, WritePathFigures[]> = { 'compile-once': [], 'compile-each-time': [] };
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 ? (['compile-each-time', 'compile-once'] as const) : (['compile-once', 'compile-each-time'] as const)) {
      figures[mode].push(await benchPostEntries(count, mode));
    }
  }
  const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  const summary = (mode: FixedQueryMode) => ({
    cpuUsPerRequest: median(figures[mode].map((f) => f.cpuUsPerRequest)),
    p50Ms: median(figures[mode].map((f) => f.p50Ms)),
  });
  const once = summary('compile-once');
  const eachTime = summary('compile-each-time');
  return { rounds, count, once, eachTime, cpuRatio: once.cpuUsPerRequest / eachTime.cpuUsPerRequest };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchWritePath());
}
