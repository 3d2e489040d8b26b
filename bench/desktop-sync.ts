import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.js';
import { openStore, type StoreOptions } from '../server/store/open-store.js';
import { seedDemo } from '../server/seed/demo.js';
import { createServerClient } from '../electron/server-client.js';
import { TimeStore } from '../electron/time-queue/local-store.js';
import { TimeSyncer } from '../electron/time-queue/syncer.js';

const PASSWORD = 'demo-pass-2026';
const JWT_SECRET = new Uint8Array(32).fill(7);

/** The real server on `dir`'s SQLite file (seeded once), on a loopback port. */
async function serverOn(dir: string, seed: boolean, storeOptions: StoreOptions) {
  const store = await openStore(join(dir, 'tab.sqlite'), storeOptions);
  if (seed) await seedDemo(store, Date.now());
  const tab = await buildApp({ store, jwtSecret: JWT_SECRET });
  await tab.app.listen({ port: 0, host: '127.0.0.1' });
  const address = tab.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    close: async () => {
      tab.app.server.closeAllConnections();
      await tab.app.close();
      await store.close();
    },
  };
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The desktop's offline queue: 1,000 finished entries saved while the server
 * is down (each one a local SQLite transaction), then the server comes back
 * and the queue drains through the real syncer (one idempotent POST per
 * entry, in order) on loopback. Target: under 5 s.
 */
export async function benchDesktopSync(count = 1000, storeOptions: StoreOptions = {}): Promise<{ entries: number; seconds: number; cpuSeconds: number }> {
  const serverDir = mkdtempSync(join(tmpdir(), 'tab-bench-sync-server-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'tab-bench-sync-desktop-'));
  let server = await serverOn(serverDir, true, storeOptions);
  let store: TimeStore | null = null;
  try {
    const admin = await post(server.url, '/api/v1/auth/login', { email: 'admin@demo.test', password: PASSWORD });
    const client = await post(server.url, '/api/v1/clients', { name: 'Bench client', hourlyRateCents: 15_000, currency: 'EUR' }, admin.token);
    const ana = await post(server.url, '/api/v1/auth/login', { email: 'ana@demo.test', password: PASSWORD, client: 'desktop', deviceName: 'Bench laptop' });
    const origin = server.url;
    await server.close();

    // Offline: every save is on disk before it returns; the syncer finds the server unreachable.
    let baseUrl = origin;
    store = new TimeStore({ dataDir, origin, userId: ana.user.id });
    const syncer = new TimeSyncer({
      store,
      send: (request) => createServerClient({ baseUrl, token: () => ana.token as string, timeoutMs: 5000 }).send(request),
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      reconcile: false,
    });
    const start = Date.now() - 90 * 86_400_000;
    for (let i = 0; i < count; i++) {
      const from = start + i * 2 * 3_600_000;
      store.saveEntry({
        id: randomUUID(),
        clientId: client.id,
        description: `Bench entry ${i}`,
        start: new Date(from).toISOString(),
        end: new Date(from + 90 * 60_000).toISOString(),
        billable: i % 3 !== 0,
      });
    }
    await syncer.flush();
    if (syncer.online || store.pendingCount() !== count) throw new Error('the queue should have stayed intact while the server was down');

    server = await serverOn(serverDir, false, storeOptions);
    baseUrl = server.url;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await syncer.flush();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await syncer.pause();
    if (store.queue().length !== 0) throw new Error(`${store.queue().length} writes left in the queue: ${JSON.stringify(store.queue()[0])}`);
    // CPU time (server and desktop side together, one process) says more than wall time on a shared, loaded machine.
    return { entries: count, seconds: Math.round(seconds * 1000) / 1000, cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000 };
  } finally {
    store?.close();
    await server.close().catch(() => undefined);
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchDesktopSync();
  console.log(`desktop sync: ${result.entries} queued entries drained in ${result.seconds} s (target < 5 s)`);
}
