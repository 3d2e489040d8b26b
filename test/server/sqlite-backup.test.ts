import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';

/**
 * `npm run admin -- backup|restore` on SQLite (server/store/sqlite/backup.ts):
 * a backup taken while a real server process writes is one consistent,
 * complete copy; a restore refuses a database a server has open, keeps the
 * database it replaces, and the server then runs on the restored one.
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-backup-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const adminArgs = (args: string[]) => ['--import', 'tsx', 'server/cli/admin.ts', ...args];
function admin(args: string[]) {
  const r = spawnSync(process.execPath, adminArgs(args), { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
/** The CLI without blocking this process (the test's own writers go on meanwhile). */
function adminAsync(args: string[]): Promise<{ status: number | null; out: string }> {
  const child = spawn(process.execPath, adminArgs(args), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += String(c)));
  child.stderr.on('data', (c) => (out += String(c)));
  return new Promise((r) => child.on('exit', (status) => r({ status, out })));
}

function rowsOf(file: string, text: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(text).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Writes entries one after another until stopped, recording when each was acknowledged. */
function writer(url: string, who: SignedIn, clientId: string, slot: number) {
  const acknowledged: { id: string; at: number }[] = [];
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop) {
      const id = randomUUID();
      // Each writer its own hour of each day: no overlaps, each entry its own span.
      const start = Date.UTC(2025, 0, 1) + n++ * 86_400_000 + slot * 3_600_000;
      const res = await call(url, 'POST', '/api/v1/entries', {
        headers: who.auth,
        body: { id, clientId, description: `backup test ${slot}/${n}`, start: new Date(start).toISOString(), end: new Date(start + 1_800_000).toISOString(), billable: true },
      });
      if (res.status !== 201) throw new Error(`write failed: ${res.status} ${JSON.stringify(res.body)}`);
      acknowledged.push({ id, at: performance.now() });
    }
  })();
  return { acknowledged, stop: async () => ((stop = true), await done) };
}

async function stopServer(server: ServerProcess) {
  server.child.kill('SIGTERM');
  await server.exited;
}

/** A database with enough rows that copying it takes a while (audit rows, which nothing reads back here). */
function bulkUp(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(`INSERT INTO audit_events (workspace_id, type, at, detail) VALUES (NULL, 'bulk', ?, ?)`);
  const filler = JSON.stringify({ filler: 'x'.repeat(400) });
  db.transaction(() => {
    for (let i = 0; i < 60_000; i++) insert.run(i, filler);
  })();
  db.close();
}

