import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/store/open-store.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-files-'));
  dirs.push(dir);
  return join(dir, 'tab.sqlite');
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite files', () => {
  it('are created readable by their owner only: the database, its WAL and its SHM (mode 0600)', async () => {
    const file = tempFile();
    const store = await openStore(file);
    try {
      await store.createWorkspace({ name: 'Mode firm', now: 1 });
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path), path).toBe(true);
        expect(modeOf(path), path).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it('an existing database (and WAL) left readable by others is tightened to 0600 when opened', async () => {
    const file = tempFile();
    await (await openStore(file)).close();
    chmodSync(file, 0o644);
    // Another connection keeps a WAL in place, made readable by others too.
    const other = new Database(file);
    other.prepare(`INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', 1)`).run();
    chmodSync(`${file}-wal`, 0o644);
    const store = await openStore(file);
    try {
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('a version-4 database made before the store was split opens as before, its rows intact', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    db.prepare(`INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Old firm', 5)`).run();
    db.prepare(`INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES ('u', 'w', 'old@firm.test', 'Old', 'admin', 'scrypt$x', 5)`).run();
    db.close();

    const store = await openStore(file);
    try {
      expect(new Database(file, { readonly: true }).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(await store.findUserByEmail('OLD@firm.test')).toMatchObject({ id: 'u', workspaceId: 'w', role: 'admin', timeZone: 'UTC' });
      expect(await store.listWorkspaces()).toEqual([{ id: 'w', name: 'Old firm', createdAt: 5 }]);
    } finally {
      await store.close();
    }
  });
});
