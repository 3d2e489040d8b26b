import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildApp, type AppOptions, type TabApp } from '../server/app.js';
import { openBusEventHub } from '../server/events/bus-event-hub.js';
import { openStore, type OpenedStore } from '../server/store/open-store.js';
import { typeParsers } from '../server/store/postgres/open.js';
import { seedDemo } from '../server/seed/demo.js';
import { secretHash } from '../server/security/secrets.js';
import { DAY_MS } from '../server/platform/clock.js';
import type { StoreKind } from '../server/store/types.js';

/**
 * Bulk writes for fixtures, on a second connection to the bench server's
 * database (the store writes one row per request, far too slow for a million).
 * SQLite: one prepared INSERT in large transactions; PostgreSQL: multi-row INSERTs.
 */
export interface BulkDb {
  readonly kind: StoreKind;
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  exec(sql: string): Promise<void>;
  count(table: string): Promise<number>;
  /** Fresh planner statistics, and (SQLite) the WAL folded into the file. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function sqliteBulk(file: string): BulkDb {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  return {
    kind: 'sqlite',
    insert: async (table, columns, rows) => {
      const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const batch = db.transaction((part: unknown[][]) => part.forEach((row) => insert.run(...row)));
      for (let from = 0; from < rows.length; from += 50_000) batch(rows.slice(from, from + 50_000));
    },
    exec: async (sql) => void db.exec(sql),
    count: async (table) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    settle: async () => {
      db.exec('PRAGMA analysis_limit = 1000; ANALYZE');
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: async () => void db.close(),
  };
}

function postgresBulk(url: string): BulkDb {
  const pool = new pg.Pool({ connectionString: url, max: 1, types: typeParsers });
  // The bench database is dropped WITH (FORCE) at teardown, which ends this pool's idle connection (57P01): not a failure of the run.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    insert: async (table, columns, rows) => {
      const per = Math.floor(30_000 / columns.length);
      for (let from = 0; from < rows.length; from += per) {
        const part = rows.slice(from, from + per);
        const values = part.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, part.flat());
      }
    },
    exec: async (sql) => void (await pool.query(sql)),
    count: async (table) => (await pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n,
    settle: async () => void (await pool.query('VACUUM ANALYZE')),
    close: () => pool.end(),
  };
}

export interface BenchServer extends TabApp {
  url: string;
  kind: StoreKind;
  /** The database: a SQLite file or a PostgreSQL URL (another server may open it too). */
  location: string;
  db: BulkDb;
  store: OpenedStore;
  close(): Promise<void>;
}

/** The PostgreSQL cluster the bench may use (scripts/bench.sh starts one), or undefined. */
export const benchPostgresUrl = (): string | undefined => process.env.TAB_TEST_PG_URL;

/**
 * The real server on a fresh database — a SQLite file, or a new PostgreSQL
 * database on the bench cluster — demo firm seeded, no request logging (as in
 * production at level warn).
 */
export async function startBenchServer(
  kind: StoreKind = 'sqlite',
  options: Pick<AppOptions, 'trustProxy' | 'locator'> & { /** PostgreSQL: the hub that joins servers on the database (server/events/bus-event-hub.ts). */ busHub?: boolean } = {},
): Promise<BenchServer> {
  let location: string;
  let dropDatabase = async () => {};
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: benchPostgresUrl() });
    await admin.connect();
    const name = `tab_bench_${randomUUID().replaceAll('-', '')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(benchPostgresUrl()!);
    url.pathname = `/${name}`;
    location = url.toString();
    dropDatabase = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  } else {
    location = join(mkdtempSync(join(tmpdir(), 'tab-bench-')), 'tab.sqlite');
  }
  const store = await openStore(location);
  const db = kind === 'postgres' ? postgresBulk(location) : sqliteBulk(location);
  await seedDemo(store, Date.now());
  const { busHub, ...appOptions } = options;
  const hub = busHub && kind === 'postgres' ? await openBusEventHub(location, () => {}) : undefined;
  const tab = await buildApp({ store, jwtSecret: new Uint8Array(32).fill(9), hub, ...appOptions });
  await tab.app.listen({ port: 0, host: '127.0.0.1' });
  const address = tab.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    ...tab,
    url,
    kind,
    location,
    db,
    store,
    close: async () => {
      await tab.app.close();
      await hub?.close();
      await db.close();
      await store.close();
      await dropDatabase();
    },
  };
}

const SESSION_COLUMNS = ['id', 'user_id', 'workspace_id', 'cookie_hash', 'client_kind', 'label', 'browser', 'os', 'user_agent', 'ip', 'created_at',
  'last_seen_at', 'expires_at', 'idle_timeout_ms', 'revoked_at', 'revoked_by', 'revoke_reason',
  'last_ip', 'location_city', 'location_region', 'location_country', 'location_country_code', 'baseline_country_code', 'browser_family', 'os_family',
  'cookie_issued_at', 'cookie_used_at'];

/**
 * Bulk session rows for scale tests. Each row gets the cookie
 * `<prefix>-<i>` so a benchmark can authenticate as any of them.
 */
export async function insertSessions(
  db: BulkDb,
  rows: { userId: string; workspaceId: string; count: number; revokedShare?: number; cookiePrefix?: string; withoutLocation?: boolean },
): Promise<string[]> {
  const now = Date.now();
  // Rows carry a location (as sessions from public addresses do) unless told not to.
  const place = rows.withoutLocation ? [null, null, null, null, null] : ['Lisbon', 'Lisbon', 'Portugal', 'PT', 'PT'];
  const ids: string[] = [];
  const values: unknown[][] = [];
  for (let i = 0; i < rows.count; i++) {
    const id = randomUUID();
    ids.push(id);
    const revoked = rows.revokedShare !== undefined && (i % 100) < rows.revokedShare * 100;
    values.push([id, rows.userId, rows.workspaceId, secretHash(`${rows.cookiePrefix ?? 'bench'}-${i}`), 'web', 'Chrome 120, macOS', 'Chrome 120', 'macOS', 'bench', '127.0.0.1',
      now - i, now - i, now + 30 * DAY_MS, 7 * DAY_MS, revoked ? now : null, revoked ? rows.userId : null, revoked ? 'revoked_by_user' : null,
      '127.0.0.1', ...place, 'Chrome', 'macOS',
      // As a sign-in sets them: the cookie is fresh and in use (no rotation in the way).
      now - i, now - i]);
  }
  await db.insert('device_sessions', SESSION_COLUMNS, values);
  return ids;
}

/** Users in the demo workspace for scale tests (no password needed: they authenticate by bench cookies). */
export async function insertUsers(db: BulkDb, workspaceId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.insert('users', ['id', 'workspace_id', 'email', 'name', 'role', 'password_hash', 'created_at'],
    ids.map((id, i) => [id, workspaceId, `bench-${i}-${id.slice(0, 8)}@demo.test`, `Bench ${i}`, 'accountant', 'scrypt$x', Date.now()]));
  return ids;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
