import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs, UsageError } from '../../server/cli/args.js';
import { DAY_MS, ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { DEMO_CLIENTS, DEMO_TIME_ZONE, DEMO_VERSION, DEMO_WEEKS, seedDemoFirm } from '../../server/seed/demo-firm.js';
import { demoMarkerPath, prepareDemoDatabase, readMarker } from '../../server/seed/demo-database.js';
import { seedDemo } from '../../server/seed/demo.js';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import { shiftWeek, thisWeek } from '../../shared/time/periods.js';
import { call, signIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { onPostgres } from '../support/test-store.js';

/** Wednesday 25 November 2026, 14:00 in London: the demo is made relative to this. */
const NOW = Date.parse('2026-11-25T14:00:00Z');

const servers: TestServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface EntryRow {
  id: string;
  email: string;
  currency: string;
  start_at: number;
  end_at: number | null;
  billable: number;
  billed_at: number | null;
  hourly_rate_cents: number;
}

async function entryRows(store: OpenedStore): Promise<EntryRow[]> {
  return sqlRows<EntryRow>(
    store,
    `SELECT e.id, u.email, e.currency, e.start_at, e.end_at, e.billable, e.billed_at, e.hourly_rate_cents
       FROM time_entries e JOIN users u ON u.id = e.user_id WHERE e.deleted_at IS NULL ORDER BY e.start_at, e.id`,
  );
}

describe('the demo firm (--seed-demo), on this store', () => {
  let server: TestServer;
  let rows: EntryRow[];

  it('seeds into an empty database through the store', async () => {
    const clock = new ManualClock(NOW);
    server = await startTestServer({ clock, seed: false });
    servers.push(server);
    const result = await seedDemoFirm(server.store, NOW);
    expect(result.outcome).toBe('seeded');
    rows = await entryRows(server.store);
    expect(result).toEqual({ outcome: 'seeded', entries: rows.length });
  });

  it('three clients, one per currency, with rates', async () => {
    const clients = await sqlRows<{ name: string; currency: string; hourly_rate_cents: number }>(server.store, 'SELECT name, currency, hourly_rate_cents FROM clients ORDER BY currency');
    expect(clients.map((c) => c.currency)).toEqual(['EUR', 'GBP', 'USD']);
    for (const client of clients) expect(client.hourly_rate_cents).toBeGreaterThan(0);
    expect(clients.map((c) => c.name).sort()).toEqual(DEMO_CLIENTS.map((c) => c.name).sort());
  });

  it('eight weeks of time for ana, ben and the manager, none for the admin, nothing in the future, no overlaps', async () => {
    const week = thisWeek(NOW, DEMO_TIME_ZONE);
    const firstMonday = shiftWeek(week, -(DEMO_WEEKS - 1), DEMO_TIME_ZONE);
    for (const email of ['ana@demo.test', 'ben@demo.test', 'manager@demo.test']) {
      const own = rows.filter((r) => r.email === email);
      for (let w = 0; w < DEMO_WEEKS; w++) {
        const { from, to } = shiftWeek(firstMonday, w, DEMO_TIME_ZONE);
        expect(own.some((r) => r.start_at >= from && r.start_at < to), `${email}, week ${w}`).toBe(true);
      }
      for (let i = 1; i < own.length; i++) expect(own[i]!.start_at, email).toBeGreaterThanOrEqual(own[i - 1]!.end_at ?? Infinity);
    }
    expect(rows.some((r) => r.email === 'admin@demo.test')).toBe(false);
    expect(Math.min(...rows.map((r) => r.start_at))).toBeGreaterThanOrEqual(shiftWeek(week, -(DEMO_WEEKS - 1), DEMO_TIME_ZONE).from);
    expect(rows.every((r) => (r.end_at ?? r.start_at) <= NOW)).toBe(true);
  });

  it('billable and not, the weeks four or more weeks old billed (billable ones only), the recent ones not', async () => {
    const billedBefore = shiftWeek(thisWeek(NOW, DEMO_TIME_ZONE), -3, DEMO_TIME_ZONE).from;
    const finished = rows.filter((r) => r.end_at !== null);
    expect(finished.some((r) => r.billable === 0)).toBe(true);
    for (const r of finished) {
      const shouldBeBilled = r.billable === 1 && r.start_at < billedBefore;
      expect(r.billed_at !== null, `entry at ${new Date(r.start_at).toISOString()}`).toBe(shouldBeBilled);
    }
    expect(finished.filter((r) => r.billed_at !== null).length).toBeGreaterThan(20);
    const audit = await sqlRows<{ type: string }>(server.store, `SELECT type FROM audit_events WHERE type = 'entries_billed'`);
    expect(audit).toHaveLength(4);
  });

  it('one running timer: ana’s, started 37 minutes ago; the dashboard shows it and the unbilled amounts add up', async () => {
    const running = rows.filter((r) => r.end_at === null);
    expect(running).toEqual([expect.objectContaining({ email: 'ana@demo.test', start_at: NOW - 37 * MINUTE_MS })]);
    const ana = await signIn(server.url, 'ana@demo.test');
    const dashboard = (await call(server.url, 'GET', '/api/v1/dashboard', { headers: ana.auth })).body;
    expect(dashboard).toMatchObject({ timeZone: DEMO_TIME_ZONE, runningTimer: { id: running[0]!.id } });
    expect(dashboard.hoursThisWeek).toBeGreaterThan(0);

    const admin = await signIn(server.url, 'admin@demo.test');
    const firmWide = (await call(server.url, 'GET', '/api/v1/dashboard', { headers: admin.auth })).body;
    const expected = new Map<string, number>();
    // The dashboard counts a running timer up to now.
    for (const r of rows) {
      if (r.billable === 0 || r.billed_at !== null) continue;
      expected.set(r.currency, (expected.get(r.currency) ?? 0) + Math.round((((r.end_at ?? NOW) - r.start_at) / 3_600_000) * r.hourly_rate_cents));
    }
    expect(firmWide.unbilledScope).toBe('workspace');
    expect(Object.fromEntries(firmWide.unbilledAmounts.map((m: { currency: string; amountCents: number }) => [m.currency, m.amountCents]))).toEqual(Object.fromEntries(expected));
    expect(expected.size).toBe(3);
  });

  it('ana is signed in on "Ana’s MacBook Pro", a phone and a browser', async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    const sessions = (await call(server.url, 'GET', '/api/v1/sessions', { headers: ana.auth })).body.sessions as { label: string; clientKind: string; ip: string }[];
    // The seeded ones: from the documentation address ranges (this test's own sign-ins come from loopback).
    const labels = sessions.filter((s) => /^(203\.0\.113|198\.51\.100)\./.test(s.ip)).map((s) => `${s.clientKind}: ${s.label}`);
    expect(labels).toHaveLength(3);
    expect(labels).toEqual(expect.arrayContaining(['desktop: Ana’s MacBook Pro', expect.stringMatching(/^web: .*iPhone/), expect.stringMatching(/^web: Chrome .*Windows/)]));
  });

  it('ana’s week two weeks ago approved (its entries locked for her), ben’s last week waiting for approval', async () => {
    const week = thisWeek(NOW, DEMO_TIME_ZONE);
    const [approvedMonday, submittedMonday] = [shiftWeek(week, -2, DEMO_TIME_ZONE).monday, shiftWeek(week, -1, DEMO_TIME_ZONE).monday];
    const manager = await signIn(server.url, 'manager@demo.test');
    const queue = (await call(server.url, 'GET', '/api/v1/timesheets/queue', { headers: manager.auth })).body.weeks;
    expect(queue).toEqual([expect.objectContaining({ member: expect.objectContaining({ name: 'Ben Accountant' }), monday: submittedMonday })]);
    const ana = await signIn(server.url, 'ana@demo.test');
    const approved = (await call(server.url, 'GET', `/api/v1/timesheets/${ana.user.id}/weeks/${approvedMonday}`, { headers: ana.auth })).body;
    expect(approved.approval).toMatchObject({ status: 'approved', approvedBy: { name: 'Morgan Manager' } });
    expect(approved.totalMs).toBeGreaterThan(0);
    const locked = await call(server.url, 'PATCH', `/api/v1/entries/${approved.entries[0].id}`, { headers: ana.auth, body: { description: 'x' } });
    expect(locked.body.error.code).toBe('week_approved');
  });

  it('one pending invitation, shown to the admin', async () => {
    const admin = await signIn(server.url, 'admin@demo.test');
    const members = (await call(server.url, 'GET', '/api/v1/admin/members', { headers: admin.auth })).body.members as { email: string; invitedAt: string | null; invitationExpiresAt: string | null }[];
    const invited = members.filter((m) => m.invitedAt !== null);
    expect(invited).toHaveLength(1);
    expect(invited[0]).toMatchObject({ email: 'chloe@demo.test' });
    expect(Date.parse(invited[0]!.invitationExpiresAt!)).toBeGreaterThan(NOW);
  });

  it('never into a database that holds anything: a second run writes nothing', async () => {
    expect(await seedDemoFirm(server.store, NOW + DAY_MS)).toEqual({ outcome: 'not_empty' });
    expect(await entryRows(server.store)).toHaveLength(rows.length);
    const fixtureOnly = await startTestServer({ clock: new ManualClock(NOW) });
    servers.push(fixtureOnly);
    expect(await seedDemoFirm(fixtureOnly.store, NOW)).toEqual({ outcome: 'not_empty' });
    expect(await sqlRows(fixtureOnly.store, 'SELECT id FROM clients')).toHaveLength(0);
  });
});

// npm start's own demo is a SQLite file: not registered on the PostgreSQL run, so that run's skips are only ones that mean something.
const describeOnSqlite = onPostgres ? () => undefined : describe;
describeOnSqlite('npm start’s own demo file (--renew-demo)', () => {
  const demoFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tab-demo-'));
    dirs.push(dir);
    return join(dir, 'demo.sqlite');
  };
  const prepare = async (file: string, renew: boolean, now = NOW) => {
    const store = await openStore(file);
    const result = await prepareDemoDatabase(store, file, { renew, now, reopen: () => openStore(file) });
    const clients = await sqlRows(result.store, 'SELECT id FROM clients');
    const extra = await sqlRows(result.store, `SELECT id FROM clients WHERE name = 'Added by hand'`);
    await result.store.close();
    return { outcome: result.outcome, clients: clients.length, extra: extra.length };
  };
  const addClient = async (file: string) => {
    const store = await openStore(file);
    const [workspace] = await store.listWorkspaces();
    await store.createClient({ id: crypto.randomUUID(), workspaceId: workspace!.id, name: 'Added by hand', hourlyRateCents: 1, currency: 'EUR', archivedAt: null, createdAt: NOW, updatedAt: NOW });
    await store.close();
  };

  it('an empty file: seeded, with its marker', async () => {
    const file = demoFile();
    expect(await prepare(file, true)).toEqual({ outcome: 'seeded', clients: 3, extra: 0 });
    expect(readMarker(file)).toEqual({ version: DEMO_VERSION, seededAt: NOW });
  });

  it('the current demo is kept as it is (what the person did in it stays)', async () => {
    const file = demoFile();
    await prepare(file, true);
    await addClient(file);
    expect(await prepare(file, true, NOW + DAY_MS)).toEqual({ outcome: 'current', clients: 4, extra: 1 });
  });

  it('an older demo is made anew: the four-user demo of before (no marker), an older version, one made over a week ago', async () => {
    const oldFourUsers = demoFile();
    const store = await openStore(oldFourUsers);
    await seedDemo(store, NOW);
    await store.close();
    expect(await prepare(oldFourUsers, true)).toEqual({ outcome: 'renewed', clients: 3, extra: 0 });

    const olderVersion = demoFile();
    await prepare(olderVersion, true);
    await addClient(olderVersion);
    writeFileSync(demoMarkerPath(olderVersion), JSON.stringify({ version: DEMO_VERSION - 1, seededAt: NOW }));
    expect(await prepare(olderVersion, true)).toEqual({ outcome: 'renewed', clients: 3, extra: 0 });
    expect(readMarker(olderVersion)).toEqual({ version: DEMO_VERSION, seededAt: NOW });

    const stale = demoFile();
    await prepare(stale, true);
    await addClient(stale);
    const later = NOW + 8 * DAY_MS;
    expect(await prepare(stale, true, later)).toEqual({ outcome: 'renewed', clients: 3, extra: 0 });
    expect(readMarker(stale)?.seededAt).toBe(later);
  });

  it('without --renew-demo (a --db the person gave), an older demo is left alone', async () => {
    const file = demoFile();
    await prepare(file, true);
    await addClient(file);
    writeFileSync(demoMarkerPath(file), JSON.stringify({ version: 1, seededAt: NOW }));
    expect(await prepare(file, false)).toEqual({ outcome: 'older', clients: 4, extra: 1 });
  });

  it('a database with another firm is never touched, even with --renew-demo', async () => {
    const file = demoFile();
    const store = await openStore(file);
    await store.createWorkspace({ name: 'Real firm LLP', now: NOW });
    await store.close();
    await addClient(file);
    expect(await prepare(file, true)).toEqual({ outcome: 'not_demo', clients: 1, extra: 1 });
    expect(existsSync(demoMarkerPath(file))).toBe(false);
  });

  it('--renew-demo only with --seed-demo', () => {
    expect(() => parseServerArgs(['--renew-demo'], {})).toThrow(UsageError);
    expect(parseServerArgs(['--seed-demo', '--renew-demo'], {})).toMatchObject({ seedDemo: true, renewDemo: true });
  });
});
