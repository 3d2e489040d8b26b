import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';

/** These tests move the clock by hours: the sessions authenticate with their cookies, as the web client does (access tokens last 15 minutes). */
const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));
import { timeApi } from '../support/time.js';
import { otherConnection } from '../support/test-store.js';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { migrate } from '../../server/store/sqlite/open.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';
import { amountCents } from '../../shared/api/time.js';

/**
 * The dashboard's unbilled amounts come from unbilled_totals, kept by triggers
 * (migration 3). These tests prove the kept totals always equal a computation
 * from scratch: every entry row read back and summed in JavaScript with
 * amountCents(), after random sequences of every kind of write.
 */

interface Row {
  id: string;
  workspace_id: string;
  user_id: string;
  start_at: number;
  end_at: number | null;
  billable: 0 | 1;
  hourly_rate_cents: number;
  currency: string;
  billed_at: number | null;
  deleted_at: number | null;
}

type Totals = Record<string, { amountCents: number; entries: number }>;

/** Rows of a query, on whichever database the test runs (a second connection: the tables as they are). */
type Rows = (text: string, ...params: unknown[]) => Promise<unknown[]>;
const sqliteRows = (db: Database.Database): Rows => async (text, ...params) => db.prepare(text).all(...params);

/** Finished, billable, unbilled, live entries per workspace|user|currency, from every row. */
async function totalsFromScratch(rows: Rows): Promise<Totals> {
  const totals: Totals = {};
  for (const r of (await rows('SELECT * FROM time_entries')) as Row[]) {
    if (r.billable !== 1 || r.billed_at !== null || r.deleted_at !== null || r.end_at === null) continue;
    const t = (totals[`${r.workspace_id}|${r.user_id}|${r.currency}`] ??= { amountCents: 0, entries: 0 });
    t.amountCents += amountCents(r.end_at - r.start_at, r.hourly_rate_cents);
    t.entries += 1;
  }
  return totals;
}

async function keptTotals(query: Rows): Promise<Totals> {
  const rows = (await query('SELECT workspace_id, user_id, currency, amount_cents, entries FROM unbilled_totals')) as {
    workspace_id: string;
    user_id: string;
    currency: string;
    amount_cents: number;
    entries: number;
  }[];
  return Object.fromEntries(rows.map((r) => [`${r.workspace_id}|${r.user_id}|${r.currency}`, { amountCents: r.amount_cents, entries: r.entries }]));
}

