import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../logger.js';

/**
 * Moves the time databases (each with its unsynced queue) from where an older
 * version kept them to where this one does: on Windows from the roaming
 * profile to the local one (see desktop-paths.ts). Runs once at start, before
 * any database is opened. For each file:
 *
 * 1. checkpoint the WAL into the main file, so the copy is one file;
 * 2. copy to a temporary name, fsync, rename: the destination is either
 *    absent or complete, even across a crash or a power cut;
 * 3. check the copy (integrity, same queue) before deleting the original
 *    and its -wal/-shm; the empty old folder goes too — nothing left behind.
 *
 * If the destination already has that database (a crash between the copy and
 * the delete, or an older version run again in between), the writes queued
 * in the old file that the new one lacks are added to it, in order, with the
 * entries they concern: nothing is lost either way.
 */

export interface MoveReport {
  moved: string[];
  merged: string[];
  failed: string[];
}

const DB_FILE = /^[0-9a-f]{64}\.sqlite$/;

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function queueCount(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`integrity check: ${String(integrity)}`);
    return (db.prepare('SELECT count(*) AS n FROM queue').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function checkpoint(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['-wal', '-shm', '']) rmSync(file + suffix, { force: true });
}

/** Adds the old file's queued writes the new one lacks (same operation, entry, payload and time), with their entries. */
function mergeInto(target: string, source: string): number {
  const db = new Database(target, { fileMustExist: true });
  try {
    db.prepare('ATTACH DATABASE ? AS old').run(source);
    return db.transaction(() => {
      const added = db
        .prepare(
          `INSERT INTO queue (operation, entry_id, payload, attempts, refused_code, refused_message, last_error, queued_at)
           SELECT o.operation, o.entry_id, o.payload, o.attempts, o.refused_code, o.refused_message, o.last_error, o.queued_at
           FROM old.queue o
           WHERE NOT EXISTS (SELECT 1 FROM main.queue q WHERE q.operation = o.operation AND q.entry_id = o.entry_id AND q.payload = o.payload AND q.queued_at = o.queued_at)
           ORDER BY o.seq`,
        )
        .run().changes;
      db.exec(
        `INSERT INTO main.entries (id, entry, client_id, running, on_server, written_at)
         SELECT o.id, o.entry, o.client_id, 0, o.on_server, o.written_at FROM old.entries o
         WHERE o.written_at > coalesce((SELECT e.written_at FROM main.entries e WHERE e.id = o.id), -1)
         ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, client_id = excluded.client_id, on_server = excluded.on_server, written_at = excluded.written_at`,
      );
      // One running timer at most: the most recently written one that is still running.
      db.exec('UPDATE main.entries SET running = 0 WHERE running = 1');
      db.exec(`UPDATE main.entries SET running = 1
               WHERE id = (SELECT id FROM main.entries WHERE json_extract(entry, '$.end') IS NULL ORDER BY written_at DESC LIMIT 1)`);
      return added;
    })();
  } finally {
    db.close();
  }
}

export function moveTimeData(fromDataDir: string, toDataDir: string, log: Logger = silentLogger): MoveReport {
  const report: MoveReport = { moved: [], merged: [], failed: [] };
  const from = join(fromDataDir, 'time');
  const to = join(toDataDir, 'time');
  if (!existsSync(from)) return report;
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from).filter((n) => DB_FILE.test(n))) {
    const source = join(from, name);
    const target = join(to, name);
    try {
      checkpoint(source);
      const queued = queueCount(source);
      if (existsSync(target)) {
        const added = mergeInto(target, source);
        report.merged.push(name);
        log.log('warn', 'time database existed in both places: merged', { file: name, added });
      } else {
        const tmp = `${target}.moving`;
        rmSync(tmp, { force: true });
        copyFileSync(source, tmp);
        fsyncFile(tmp);
        renameSync(tmp, target);
        if (queueCount(target) !== queued) throw new Error('the copy does not hold the same queue');
        report.moved.push(name);
      }
      removeDatabase(source);
    } catch (error) {
      report.failed.push(name);
      // The original stays where it was: the next start tries again.
      log.log('error', 'could not move a time database', { file: name, error: String(error) });
    }
  }
  for (const leftover of readdirSync(from).filter((n) => n.endsWith('.moving'))) rmSync(join(from, leftover), { force: true });
  if (readdirSync(from).length === 0) rmdirSync(from);
  if (report.moved.length + report.merged.length > 0) log.log('info', 'time databases moved to the local profile', { ...report, to });
  return report;
}