describe('backup and restore (SQLite)', () => {
  it('a backup taken while a server writes opens, passes integrity_check, holds every write acknowledged before it began; restore brings it back', async () => {
    const dir = tempDir();
    const db = join(dir, 'tab.sqlite');
    const backup = join(dir, 'backups', 'tab-backup.sqlite');
    await stopServer(await spawnServer(['--db', db, '--seed-demo']));
    bulkUp(db);
    let server = await spawnServer(['--db', db]);
    try {
      const ana = await signIn(server.url, 'ana@demo.test');
      const boss = await signIn(server.url, 'admin@demo.test');
      const clientId = (await timeApi(server.url).createClient(boss, { name: 'Backup client', hourlyRateCents: 10_000, currency: 'EUR' })).id;
      // A long reader (as a big report would be) keeps every write from here on in the WAL, out of the main file:
      // a copy of the file alone would miss them all; the backup must read through the WAL.
      const reader = new Database(db, { readonly: true });
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM users').get();
      const writers = [0, 1, 2].map((slot) => writer(server.url, ana, clientId, slot));
      await new Promise((r) => setTimeout(r, 500));

      // No such folder yet: refused, nothing written.
      expect(admin(['backup', backup, '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/folder .* does not exist/) });
      spawnSync('mkdir', [join(dir, 'backups')]);
      const beganAt = performance.now();
      const result = await adminAsync(['backup', backup, '--db', db]);
      const endedAt = performance.now();
      await new Promise((r) => setTimeout(r, 300));
      await Promise.all(writers.map((w) => w.stop()));
      reader.exec('COMMIT');
      reader.close();

      expect(result.out).toMatch(/Backed up .* integrity check ok/);
      expect(result.status).toBe(0);
      expect(statSync(backup).mode & 0o777).toBe(0o600);
      // One file: no WAL beside it, no temporary file left.
      expect(readdirSync(join(dir, 'backups'))).toEqual(['tab-backup.sqlite']);

      const acknowledged = writers.flatMap((w) => w.acknowledged);
      const before = acknowledged.filter((a) => a.at < beganAt).map((a) => a.id);
      const during = acknowledged.filter((a) => a.at >= beganAt && a.at < endedAt);
      expect(before.length).toBeGreaterThan(0);
      expect(during.length).toBeGreaterThan(0); // the server kept writing while the backup ran

      expect(rowsOf(backup, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(rowsOf(backup, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }]);
      const inCopy = new Set(rowsOf(backup, 'SELECT id FROM time_entries').map((r) => r.id as string));
      expect(before.filter((id) => !inCopy.has(id))).toEqual([]);
      // One snapshot: the trigger-kept totals agree with the entries in the copy.
      const [totals] = rowsOf(backup, 'SELECT SUM(entries) AS n FROM unbilled_totals');
      const [counted] = rowsOf(backup, 'SELECT COUNT(*) AS n FROM time_entries WHERE billable = 1 AND billed_at IS NULL AND deleted_at IS NULL AND end_at IS NOT NULL');
      expect(totals).toEqual(counted);
      expect(rowsOf(backup, `SELECT COUNT(*) AS n FROM audit_events WHERE type = 'bulk'`)).toEqual([{ n: 60_000 }]);

      // The backup's name is taken now: a second one refuses rather than overwrite it.
      expect(admin(['backup', backup, '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/exists already/) });

      // Restore while the server has the database open: refused, saying how; the database is untouched.
      const refused = admin(['restore', backup, '--db', db]);
      expect(refused.status).toBe(1);
      expect(refused.out).toMatch(/in use by a running TAB server.*Stop every server/s);
      expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);
      expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);

      // Stopped: the restore goes through and keeps the database it replaces.
      await stopServer(server);
      const restored = admin(['restore', backup, '--db', db]);
      expect(restored.out).toMatch(/Restored .* integrity check ok/);
      expect(restored.status).toBe(0);
      const kept = join(dir, readdirSync(dir).find((f) => f.startsWith('tab.sqlite.before-restore-'))!);
      expect(statSync(db).mode & 0o777).toBe(0o600);
      expect(statSync(kept).mode & 0o777).toBe(0o600);
      const all = acknowledged.map((a) => a.id);
      const inKept = new Set(rowsOf(kept, 'SELECT id FROM time_entries').map((r) => r.id as string));
      expect(all.filter((id) => !inKept.has(id))).toEqual([]); // nothing lost: every acknowledged write is in the kept file

      server = await spawnServer(['--db', db]);
      // The same session is still signed in (the key file beside the database is kept); the server reads the backed-up entries.
      const ids = new Set(rowsOf(db, 'SELECT id FROM time_entries').map((r) => r.id as string));
      expect(before.filter((id) => !ids.has(id))).toEqual([]);
      const lastWrites = acknowledged.filter((a) => a.at > endedAt).map((a) => a.id);
      expect(lastWrites.length).toBeGreaterThan(0);
      expect(lastWrites.filter((id) => ids.has(id))).toEqual([]); // written after the backup: not in it
      const firstDays = await call(server.url, 'GET', '/api/v1/entries?from=2025-01-01T00:00:00Z&to=2025-01-11T00:00:00Z', { headers: ana.auth });
      expect(firstDays.status).toBe(200);
      expect(firstDays.body.entries.map((e: { description: string }) => e.description).sort()).toEqual(
        rowsOf(db, `SELECT description FROM time_entries WHERE start_at < ${Date.UTC(2025, 0, 11)} AND start_at >= ${Date.UTC(2025, 0, 1)}`).map((r) => r.description).sort(),
      );
      expect(firstDays.body.entries.length).toBeGreaterThan(0);
      expect((await call(server.url, 'POST', '/api/v1/entries', {
        headers: ana.auth,
        body: { id: randomUUID(), clientId, description: 'after restore', start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z', billable: true },
      })).status).toBe(201);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }, 180_000);

  it('refuses, with a clear message, what it cannot do', async () => {
    const dir = tempDir();
    const db = join(dir, 'tab.sqlite');
    await stopServer(await spawnServer(['--db', db, '--seed-demo']));
    const good = join(dir, 'good.sqlite');
    expect(admin(['backup', good, '--db', db]).status).toBe(0);

    // A backup from a newer TAB: refused before anything is touched.
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(good, newer);
    const n = new Database(newer);
    n.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    n.close();
    expect(admin(['restore', newer, '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/newer than this TAB.*upgrade TAB first/s) });
    // Not a database, not a TAB database, no file.
    const junk = join(dir, 'junk.sqlite');
    spawnSync('sh', ['-c', `head -c 8192 /dev/urandom > ${junk}`]);
    expect(admin(['restore', junk, '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/is not a SQLite database/) });
    const empty = join(dir, 'empty.sqlite');
    new Database(empty).close();
    expect(admin(['restore', empty, '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/is not a TAB database/) });
    expect(admin(['restore', join(dir, 'missing.sqlite'), '--db', db])).toMatchObject({ status: 1, out: expect.stringMatching(/There is no file/) });
    expect(admin(['backup', join(dir, 'x.sqlite'), '--db', join(dir, 'missing.sqlite')])).toMatchObject({ status: 1, out: expect.stringMatching(/does not exist/) });
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false); // a backup never creates the database it was pointed at
    // Every refusal left the database as it was, with no leftovers.
    expect(readdirSync(dir).sort()).toEqual(['empty.sqlite', 'good.sqlite', 'junk.sqlite', 'newer.sqlite', 'tab.sqlite', 'tab.sqlite.demo.json', 'tab.sqlite.jwt-key', 'tab.sqlite.mfa-key']);
    expect(rowsOf(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    // Usage errors (exit 2): no file, two files; PostgreSQL points to pg_dump / pg_restore.
    expect(admin(['backup', '--db', db])).toMatchObject({ status: 2, out: expect.stringMatching(/needs exactly one file/) });
    expect(admin(['restore', good, good, '--db', db])).toMatchObject({ status: 2, out: expect.stringMatching(/needs exactly one file/) });
    expect(admin(['list-users', 'extra', '--db', db])).toMatchObject({ status: 2, out: expect.stringMatching(/Unexpected argument/) });
    const pgBackup = admin(['backup', join(dir, 'pg.dump'), '--db', 'postgres://tab@127.0.0.1:1/tab']);
    expect(pgBackup).toMatchObject({ status: 2, out: expect.stringMatching(/pg_dump .*docs\/deploy\.md/s) });
    expect(admin(['restore', good, '--db', 'postgres://tab@127.0.0.1:1/tab'])).toMatchObject({ status: 2, out: expect.stringMatching(/pg_restore/) });
  }, 120_000);
});
