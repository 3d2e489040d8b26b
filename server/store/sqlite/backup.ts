import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MIGRATIONS } from './migrations.js';
import { SQLITE_FILE_MODE, type Db } from './open.js';

/**
 * Online backup and offline restore of a SQLite database (`npm run admin --
 * backup|restore`, docs/deploy.md). A backup is one self-contained file
 * (rollback journal, no WAL beside it), mode 0600, checked with
 * `PRAGMA integrity_check` before it gets its name. Neither migrates:
 * a backup copies the schema it finds; the server migrates a restored file
 * when it next starts.
 */

/** A refusal the CLI prints as it is (exit code 1): the operator can act on it. */
export class BackupError extends Error {}

export interface BackupFigures {
  file: string;
  bytes: number;
  schemaVersion: number;
  ms: number;
}

/** How long to wait for a lock SQLite needs only briefly (opening a WAL database, a checkpoint). */
const BRIEF_LOCK_MS = 5000;

/**
 * Copies the database at `source` to the new file `target` with SQLite's
 * online backup API, while servers go on reading and writing it. The copy
 * is one consistent snapshot: after a first step that copies nothing, every
 * page goes in one step, inside one read transaction (WAL: writers go on
 * meanwhile); a page-by-page backup would restart whenever a server writes.
 * So it holds every write committed before it began. It is written beside
 * `target` under a temporary name and renamed once checked: a failed or
 * interrupted backup never leaves a file under the name asked for.
 */
export async function backupSqlite(source: string, target: string): Promise<BackupFigures> {
  const t0 = performance.now();
  if (existsSync(target)) throw new BackupError(`${target} exists already: give the backup a new name (e.g. with the date) or remove that file first.`);
  if (!existsSync(dirname(target))) throw new BackupError(`The folder ${dirname(target)} does not exist.`);
  const db = openExisting(source, 'The database');
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  try {
    const schemaVersion = tabSchemaVersion(db, source);
    // Created 0600 before SQLite writes a page into it.
    closeSync(openSync(partial, 'wx', SQLITE_FILE_MODE));
    await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // One file: a rollback journal instead of WAL (the server switches a restored file back to WAL).
      copy.pragma('journal_mode = DELETE');
      checkIntegrity(copy, 'The copy');
    } finally {
      copy.close();
    }
    chmodSync(partial, SQLITE_FILE_MODE);
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, schemaVersion, ms: performance.now() - t0 };
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
}

export interface RestoreFigures extends BackupFigures {
  /** Where the database that was replaced now is (kept: nothing is lost by a restore), or null when there was none. */
  replacedKeptAt: string | null;
}

/**
 * Puts the backup `backup` in place of the database `target`, which no
 * server may be using (refused otherwise, saying how to stop them). The
 * backup is copied and checked beside the target first (integrity, a TAB
 * schema no newer than this code's); then the old database, checkpointed
 * into one file, is renamed aside as `<target>.before-restore-<time>` and the
 * copy takes its name. The JWT key file beside the target (`<target>.jwt-key`)
 * is left as it is, so sessions in the backup stay signed in.
 */
export async function restoreSqlite(backup: string, target: string, now = new Date()): Promise<RestoreFigures> {
  const t0 = performance.now();
  if (!existsSync(backup)) throw new BackupError(`There is no file ${backup}.`);
  if (!existsSync(dirname(target))) throw new BackupError(`The folder ${dirname(target)} does not exist.`);
  refuseIfInUse(target);
  const source = openExisting(backup, 'The backup');
  const incoming = join(dirname(target), `.${basename(target)}.restoring-${process.pid}`);
  try {
    const schemaVersion = tabSchemaVersion(source, backup);
    if (schemaVersion > MIGRATIONS.length) {
      throw new BackupError(`The backup is at schema version ${schemaVersion}, newer than this TAB (${MIGRATIONS.length}): upgrade TAB first, then restore.`);
    }
    closeSync(openSync(incoming, 'wx', SQLITE_FILE_MODE));
    await source.backup(incoming);
    const copy = new Database(incoming, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      checkIntegrity(copy, 'The backup');
    } finally {
      copy.close();
    }
    // Again, just before the switch: a server may have been started meanwhile.
    let replacedKeptAt: string | null = null;
    if (existsSync(target)) {
      checkpointIntoOneFile(target);
      replacedKeptAt = keptName(target, now);
      renameSync(target, replacedKeptAt);
    }
    // A stale -shm (or a -wal left by a crash, already checkpointed above) belongs to the old file.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
    chmodSync(incoming, SQLITE_FILE_MODE);
    renameSync(incoming, target);
    return { file: target, bytes: statSync(target).size, schemaVersion, ms: performance.now() - t0, replacedKeptAt };
  } finally {
    source.close();
    rmSync(incoming, { force: true });
  }
}

/** `<target>.before-restore-<UTC time>`, numbered when two restores fall in the same second: never over an earlier one. */
function keptName(target: string, now: Date): string {
  const stem = `${target}.before-restore-${now.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}`;
  let name = stem;
  for (let n = 2; existsSync(name); n++) name = `${stem}-${n}`;
  return name;
}

/**
 * Whether another connection (a server, another CLI) has the database open.
 * Every connection to a WAL database holds a shared lock for as long as it is
 * open, idle or not; a connection in exclusive locking mode can begin only
 * when nobody else has it open.
 */
export function sqliteInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if (isBusyError(error)) return true;
    throw error;
  } finally {
    db.close();
  }
}

function refuseIfInUse(target: string): void {
  if (sqliteInUse(target)) {
    throw new BackupError(
      `${target} is in use by a running TAB server (or another program). Stop every server on it first ` +
        '(e.g. `systemctl stop tab`), then run restore again; the server migrates the restored database when it starts.',
    );
  }
}

/** Folds the WAL into the database file, holding the database exclusively, so that the file alone is the whole database. */
function checkpointIntoOneFile(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } catch (error) {
      if (isBusyError(error)) refuseIfInUse(file);
      throw error;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function openExisting(file: string, what: string): Db {
  if (!existsSync(file)) throw new BackupError(`${what} ${file} does not exist.`);
  try {
    const db = new Database(file, { fileMustExist: true });
    db.pragma(`busy_timeout = ${BRIEF_LOCK_MS}`);
    return db;
  } catch (error) {
    throw new BackupError(`${what} ${file} cannot be opened: ${(error as Error).message}`);
  }
}

/** The file's TAB schema version; refuses a file that is not a SQLite database or has no TAB schema. */
function tabSchemaVersion(db: Db, file: string): number {
  let version: number;
  let hasUsers: boolean;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    hasUsers = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'users'`).get() !== undefined;
  } catch (error) {
    throw new BackupError(`${file} is not a SQLite database (${(error as Error).message}).`);
  }
  if (version < 1 || !hasUsers) throw new BackupError(`${file} is not a TAB database (no TAB schema in it).`);
  return version;
}

function checkIntegrity(db: Db, what: string): void {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new BackupError(`${what} fails SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);
}

function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
