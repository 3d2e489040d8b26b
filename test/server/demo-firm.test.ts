import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs, UsageError } from '../../server/cli/args.js';
import { DAY_MS, ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { DEMO_ACTIVITIES, DEMO_MATTERS, VOID_REASON, WRITE_DOWN_REASON } from '../../server/seed/demo-billing.js';
import { DEMO_CLIENTS, DEMO_TIME_ZONE, DEMO_VERSION, DEMO_WEEKS, seedDemoFirm } from '../../server/seed/demo-firm.js';
import { demoMarkerPath, prepareDemoDatabase, readMarker } from '../../server/seed/demo-database.js';
import { seedDemo } from '../../server/seed/demo.js';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import { shiftWeek, thisWeek } from '../../shared/time/periods.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { freshDatabase, onPostgres } from '../support/test-store.js';

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
  client_id: string;
  matter_id: string | null;
  activity_id: string | null;
  currency: string;
  start_at: number;
  end_at: number | null;
  billable: number;
  billed_at: number | null;
  invoice_id: string | null;
  billed_reference: string | null;
  hourly_rate_cents: number;
}

async function entryRows(store: OpenedStore): Promise<EntryRow[]> {
  return sqlRows<EntryRow>(
    store,
    `SELECT e.id, u.email, e.client_id, e.matter_id, e.activity_id, e.currency, e.start_at, e.end_at, e.billable, e.billed_at, e.invoice_id, e.billed_reference, e.hourly_rate_cents
       FROM time_entries e JOIN users u ON u.id = e.user_id WHERE e.deleted_at IS NULL ORDER BY e.start_at, e.id`,
  );
}

