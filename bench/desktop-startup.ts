import { randomUUID } from 'node:crypto';
import { startBenchServer } from './fixtures.js';
import { buildMainForStandIn, launchStandIn, type StandInApp } from '../test/electron/support/stand-in-app.js';
import type { SyncStatus } from '../shared/ipc/contract.js';

const PASSWORD = 'demo-pass-2026';

export interface DesktopStartupResult {
  /** Main-process start (the host loading main.cjs) to the window's show(), per launch, in ms. */
  shownMs: number[];
  medianShownMs: number;
  /** The main process after sign-in, before any write. */
  baseline: NodeJS.MemoryUsage;
  /** After `writes` entries saved through window.tab (each a local SQLite transaction and a queue row) and synced. */
  afterSync: NodeJS.MemoryUsage;
  writes: number;
  syncSeconds: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The desktop's main process in the stand-in run (test/electron/stand-in/):
 * the built main.cjs in Node with a stand-in `electron`. NOT a real cold
 * start — no Chromium, no GPU process, no renderer — but the same main-process
 * work up to the window's show(): data folders, crash reporter, app://
 * handler, IPC handlers, menus, tray, keychain, and loading the window's page
 * through the protocol handler. Then its memory after 1,000 queued writes and
 * their sync against the real server on loopback.
 */
export async function benchDesktopStartup(launches = 5, writes = 1000): Promise<DesktopStartupResult> {
  const server = await startBenchServer();
  const built = buildMainForStandIn();
  let app: StandInApp | null = null;
  try {
    const shownMs: number[] = [];
    for (let i = 0; i < launches; i++) {
      const run = launchStandIn({ main: built.main, serverUrl: server.url });
      shownMs.push(await run.windowShown());
      await run.quit();
    }

    const admin = (await (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: PASSWORD }) })).json()) as { token: string };
    const client = (await (
      await fetch(`${server.url}/api/v1/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ name: 'Bench client', hourlyRateCents: 15_000, currency: 'EUR' }),
      })
    ).json()) as { id: string };

    app = launchStandIn({ main: built.main, serverUrl: server.url });
    await app.windowShown();
    await app.value('signIn', { email: 'ana@demo.test', password: PASSWORD });
    await until(() => app!.value<SyncStatus>('getSyncStatus'), (s) => s.online && s.queue.length === 0, 10_000);
    const baseline = await app.send<NodeJS.MemoryUsage>({ op: 'memory' });

    const start = Date.now() - 120 * 86_400_000;
    const t0 = performance.now();
    for (let i = 0; i < writes; i++) {
      const from = start + i * 2 * 3_600_000;
      await app.value('saveEntry', {
        id: randomUUID(),
        clientId: client.id,
        description: `Bench entry ${i}`,
        start: new Date(from).toISOString(),
        end: new Date(from + 90 * 60_000).toISOString(),
        billable: i % 3 !== 0,
      });
    }
    await until(() => app!.value<SyncStatus>('getSyncStatus'), (s) => s.queue.length === 0, 120_000);
    const syncSeconds = (performance.now() - t0) / 1000;
    const afterSync = await app.send<NodeJS.MemoryUsage>({ op: 'memory' });
    return { shownMs, medianShownMs: median(shownMs), baseline, afterSync, writes, syncSeconds: Math.round(syncSeconds * 100) / 100 };
  } finally {
    await app?.quit();
    built.dispose();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDesktopStartup();
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  console.log(`start → window shown (stand-in run, not a real cold start): median ${r.medianShownMs.toFixed(0)} ms of ${r.shownMs.map((m) => m.toFixed(0)).join(', ')}`);
  console.log(`main process: rss ${mb(r.baseline.rss)} → ${mb(r.afterSync.rss)}, heap ${mb(r.baseline.heapUsed)} → ${mb(r.afterSync.heapUsed)} after ${r.writes} writes and sync (${r.syncSeconds} s)`);
}
