import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type AppOptions, type TabApp } from '../server/app.js';
import Database from 'better-sqlite3';
import type { Db } from '../server/store/sqlite/open.js';
import { openStore, type OpenedStore } from '../server/store/open-store.js';
import { seedDemo } from '../server/seed/demo.js';
import { secretHash } from '../server/security/secrets.js';
import { DAY_MS } from '../server/platform/clock.js';

export interface BenchServer extends TabApp {
  url: string;
  /** A second connection to the server's SQLite file, for bulk fixtures. */
  db: Db;
  store: OpenedStore;
  close(): Promise<void>;
}

/** The real server on a fresh SQLite file, demo firm seeded, no request logging (as in production at level warn). */
export async function startBenchServer(options: Pick<AppOptions, 'trustProxy'> = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tab-bench-'));
  const file = join(dir, 'tab.sqlite');
  const store = await openStore(file);
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  await seedDemo(store, Date.now());
  const tab = await buildApp({ store, jwtSecret: new Uint8Array(32).fill(9), ...options });
  await tab.app.listen({ port: 0, host: '127.0.0.1' });
  const address = tab.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { ...tab, url, db, store, close: async () => { await tab.app.close(); db.close(); await store.close(); } };
}

/**
 * Bulk session rows for scale tests, written with one prepared INSERT in large
 * transactions: the server's store creates sessions one sign-in at a time,
 * which is far too slow to make a million. Each row gets the cookie
 * `bench-<i>` so a benchmark can authenticate as any of them.
 */
export function insertSessions(db: Db, rows: { userId: string; workspaceId: string; count: number; revokedShare?: number; cookiePrefix?: string }): string[] {
  // cookie_issued_at / cookie_used_at as a sign-in sets them: the cookie is fresh and in use (no rotation in the way).
  const insert = db.prepare(`INSERT INTO device_sessions (id, user_id, workspace_id, cookie_hash, client_kind, label, browser, os,
    user_agent, ip, created_at, last_seen_at, expires_at, idle_timeout_ms, revoked_at, revoked_by, revoke_reason, cookie_issued_at, cookie_used_at)
    VALUES (?, ?, ?, ?, 'web', 'Chrome 120, macOS', 'Chrome 120', 'macOS', 'bench', '127.0.0.1', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  const ids: string[] = [];
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      ids.push(id);
      const revoked = rows.revokedShare !== undefined && (i % 100) < rows.revokedShare * 100;
      insert.run(id, rows.userId, rows.workspaceId, secretHash(`${rows.cookiePrefix ?? 'bench'}-${i}`), now - i, now - i, now + 30 * DAY_MS, 7 * DAY_MS,
        revoked ? now : null, revoked ? rows.userId : null, revoked ? 'revoked_by_user' : null, now - i, now - i);
    }
  });
  for (let from = 0; from < rows.count; from += 50_000) batch(from, Math.min(rows.count, from + 50_000));
  return ids;
}

/** Users in the demo workspace for scale tests (no password needed: they authenticate by bench cookies). */
export function insertUsers(db: Db, workspaceId: string, count: number): string[] {
  const insert = db.prepare(`INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'accountant', 'scrypt$x', ?)`);
  const ids: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      ids.push(id);
      insert.run(id, workspaceId, `bench-${i}-${id.slice(0, 8)}@demo.test`, `Bench ${i}`, Date.now());
    }
  })();
  return ids;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
