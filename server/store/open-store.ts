import { resolve } from 'node:path';
import type { PostgresStoreOptions } from './postgres/postgres-store.js';
import type { OpenedStore } from './sql/sql-store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';

export type { OpenedStore } from './sql/sql-store.js';
export type StoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** `postgres://…` or `postgresql://…` names a PostgreSQL database; anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The one way to open TAB's store, for the server, the CLIs, tests and
 * benchmarks: a file path opens (creating and migrating) a SQLite file; a
 * PostgreSQL URL opens that database.
 */
export async function openStore(location: string, options: StoreOptions = {}): Promise<OpenedStore> {
  // Loaded only when asked for: a SQLite server or CLI does not pay for pg's startup.
  if (isPostgresUrl(location)) return (await import('./postgres/postgres-store.js')).openPostgresStore(location, options);
  return openSqliteStore(location === ':memory:' ? location : resolve(location), options);
}
