import { Kysely } from 'kysely';
import { AccountSnapshots, type SnapshotLimits } from '../account-snapshots.js';
import type { FixedQueryMode } from '../sql/fixed-query.js';
import type { TabDatabase } from '../sql/schema.js';
import { sqlStore, type OpenedStore } from '../sql/sql-store.js';
import { SqliteAuthReads } from './auth-reads.js';
import { DEFAULT_WRITE_WAIT_MS } from './busy.js';
import { GatedConnection, sqliteDialect } from './driver.js';
import { ConnectionGate } from './gate.js';
import { openSqliteFile } from './open.js';

export interface SqliteStoreOptions {
  /**
   * Reuse what was read about an account while its version is unchanged
   * (see AccountSnapshots). On by default, with the default limits; off, every
   * read goes to SQL, which tests use as the reference the snapshots must agree with.
   */
  accountSnapshots?: boolean | SnapshotLimits;
  /** How long a write waits for another process's write lock before answering 503 `server_busy` (default 10 s). */
  writeWaitMs?: number;
  /** Fixed queries compiled once (default) or at every run, the reference the write-path bench compares with (sql/fixed-query.ts). */
  fixedQueries?: FixedQueryMode;
}

/** TAB's store on one SQLite file (created with mode 0600, migrated to this version). */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): OpenedStore {
  const { accountSnapshots = true, writeWaitMs = DEFAULT_WRITE_WAIT_MS, fixedQueries } = options;
  const db = openSqliteFile(file);
  const gate = new ConnectionGate();
  const connection = new GatedConnection(db, gate, writeWaitMs);
  const kysely = new Kysely<TabDatabase>({ dialect: sqliteDialect(connection) });
  const authReads = new SqliteAuthReads(db, gate, writeWaitMs);
  const snapshots = accountSnapshots === false ? null : new AccountSnapshots(authReads, accountSnapshots === true ? undefined : accountSnapshots);
  return sqlStore({ kind: 'sqlite', db: kysely, authReads, snapshots, fixedQueries, direct: connection }, async () => {
    // In-flight statements finish first; the gate is never let go again.
    await gate.lock();
    await kysely.destroy();
  });
}