describe('the demo firm (--seed-demo), on this store', { timeout: 120_000 }, () => {
  let server: TestServer;
  let rows: EntryRow[];
  let manager: SignedIn;
  const week = thisWeek(NOW, DEMO_TIME_ZONE);
  const weekAgo = (n: number) => shiftWeek(week, -n, DEMO_TIME_ZONE);
  const api = async (path: string, who = manager) => (await call(server.url, 'GET', `/api/v1${path}`, { headers: who.auth })).body;

  it('seeds into an empty database through the store', async () => {
    const clock = new ManualClock(NOW);
    server = await startTestServer({ clock, seed: false });
    servers.push(server);
    const result = await seedDemoFirm(server.store, NOW);
    expect(result.outcome).toBe('seeded');
    rows = await entryRows(server.store);
    expect(result).toEqual({ outcome: 'seeded', entries: rows.length });
    manager = await signIn(server.url, 'manager@demo.test');
  });

  it('three clients, one per currency, with rates, their rounding rules and VAT on the UK client', async () => {
    const clients = (await api('/clients')).clients as { id: string; name: string; currency: string; hourlyRateCents: number; rounding: unknown }[];
    expect(clients.map((c) => c.currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
    expect(clients.map((c) => c.name).sort()).toEqual(DEMO_CLIENTS.map((c) => c.name).sort());
    for (const client of clients) {
      expect(client.hourlyRateCents).toBeGreaterThan(0);
      const spec = DEMO_CLIENTS.find((c) => c.name === client.name)!;
      expect(client.rounding).toEqual(spec.rounding ?? { incrementMinutes: 1, mode: 'nearest', scope: 'entry' });
      expect(await api(`/billing/clients/${client.id}/tax`)).toEqual(client.currency === 'GBP' ? { rateBp: 2000, label: 'VAT' } : { rateBp: 0, label: 'Tax' });
    }
  });

  it('the billing set-up: one or two matters per client (one closed once its work was done), activity codes, a matter rate and a member’s rate', async () => {
    const clients = (await api('/clients')).clients as { id: string; currency: string }[];
    const matters = (await api('/matters')).matters as { id: string; clientId: string; code: string; closed: boolean; closedAt: string | null; budget: unknown; rounding: unknown }[];
    expect(matters.map((m) => m.code).sort()).toEqual(DEMO_MATTERS.map((m) => m.code).sort());
    for (const client of clients) expect(matters.filter((m) => m.clientId === client.id).length).toBeGreaterThanOrEqual(1);
    const closed = matters.filter((m) => m.closed);
    expect(closed.map((m) => m.code)).toEqual(['CT-25']);
    const closedAt = Date.parse(closed[0]!.closedAt!);
    expect(closedAt).toBeLessThan(weekAgo(4).from);
    const onClosed = rows.filter((r) => r.matter_id === closed[0]!.id);
    expect(onClosed.length).toBeGreaterThan(0);
    expect(onClosed.every((r) => r.start_at < closedAt)).toBe(true);
    expect(matters.find((m) => m.code === 'PAY-26')!.rounding).toEqual({ incrementMinutes: 10, mode: 'up', scope: 'day-per-matter' });

    const activities = (await api('/activities')).activities as { id: string; name: string; archived: boolean }[];
    expect(activities.map((a) => a.name).sort()).toEqual([...DEMO_ACTIVITIES].sort());

    const usd = clients.find((c) => c.currency === 'USD')!;
    const rates = (await api(`/rates?clientId=${usd.id}`)).rates as { level: string; hourlyRateCents: number }[];
    expect(rates.map((r) => [r.level, r.hourlyRateCents]).sort()).toEqual([['matter', 17_500], ['member-for-client', 19_000]].sort());
  });

  it('thirteen weeks of time for ana, ben and the manager, none for the admin, nothing in the future, no overlaps', async () => {
    const firstMonday = weekAgo(DEMO_WEEKS - 1);
    for (const email of ['ana@demo.test', 'ben@demo.test', 'manager@demo.test']) {
      const own = rows.filter((r) => r.email === email);
      for (let w = 0; w < DEMO_WEEKS; w++) {
        const { from, to } = shiftWeek(firstMonday, w, DEMO_TIME_ZONE);
        expect(own.some((r) => r.start_at >= from && r.start_at < to), `${email}, week ${w}`).toBe(true);
      }
      for (let i = 1; i < own.length; i++) expect(own[i]!.start_at, email).toBeGreaterThanOrEqual(own[i - 1]!.end_at ?? Infinity);
    }
    expect(rows.some((r) => r.email === 'admin@demo.test')).toBe(false);
    expect(Math.min(...rows.map((r) => r.start_at))).toBeGreaterThanOrEqual(firstMonday.from);
    expect(rows.every((r) => (r.end_at ?? r.start_at) <= NOW)).toBe(true);
  });

  it('billable work on a matter of its client with an activity, non-billable on none; each entry priced by the rate hierarchy', async () => {
    const matters = new Map(((await api('/matters')).matters as { id: string; clientId: string; code: string }[]).map((m) => [m.id, m]));
    expect(rows.some((r) => r.billable === 0)).toBe(true);
    for (const r of rows) {
      if (r.billable === 0) {
        expect(r.matter_id).toBeNull();
        continue;
      }
      expect(matters.get(r.matter_id!)?.clientId, r.id).toBe(r.client_id);
      expect(r.activity_id).not.toBeNull();
      // Member on matter → matter → member for client → client.
      const code = matters.get(r.matter_id!)!.code;
      const spec = DEMO_CLIENTS.find((c) => c.currency === r.currency)!;
      const expected = code === 'TP-26' ? 17_500 : r.currency === 'USD' && r.email === 'manager@demo.test' ? 19_000 : spec.hourlyRateCents;
      expect(r.hourly_rate_cents, `${r.email} on ${code}`).toBe(expected);
    }
  });

  it('invoices in sequence: paid, waiting, voided and issued again with a write-down, and a draft ready to issue', async () => {
    const list = (await api('/invoices')).invoices as { id: string; number: string | null; status: string; currency: string; paidOn: string | null; issueDate: string | null; firstDay: string; lastDay: string }[];
    const issued = list.filter((i) => i.number !== null).sort((a, b) => a.number!.localeCompare(b.number!));
    expect(issued.map((i) => [i.number, i.currency, i.status, i.paidOn !== null])).toEqual([
      ['INV-2026-0001', 'EUR', 'issued', true],
      ['INV-2026-0002', 'GBP', 'issued', true],
      ['INV-2026-0003', 'EUR', 'issued', false],
      ['INV-2026-0004', 'GBP', 'void', false],
      ['INV-2026-0005', 'GBP', 'issued', false],
    ]);
    for (const i of issued.filter((x) => x.paidOn !== null)) expect(i.paidOn! >= i.issueDate!).toBe(true);
    // The same weeks, billed once: the void one's work went back to WIP and onto its replacement.
    expect([issued[3]!.firstDay, issued[3]!.lastDay]).toEqual([issued[4]!.firstDay, issued[4]!.lastDay]);
    const drafts = list.filter((i) => i.status === 'draft');
    expect(drafts.map((d) => [d.currency, d.firstDay, d.lastDay])).toEqual([['EUR', weekAgo(4).monday, weekAgo(1).days[6]!.date]]);

    const voided = await api(`/invoices/${issued[3]!.id}`);
    expect(voided).toMatchObject({ voidReason: VOID_REASON, taxLabel: 'VAT', taxRateBp: 2000 });
    const replacement = await api(`/invoices/${issued[4]!.id}`);
    const writtenDown = replacement.lines.filter((l: { adjustment: unknown }) => l.adjustment !== null);
    expect(writtenDown.length).toBeGreaterThan(0);
    for (const line of writtenDown) expect(line.adjustment).toEqual({ kind: 'percent', value: -1000, reason: WRITE_DOWN_REASON });
    expect(replacement.subtotalCents).toBeLessThan(voided.subtotalCents);
    expect(replacement.realization).toBeLessThan(1);
    expect(replacement.taxCents).toBe(Math.round(replacement.subtotalCents * 0.2));

    // Billed = exactly the entries of the issued invoices; nothing through Mark billed.
    const onIssued = await sqlRows<{ entry_id: string }>(server.store, `SELECT ie.entry_id FROM invoice_entries ie JOIN invoices i ON i.id = ie.invoice_id WHERE i.status = 'issued'`);
    expect(new Set(rows.filter((r) => r.billed_at !== null).map((r) => r.id))).toEqual(new Set(onIssued.map((r) => r.entry_id)));
    const numbers = new Map(issued.map((i) => [i.id, i.number]));
    for (const r of rows.filter((x) => x.billed_at !== null)) expect(r.billed_reference, r.id).toBe(numbers.get(r.invoice_id!));
    expect(await sqlRows(server.store, `SELECT id FROM audit_events WHERE type = 'entries_billed'`)).toHaveLength(0);
  });

  it('an issued invoice’s PDF and CSV download', async () => {
    const [first] = ((await api('/invoices?status=issued')).invoices as { id: string; number: string }[]).filter((i) => i.number.endsWith('0001'));
    const pdf = await fetch(`${server.url}/api/v1/invoices/${first!.id}/pdf`, { headers: manager.auth });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await fetch(`${server.url}/api/v1/invoices/${first!.id}/csv`, { headers: manager.auth });
    expect(await csv.text()).toContain('ACC-25 Annual accounts 2025');
  });

  it('WIP aging: Hudson Ridge’s work waits 0–30, 31–60 and 61–90 days, and the managers’ dashboard shows WIP over 60 days', async () => {
    const wip = await api('/billing/wip');
    const usd = wip.totals.find((t: { currency: string }) => t.currency === 'USD');
    expect(usd.days0to30).toBeGreaterThan(0);
    expect(usd.days31to60).toBeGreaterThan(0);
    expect(usd.days61to90).toBeGreaterThan(0);
    for (const total of wip.totals) expect(total.over90).toBe(0);
    // The unbilled billable work by currency, at raw time (a draft bills nothing).
    const expected = new Map<string, number>();
    for (const r of rows) if (r.billable === 1 && r.billed_at === null && r.end_at !== null) expected.set(r.currency, (expected.get(r.currency) ?? 0) + Math.round(((r.end_at - r.start_at) / 3_600_000) * r.hourly_rate_cents));
    expect(Object.fromEntries(wip.totals.map((t: { currency: string; totalCents: number }) => [t.currency, t.totalCents]))).toEqual(Object.fromEntries(expected));
    const dashboard = await api('/dashboard');
    expect(dashboard.wipOver60Days).toEqual([expect.objectContaining({ currency: 'USD', amountCents: usd.days61to90 })]);
  });

  it('one running timer: ana’s, started 37 minutes ago on the annual accounts; the dashboard shows it and the unbilled amounts add up', async () => {
    const running = rows.filter((r) => r.end_at === null);
    expect(running).toEqual([expect.objectContaining({ email: 'ana@demo.test', start_at: NOW - 37 * MINUTE_MS, currency: 'EUR' })]);
    expect(running[0]!.matter_id).not.toBeNull();
    const ana = await signIn(server.url, 'ana@demo.test');
    const dashboard = await api('/dashboard', ana);
    expect(dashboard).toMatchObject({ timeZone: DEMO_TIME_ZONE, runningTimer: { id: running[0]!.id } });
    expect(dashboard.hoursThisWeek).toBeGreaterThan(0);

    const admin = await signIn(server.url, 'admin@demo.test');
    const firmWide = await api('/dashboard', admin);
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
    const sessions = (await api('/sessions', ana)).sessions as { label: string; clientKind: string; ip: string }[];
    // The seeded ones: from the documentation address ranges (this test's own sign-ins come from loopback).
    const labels = sessions.filter((s) => /^(203\.0\.113|198\.51\.100)\./.test(s.ip)).map((s) => `${s.clientKind}: ${s.label}`);
    expect(labels).toHaveLength(3);
    expect(labels).toEqual(expect.arrayContaining(['desktop: Ana’s MacBook Pro', expect.stringMatching(/^web: .*iPhone/), expect.stringMatching(/^web: Chrome .*Windows/)]));
  });

  it('ana’s week two weeks ago approved (its entries locked for her), ben’s last week waiting for approval', async () => {
    const [approvedMonday, submittedMonday] = [weekAgo(2).monday, weekAgo(1).monday];
    const queue = (await api('/timesheets/queue')).weeks;
    expect(queue).toEqual([expect.objectContaining({ member: expect.objectContaining({ name: 'Ben Accountant' }), monday: submittedMonday })]);
    const ana = await signIn(server.url, 'ana@demo.test');
    const approved = await api(`/timesheets/${ana.user.id}/weeks/${approvedMonday}`, ana);
    expect(approved.approval).toMatchObject({ status: 'approved', approvedBy: { name: 'Morgan Manager' } });
    expect(approved.totalMs).toBeGreaterThan(0);
    const locked = await call(server.url, 'PATCH', `/api/v1/entries/${approved.entries[0].id}`, { headers: ana.auth, body: { description: 'x' } });
    expect(locked.body.error.code).toBe('week_approved');
  });

  it('one pending invitation, shown to the admin', async () => {
    const admin = await signIn(server.url, 'admin@demo.test');
    const members = (await api('/admin/members', admin)).members as { email: string; invitedAt: string | null; invitationExpiresAt: string | null }[];
    const invited = members.filter((m) => m.invitedAt !== null);
    expect(invited).toHaveLength(1);
    expect(invited[0]).toMatchObject({ email: 'chloe@demo.test' });
    expect(Date.parse(invited[0]!.invitationExpiresAt!)).toBeGreaterThan(NOW);
  });

  it('the draft is ready: it issues as the next number and its entries are billed', async () => {
    const [draft] = (await api('/invoices?status=draft')).invoices as { id: string }[];
    const issued = await call(server.url, 'POST', `/api/v1/invoices/${draft!.id}/issue`, { headers: manager.auth, body: {} });
    expect(issued.status).toBe(200);
    expect(issued.body.number).toBe('INV-2026-0006');
    const billed = (await entryRows(server.store)).filter((r) => r.invoice_id === draft!.id);
    expect(billed.length).toBe(issued.body.lines.reduce((sum: number, l: { entries: number }) => sum + l.entries, 0));
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

/**
 * The story is relative to the moment it is made: at any moment the services must accept every step of it.
 * Monday just after midnight (the timer started the evening before, in last week), the Monday after the
 * clocks go forward, and a day when the invoicing straddles a new year in the firm's zone (a new sequence).
 */
describe('the demo firm at awkward moments, on this store', { timeout: 240_000 }, () => {
  const moments = [
    ['Monday 00:20, the week after the clocks went forward', '2026-03-30T00:20:00+01:00'],
    ['invoices issued on both sides of a new year', '2027-02-10T11:00:00Z'],
  ] as const;
  for (const [name, at] of moments) {
    it(name, async () => {
      const now = Date.parse(at);
      const dir = mkdtempSync(join(tmpdir(), 'tab-demo-moment-'));
      dirs.push(dir);
      const database = await freshDatabase(dir);
      const store = await openStore(database.location);
      try {
        expect((await seedDemoFirm(store, now)).outcome).toBe('seeded');
        const invoices = await sqlRows<{ number: string | null; status: string; paid_on: string | null; issued_at: number | null }>(store, 'SELECT number, status, paid_on, issued_at FROM invoices ORDER BY issued_at, created_at');
        expect(invoices.map((i) => i.status).sort()).toEqual(['draft', 'issued', 'issued', 'issued', 'issued', 'void']);
        expect(invoices.filter((i) => i.paid_on !== null)).toHaveLength(2);
        // Gapless per year, in the order they were issued.
        const issued = invoices.filter((i) => i.number !== null);
        const byYear = new Map<string, number[]>();
        for (const i of issued) {
          const [, year, sequence] = /^INV-(\d{4})-(\d{4})$/.exec(i.number!)!;
          byYear.set(year!, [...(byYear.get(year!) ?? []), Number(sequence)]);
        }
        for (const sequences of byYear.values()) expect(sequences).toEqual(sequences.map((_, k) => k + 1));
        if (at.startsWith('2027')) expect([...byYear.keys()]).toEqual(['2026', '2027']);
        const running = await sqlRows<{ start_at: number }>(store, 'SELECT start_at FROM time_entries WHERE end_at IS NULL AND deleted_at IS NULL');
        expect(running.map((r) => r.start_at)).toEqual([now - 37 * MINUTE_MS]);
      } finally {
        await store.close();
        await database.drop();
      }
    });
  }
});

// npm start's own demo is a SQLite file: not registered on the PostgreSQL run, so that run's skips are only ones that mean something.
const describeOnSqlite = onPostgres ? () => undefined : describe;
describeOnSqlite('npm start’s own demo file (--renew-demo)', { timeout: 120_000 }, () => {
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