describe('unbilled totals kept by triggers', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.parse('2026-03-02T12:00:00Z'));
  const people: Record<'admin' | 'manager' | 'ana' | 'ben', SignedIn> = {} as never;
  const clients: { id: string }[] = [];
  /** Every entry id ever written or tried (picked by index, so later steps touch earlier entries). */
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ clock });
    for (const name of ['admin', 'manager', 'ana', 'ben'] as const) people[name] = await signIn(server.url, `${name}@demo.test`);
    const t = timeApi(server.url);
    // Rates and currencies that make the rounding and the grouping matter; a zero rate still counts as an entry.
    for (const [i, [rate, currency]] of ([[10_000, 'EUR'], [7_777, 'USD'], [12_345, 'EUR'], [0, 'GBP'], [1, 'USD']] as const).entries()) {
      clients.push(await t.createClient(people.manager, { name: `Client ${i}`, hourlyRateCents: rate, currency }));
    }
  });
  let other: Awaited<ReturnType<typeof otherConnection>>;
  beforeAll(async () => {
    other = await otherConnection(server.dbLocation);
  });
  afterAll(async () => {
    await other.close();
    await server.close();
  });

  /** A second connection to the server's database: these checks read the tables as they are. */
  const db: Rows = (text, ...params) => other.run(text, ...params);
  const who = fc.constantFrom('admin', 'manager', 'ana', 'ben', 'ana', 'ben');
  /** An entry: usually a live one (so that edits, deletes and billing mostly succeed), sometimes any id ever tried. */
  const pick = fc.record({ n: fc.nat(), live: fc.nat({ max: 4 }).map((x) => x > 0) });
  /** Who acts on an existing entry: its owner, or a random person (refusals must leave the totals alone too). */
  const actor = fc.oneof({ weight: 3, arbitrary: fc.constant('owner' as const) }, { weight: 2, arbitrary: who });
  const client = fc.nat({ max: 4 });
  const at = fc.integer({ min: -3 * 24 * 60, max: 60 }).chain((minutes) => fc.nat({ max: 59_999 }).map((ms) => minutes * MINUTE_MS + ms));
  // Exact half cents (180 ms at 100.00/h, 18 s at 1.00/h, 30 min at 0.01/h) pin the rounding.
  const duration = fc.oneof(fc.integer({ min: 1, max: 10 * 60 * MINUTE_MS }), fc.constantFrom(1, 180, 540, 18_000, 17_999, 18_001, 36_000, 1_800_000, 3_600_180));
  const rate = fc.option(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 99, 100, 10_000, 12_345)), { nil: undefined });
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), who, client, start: at, duration: fc.option(duration, { nil: null, freq: 8 }), billable: fc.boolean(), rate }) },
    fc.record({ kind: fc.constant('replay' as const), who, pick }),
    {
      weight: 3,
      arbitrary: fc.record({
      kind: fc.constant('update' as const),
      who: actor,
      pick,
      change: fc.record(
        { client, start: at, duration: fc.option(duration, { nil: null }), billable: fc.boolean(), rate: rate.filter((r) => r !== undefined), description: fc.string({ maxLength: 5 }) },
        { requiredKeys: [] },
      ),
      }),
    },
    fc.record({ kind: fc.constant('delete' as const), who: actor, pick }),
    fc.record({ kind: fc.constant('start' as const), who, client, billable: fc.boolean() }),
    fc.record({ kind: fc.constant('stop' as const), who, byId: fc.option(pick, { nil: undefined }) }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('bill' as const), who: fc.constantFrom('admin', 'manager', 'manager', 'ana'), picks: fc.array(pick, { minLength: 1, maxLength: 4 }) }) },
    fc.record({ kind: fc.constant('clientRate' as const), client, rate: fc.integer({ min: 0, max: 1_000_000 }) }),
    fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 90 * MINUTE_MS }) }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  const iso = (ms: number) => new Date(ms).toISOString();
  const idAt = async ({ n, live }: { n: number; live: boolean }) => {
    const pool = live ? ((await db('SELECT id FROM time_entries WHERE deleted_at IS NULL ORDER BY created_at, id')) as { id: string }[]).map((r) => r.id) : ids;
    return pool.length === 0 ? randomUUID() : pool[n % pool.length]!;
  };
  const nameOf = (userId: string | undefined) => (Object.keys(people) as (keyof typeof people)[]).find((k) => people[k].user.id === userId) ?? 'ana';
  const sent: Record<string, unknown> = {};

  async function run(o: Op): Promise<number> {
    const api = async (w: keyof typeof people | 'owner', method: string, path: string, body?: unknown) =>
      call(server.url, method, path, { body, headers: people[w === 'owner' ? nameOf((await rowOf(path.split('/').pop()!))?.user_id) : w].auth }).then((r) => r.status);
    const now = clock.now();
    switch (o.kind) {
      case 'create': {
        const start = now + o.start;
        const body = {
          id: randomUUID(),
          clientId: clients[o.client]!.id,
          description: 'Random',
          start: iso(start),
          end: o.duration === null ? null : iso(start + o.duration),
          billable: o.billable,
          ...(o.rate === undefined ? {} : { hourlyRateCents: o.rate }),
        };
        ids.push(body.id);
        sent[body.id] = body;
        return api(o.who, 'POST', '/api/v1/entries', body);
      }
      case 'replay': {
        const id = await idAt(o.pick);
        return sent[id] ? api(o.who, 'POST', '/api/v1/entries', sent[id]) : 0;
      }
      case 'update': {
        const id = await idAt(o.pick);
        const c = o.change;
        const start = c.start === undefined ? undefined : now + c.start;
        const body = {
          ...(c.client === undefined ? {} : { clientId: clients[c.client]!.id }),
          ...(start === undefined ? {} : { start: iso(start) }),
          // A new end relative to the new start, or to the entry's own start.
          ...(c.duration === undefined ? {} : { end: c.duration === null ? null : iso((start ?? ((await rowOf(id))?.start_at ?? now)) + c.duration) }),
          ...(c.billable === undefined ? {} : { billable: c.billable }),
          ...(c.rate === undefined ? {} : { hourlyRateCents: c.rate }),
          ...(c.description === undefined ? {} : { description: c.description }),
        };
        return api(o.who, 'PATCH', `/api/v1/entries/${id}`, body);
      }
      case 'delete':
        return api(o.who, 'DELETE', `/api/v1/entries/${await idAt(o.pick)}`);
      case 'start': {
        const id = randomUUID();
        ids.push(id);
        return api(o.who, 'POST', '/api/v1/timer/start', { id, clientId: clients[o.client]!.id, description: 'Timer', billable: o.billable });
      }
      case 'stop':
        return api(o.who, 'POST', '/api/v1/timer/stop', o.byId === undefined ? {} : { id: await idAt(o.byId) });
      case 'bill':
        return api(o.who, 'POST', '/api/v1/billing/mark-billed', { entryIds: [...new Set(await Promise.all(o.picks.map(idAt)))] });
      case 'clientRate':
        return api('manager', 'PATCH', `/api/v1/clients/${clients[o.client]!.id}`, { hourlyRateCents: o.rate });
      case 'tick':
        clock.advance(o.ms);
        return 0;
    }
  }

  async function rowOf(id: string): Promise<Row | undefined> {
    return ((await db('SELECT * FROM time_entries WHERE id = ?', id)) as Row[])[0];
  }

  /** The dashboard's unbilled amounts, from scratch: finished entries summed, running ones up to now. */
  async function expectedDashboard(workspaceId: string, userId: string | null) {
    const totals = new Map<string, number>();
    for (const r of (await db('SELECT * FROM time_entries')) as Row[]) {
      if (r.workspace_id !== workspaceId || (userId !== null && r.user_id !== userId)) continue;
      if (r.billable !== 1 || r.billed_at !== null || r.deleted_at !== null) continue;
      const ms = r.end_at === null ? Math.max(0, clock.now() - r.start_at) : r.end_at - r.start_at;
      totals.set(r.currency, (totals.get(r.currency) ?? 0) + amountCents(ms, r.hourly_rate_cents));
    }
    return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ currency, amountCents: cents }));
  }

  async function expectDashboardsRight(context: string) {
    for (const name of ['manager', 'admin', 'ana', 'ben'] as const) {
      const res = await timeApi(server.url).dashboard(people[name]);
      expect(res.status, context).toBe(200);
      const user = people[name].user;
      const own = user.role === 'accountant' ? user.id : null;
      expect(res.body.unbilledAmounts, `${name}: ${context}`).toEqual(await expectedDashboard(user.workspaceId, own));
    }
  }

  it('equal a from-scratch sum after any random sequence of creates, replays, edits, deletes, timers, billing and rate changes', async () => {
    let writes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        for (const o of ops) {
          const status = await run(o);
          expect(status, JSON.stringify(o)).toBeLessThan(500);
          if (status >= 200 && status < 300) writes++;
          // Cheap, and pins a wrong step to the step itself.
          expect(await keptTotals(db), JSON.stringify(o)).toEqual(await totalsFromScratch(db));
        }
        await expectDashboardsRight(JSON.stringify(ops));
      }),
      { numRuns: 100 },
    );
    // The sequences did write (not only refusals), billed and deleted things, and left unbilled money in several currencies.
    expect(writes).toBeGreaterThan(500);
    const [counts] = (await db('SELECT COUNT(billed_at) AS billed, COUNT(deleted_at) AS deleted, COUNT(*) - COUNT(end_at) AS running FROM time_entries')) as {
      billed: number;
      deleted: number;
      running: number;
    }[];
    expect(counts!.billed).toBeGreaterThan(0);
    expect(counts!.deleted).toBeGreaterThan(0);
    expect(Object.keys(await keptTotals(db)).length).toBeGreaterThan(3);
  }, 120_000);

  it('follow writes that bypass the API (bulk inserts, raw updates, hard deletes) and roll back with a failed transaction', async () => {
    const d = db;
    const [ana, ben] = [people.ana.user, people.ben.user];
    const base = clock.now() - 400 * 24 * 60 * MINUTE_MS;
    const insert = `INSERT INTO time_entries (id, workspace_id, user_id, client_id, description, start_at, end_at, billable,
      hourly_rate_cents, currency, billed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'bulk', ?, ?, ?, ?, ?, ?, ?, ?)`;
    await d('BEGIN');
    for (let i = 0; i < 300; i++) {
      const start = base + i * 3_601_234;
      await d(insert, randomUUID(), ana.workspaceId, i % 2 ? ana.id : ben.id, clients[i % 5]!.id, start, start + 1 + i * 12_347, i % 3 ? 1 : 0, 100 + i * 37,
        i % 7 ? 'EUR' : 'CHF', i % 11 ? null : start + 5, start, start);
    }
    await d('COMMIT');
    expect(await keptTotals(d)).toEqual(await totalsFromScratch(d));
    // The bulk row's number i, from its rate (100 + 37 i), on either dialect.
    const nth = (k: number) => `(hourly_rate_cents - 100) / 37 % ${k} = 0`;
    await d(`UPDATE time_entries SET billed_at = 1 WHERE description = 'bulk' AND ${nth(4)}`);
    await d(`UPDATE time_entries SET user_id = ?, currency = 'JPY' WHERE description = 'bulk' AND ${nth(5)}`, ben.id);
    await d(`UPDATE time_entries SET end_at = end_at + 1799 WHERE description = 'bulk' AND ${nth(3)}`);
    expect(await keptTotals(d)).toEqual(await totalsFromScratch(d));
    const before = await keptTotals(d);
    await d('BEGIN');
    await d(`DELETE FROM time_entries WHERE description = 'bulk'`);
    await d('ROLLBACK');
    expect(await keptTotals(d)).toEqual(before);
    await d(`DELETE FROM time_entries WHERE description = 'bulk'`);
    expect(await keptTotals(d)).toEqual(await totalsFromScratch(d));
    expect(Object.keys(await keptTotals(d)).some((k) => k.endsWith('|CHF') || k.endsWith('|JPY'))).toBe(false);
  });
});

