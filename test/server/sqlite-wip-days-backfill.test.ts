import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../server/store/sqlite/open.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';

/** Migration 15 fills wip_days from the entries already there (SQLite; PostgreSQL's is the same INSERT … SELECT, and its triggers are tested in wip-days.test.ts). */
describe('migration 15 backfill', () => {
  it('fills the WIP day table from the unbilled entries already there', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (let v = 0; v < 14; v++) db.exec(MIGRATIONS[v]!);
    db.pragma('user_version = 14');
    db.prepare(`INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', 0)`).run();
    db.prepare(`INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES ('u', 'w', 'u@x.test', 'U', 'accountant', 'x', 0)`).run();
    for (const c of ['c1', 'c2']) db.prepare(`INSERT INTO clients (id, workspace_id, name, hourly_rate_cents, currency, created_at, updated_at) VALUES (?, 'w', ?, 100, 'EUR', 0, 0)`).run(c, c);
    db.prepare(`INSERT INTO matters (id, workspace_id, client_id, code, name, billing_type, created_at, updated_at) VALUES ('m', 'w', 'c1', 'M', 'M', 'hourly', 0, 0)`).run();
    const insert = db.prepare(`INSERT INTO time_entries (id, workspace_id, user_id, client_id, matter_id, description, start_at, end_at, billable,
      hourly_rate_cents, currency, billed_at, created_at, updated_at, deleted_at) VALUES (?, 'w', 'u', ?, ?, '', ?, ?, ?, ?, ?, ?, 0, 0, ?)`);
    for (let i = 0; i < 300; i++) {
      const start = 1_790_000_000_000 + i * 7_777_777;
      insert.run(`e${i}`, i % 2 ? 'c1' : 'c2', i % 4 === 1 ? 'm' : null, start, i === 299 ? null : start + 1 + i * 99_991, i % 3 ? 1 : 0, 1 + i * 131,
        i % 5 === 2 ? 'USD' : 'EUR', i % 5 ? null : 1, i % 7 ? null : 1);
    }
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const kept = db.prepare('SELECT * FROM wip_days ORDER BY client_id, matter_key, currency, day').all();
    const fresh = db.prepare(`SELECT workspace_id, client_id, COALESCE(matter_id, '') AS matter_key, currency, start_at / 86400000 AS day, COUNT(*) AS entries,
        SUM(end_at - start_at) AS duration_ms, SUM(((end_at - start_at) * hourly_rate_cents + 1800000) / 3600000) AS amount_cents
      FROM time_entries WHERE billable = 1 AND billed_at IS NULL AND deleted_at IS NULL AND end_at IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5 ORDER BY client_id, matter_key, currency, day`).all();
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(fresh);
    db.close();
  });
});
