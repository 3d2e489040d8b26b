import { Kysely, PostgresDialect } from 'kysely';
import { AccountSnapshots, type SnapshotLimits } from '../account-snapshots.js';
import type { FixedQueryMode } from '../sql/fixed-query.js';
import type { TabDatabase } from '../sql/schema.js';
import { sqlStore, type OpenedStore } from '../sql/sql-store.js';
import { PostgresAuthReads } from './auth-reads.js';
import { openPostgresPool } from './open.js';
import { sharedKey } from './server-key.js';

export interface PostgresStoreOptions {
  /** As for SQLite: keep account snapshots (default), with these limits, or not at all. */
  accountSnapshots?: boolean | SnapshotLimits;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** As for SQLite: fixed queries compiled once (default) or at every run. */
  fixedQueries?: FixedQueryMode;
}

/** TAB's store on a PostgreSQL database (checked and migrated on open). */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<OpenedStore> {
  const { accountSnapshots = true } = options;
  const pool = await openPostgresPool(url, { max: options.poolSize });
  const kysely = new Kysely<TabDatabase>({ dialect: new PostgresDialect({ pool }) });
  const authReads = new PostgresAuthReads(pool);
  const snapshots = accountSnapshots === false ? null : new AccountSnapshots(authReads, accountSnapshots === true ? undefined : accountSnapshots);
  const store = sqlStore({ kind: 'postgres', db: kysely, authReads, snapshots, fixedQueries: options.fixedQueries }, () => kysely.destroy());
  return Object.assign(store, { sharedKey: (name: string) => sharedKey(pool, name) });
}