describe('migration 3', () => {
  it('fills the totals from the entries already there', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(MIGRATIONS[0]!);
    db.exec(MIGRATIONS[1]!);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', 0)`).run();
    for (const u of ['u1', 'u2']) {
      db.prepare(`INSERT INTO users (id, workspace_id, email, name, role, password_hash, created_at) VALUES (?, 'w', ?, ?, 'accountant', 'x', 0)`).run(u, `${u}@x.test`, u);
    }
    db.prepare(`INSERT INTO clients (id, workspace_id, name, hourly_rate_cents, currency, created_at, updated_at) VALUES ('c', 'w', 'C', 100, 'EUR', 0, 0)`).run();
    const insert = db.prepare(`INSERT INTO time_entries (id, workspace_id, user_id, client_id, description, start_at, end_at, billable,
      hourly_rate_cents, currency, billed_at, created_at, updated_at, deleted_at) VALUES (?, 'w', ?, 'c', '', ?, ?, ?, ?, ?, ?, 0, 0, ?)`);
    for (let i = 0; i < 200; i++) {
      insert.run(`e${i}`, i % 2 ? 'u1' : 'u2', i * 10_000_000, i < 2 ? null : i * 10_000_000 + 1 + i * 99_991, i % 3 ? 1 : 0, 1 + i * 131,
        i % 3 === 2 ? 'USD' : 'EUR', i % 5 ? null : 1, i % 7 ? null : 1);
    }
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const totals = await keptTotals(sqliteRows(db));
    expect(Object.keys(totals).length).toBe(4);
    expect(totals).toEqual(await totalsFromScratch(sqliteRows(db)));
    db.close();
  });
});
