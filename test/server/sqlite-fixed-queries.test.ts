import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type Dialect,
} from 'kysely';
import { FixedQuery, pick } from '../../server/store/sql/fixed-query.js';
import type { TabDatabase } from '../../server/store/sql/schema.js';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import type { StoredEntry } from '../../server/store/types.js';

/**
 * Fixed queries (server/store/sql/fixed-query.ts): compiled once, run with new
 * values. The compiled-once query must be exactly what Kysely compiles afresh
 * from the same values, on both dialects; misuse is refused when the store
 * opens; and on SQLite the quick way around Kysely's executor (runs at once
 * when the one connection allows it) never reads inside another step's
 * transaction and still waits for another process's write lock.
 */
const compilerOnly = (adapter: () => Dialect['createAdapter'] extends () => infer A ? A : never, compiler: () => ReturnType<Dialect['createQueryCompiler']>, introspector: Dialect['createIntrospector']) =>
  new Kysely<TabDatabase>({ dialect: { createAdapter: adapter, createDriver: () => new DummyDriver(), createIntrospector: introspector, createQueryCompiler: compiler } });
const dialects = {
  sqlite: compilerOnly(() => new SqliteAdapter(), () => new SqliteQueryCompiler(), (db) => new SqliteIntrospector(db)),
  postgres: compilerOnly(() => new PostgresAdapter(), () => new PostgresQueryCompiler(), (db) => new PostgresIntrospector(db)),
};

type Row = { id: string; user_id: string; start_at: number; end_at: number | null; billable: 0 | 1; description: string };
const ROW_KEYS = ['id', 'user_id', 'start_at', 'end_at', 'billable', 'description'] as const;

