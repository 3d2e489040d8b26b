import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** The database and the files SQLite keeps beside it: readable by the server's user only. */
export const SQLITE_FILE_MODE = 0o600;
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'];

/**
 * Opens (creating if needed) the SQLite file with the settings TAB relies on:
 * WAL so that readers never wait for the writer, foreign keys enforced,
 * synchronous=NORMAL (a committed write survives a crash of the process, which
 * kill -9 tests; only an OS crash or power cut may lose the last commits).
 *
 * The file is created with mode 0600 before SQLite opens it (SQLite gives its
 * WAL and SHM files the database file's mode), and an existing one is
 * tightened to it. Migrations wait up to 5 s for another process's lock; after
 * them busy_timeout is 0: the store waits for locks on timers
 * (server/store/sqlite/busy.ts), never blocking the event loop.
 */
export function openSqliteFile(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a', SQLITE_FILE_MODE));
    for (const path of [file, ...COMPANION_SUFFIXES.map((s) => file + s)]) if (existsSync(path)) chmodSync(path, SQLITE_FILE_MODE);
  }
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // 64 MiB of page cache: the session indexes of a large firm stay in memory.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db);
  db.pragma('busy_timeout = 0');
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations a database lacks, each in its own transaction; `PRAGMA user_version` records how far it has come. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`The database is at schema version ${current}, newer than this TAB (${MIGRATIONS.length}). Upgrade TAB.`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