describe.each(Object.entries(dialects))('a fixed query on %s', (_name, db) => {
  const shapes = {
    select: ($: { userId: string; start: number; end: number; limit: number }) =>
      db.selectFrom('time_entries').select(['id', 'description']).where('user_id', '=', $.userId).where('deleted_at', 'is', null)
        .where('start_at', '<', $.end).where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', $.start)]))
        .orderBy('start_at').limit($.limit),
    insert: ($: Row) =>
      db.insertInto('time_entries').values({ ...pick($, ROW_KEYS), workspace_id: 'w', client_id: 'c', hourly_rate_cents: 100, currency: 'EUR', created_at: 1, updated_at: 1 }),
    update: ($: Row & { version: number }) =>
      db.updateTable('time_entries').set((eb) => ({ ...pick($, ['description', 'end_at', 'billable']), version: eb('version', '+', 1) }))
        .where('id', '=', $.id).where('version', '=', $.version),
  };
  const text = fc.oneof(fc.string(), fc.constant('\u0000'), fc.constant("'; DROP TABLE users; --"));
  const instant = fc.integer({ min: 0, max: 2 ** 45 });
  const row = fc.record({ id: fc.uuid(), user_id: fc.uuid(), start_at: instant, end_at: fc.option(instant), billable: fc.constantFrom(0 as const, 1 as const), description: text });

  it('compiles, with any values, to exactly what Kysely compiles from those values', () => {
    const same = <P extends object>(build: ($: P) => Compilable<unknown>, values: P) => {
      const once = new FixedQuery(build).compiled(values);
      const fresh = build(values).compile();
      expect({ sql: once.sql, parameters: once.parameters }).toEqual({ sql: fresh.sql, parameters: fresh.parameters });
    };
    fc.assert(
      fc.property(fc.record({ userId: text, start: instant, end: instant, limit: fc.nat(1000) }), row, fc.nat(), (params, r, version) => {
        same(shapes.select, params);
        same(shapes.insert, r);
        same(shapes.update, { ...r, version });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses, when built, a parameter looked at in JavaScript, changed, or inlined into the SQL', () => {
    expect(() => new FixedQuery(($: { billable: boolean }) => db.selectFrom('time_entries').select('id').where('billable', '=', $.billable ? 1 : 0)))
      .toThrow(/looks at billable in JavaScript/);
    expect(() => new FixedQuery(($: { q: string }) => db.selectFrom('time_entries').select('id').where('description', 'like', `%${$.q}%`)))
      .toThrow(/changes a parameter/);
    expect(() => new FixedQuery(($: { column: string }) => db.selectFrom('time_entries').select('id').where(sql.raw($.column), '=', 1)))
      .toThrow(/inlines a parameter/);
  });

  it('refuses to run without one of its parameters (Kysely would leave the column out)', () => {
    const insert = new FixedQuery(shapes.insert);
    expect(() => insert.compiled({ id: 'x', user_id: 'u', start_at: 1, end_at: null, billable: 1 } as Row)).toThrow(/without its parameter "description"/);
  });
});

describe('fixed queries on SQLite, run at once where the connection allows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-fixed-'));
  const file = join(dir, 'tab.sqlite');
  let store: OpenedStore;
  let entry: (id?: string) => StoredEntry;

  beforeAll(async () => {
    store = await openStore(file);
    const workspaceId = (await store.createWorkspace({ name: 'Fixed firm', now: 1 })).id;
    const userId = (await store.createUser({ workspaceId, email: 'fix@fixed.test', name: 'Fix', role: 'accountant', passwordHash: 'scrypt$x', now: 1 })).id;
    const clientId = (await store.createClient({ id: randomUUID(), workspaceId, name: 'C', hourlyRateCents: 100, currency: 'EUR', archivedAt: null, createdAt: 1, updatedAt: 1 })).id;
    let n = 0;
    entry = (id = randomUUID()) => {
      const start = Date.UTC(2026, 0, 1) + n++ * 7_200_000;
      return { id, workspaceId, userId, clientId, description: 'd', start, end: start + 3_600_000, billable: true, hourlyRateCents: 100, currency: 'EUR', billedAt: null, createdAt: 1, updatedAt: 1, deletedAt: null, version: 1 };
    };
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read outside any transaction never sees the uncommitted rows of another step’s transaction', async () => {
    const id = randomUUID();
    const written = entry(id);
    let inserted!: () => void;
    const insertedNow = new Promise<void>((r) => (inserted = r));
    // A transaction that inserts, lets other requests run, then rolls back.
    const rolledBack = store.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('time_entries').values({
        id, workspace_id: written.workspaceId, user_id: written.userId, client_id: written.clientId, description: 'x', start_at: written.start,
        end_at: written.end, billable: 1, hourly_rate_cents: 1, currency: 'EUR', billed_at: null, created_at: 1, updated_at: 1,
      }).execute();
      inserted();
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('roll back');
    }).catch((error: Error) => error.message);
    await insertedNow;
    // Asked while the transaction holds the connection: waits its turn, then finds nothing.
    const [found, overlapping] = await Promise.all([store.findEntry(id), store.overlappingEntries(written.userId, written.start, written.end, 'other')]);
    expect(await rolledBack).toBe('roll back');
    expect(found).toBeUndefined();
    expect(overlapping).not.toContain(id);
  });

  it('a write outside any transaction waits for another process’s write lock, then lands', async () => {
    const e = entry();
    expect(await store.insertEntry(e)).toBe('inserted');
    // The child says when it let go of the lock, on the system clock both processes share.
    const script = `const db = require('better-sqlite3')(process.argv[1]);
      db.exec('BEGIN IMMEDIATE'); console.log('held');
      setTimeout(() => { db.exec('COMMIT'); console.log('committed ' + Date.now()); db.close(); }, 600);`;
    const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    await new Promise<void>((r) => child.stdout.on('data', () => out.includes('held') && r()));
    const outcome = await store.deleteEntry(e.id, 1, 5);
    const doneAt = Date.now();
    await exited;
    expect(outcome).toBe('deleted');
    expect(doneAt).toBeGreaterThanOrEqual(Number(/committed (\d+)/.exec(out)?.[1]));
    expect((await store.findEntry(e.id))?.deletedAt).toBe(5);
  });

  it('write transactions begun at once: one at a time, rolled back on a throw, and waiting for another process’s lock', async () => {
    // 40 parallel inserts of one id and 40 of distinct ids: exactly one of the first is inserted, all of the second.
    const same = entry();
    const outcomes = await Promise.all([...Array.from({ length: 40 }, () => store.insertEntry(same)), ...Array.from({ length: 40 }, () => store.insertEntry(entry()))]);
    expect(outcomes.slice(0, 40).filter((o) => o === 'inserted')).toHaveLength(1);
    expect(outcomes.slice(40).every((o) => o === 'inserted')).toBe(true);
    // A unique-index violation inside the transaction (a second running timer) rolls it back whole and lets go of the connection.
    const running = { ...entry(), end: null };
    expect(await store.insertEntry(running)).toBe('inserted');
    const second = { ...entry(), end: null };
    expect(await store.insertEntry(second)).toBe('running_conflict');
    expect(await store.findEntry(second.id)).toBeUndefined();
    expect(await store.stopTimer(running.userId, running.id, running.start + 60_000)).toMatchObject({ id: running.id });
    // Another process holds the write lock: the transaction waits (the usual way), then lands after its COMMIT.
    const script = `const db = require('better-sqlite3')(process.argv[1]);
      db.exec('BEGIN IMMEDIATE'); console.log('held');
      setTimeout(() => { db.exec('COMMIT'); console.log('committed ' + Date.now()); db.close(); }, 600);`;
    const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    await new Promise<void>((r) => child.stdout.on('data', () => out.includes('held') && r()));
    const waiting = entry();
    const [outcome, readMeanwhile] = await Promise.all([store.insertEntry(waiting), store.findEntry(same.id)]);
    const doneAt = Date.now();
    await exited;
    expect(outcome).toBe('inserted');
    expect(readMeanwhile?.id).toBe(same.id);
    expect(doneAt).toBeGreaterThanOrEqual(Number(/committed (\d+)/.exec(out)?.[1]));
    expect((await store.findEntry(waiting.id))?.id).toBe(waiting.id);
  });

  it('answers the same as compiled afresh through Kysely (the reference mode), for the write path', async () => {
    const reference = await openStore(file, { fixedQueries: 'compile-each-time' });
    try {
      const e = entry();
      expect(await store.insertEntry(e)).toBe('inserted');
      expect(await reference.insertEntry(e)).toBe('exists');
      expect(await reference.findEntry(e.id)).toEqual(await store.findEntry(e.id));
      const running = { ...entry(), end: null };
      expect((await reference.startTimer(running, running.start + 10)).outcome).toBe('started');
      expect(await store.overlappingEntries(e.userId, running.start, null, 'x')).toEqual(await reference.overlappingEntries(e.userId, running.start, null, 'x'));
      expect(await store.stopTimer(e.userId, running.id, running.start + 60_000)).toMatchObject({ id: running.id, end: running.start + 60_000, version: 2 });
      expect(await reference.updateEntry({ ...e, description: 'changed' }, 1)).toBe('updated');
      expect(await store.updateEntry({ ...e, description: 'again' }, 1)).toBe('stale');
      expect((await store.findEntry(e.id))?.description).toBe('changed');
    } finally {
      await reference.close();
    }
  });
});
