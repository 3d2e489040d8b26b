import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';
import { DAY_MS, ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import type { StoredEntry, WipCutoffs, WipRow } from '../../server/store/types.js';
import { addDays, formatCivil, localDate, startOfLocalDay } from '../../shared/time/zoned-days.js';

/**
 * The WIP day table (migration 15) against the entries themselves, on both
 * stores: after inserts, edits, deletes, mark billed / unbill and invoice
 * issue / void, the WIP report (whole days from wip_days, the cutoffs' UTC
 * days from the entries) equals a brute-force grouping of the entries, to the
 * cent, for cutoffs at local midnights of zones with :30 and :45 offsets and
 * for cutoffs on an entry's very start.
 */
const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));
const NOW = Date.UTC(2026, 11, 2, 18, 31, 7);
let server: TestServer;
let clock: ManualClock;
let manager: SignedIn;
let workspaceId: string;
let userIds: string[];
const api = (who: SignedIn, method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1${path}`, { body, headers: who.auth });

/** A small deterministic generator, so a failure replays. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

type Row = { client_id: string; matter_id: string | null; currency: string; start_at: number; end_at: number | null; hourly_rate_cents: number; billable: number; billed_at: number | null; deleted_at: number | null };

/** WIP by brute force: every entry of the workspace read and grouped here. */
async function bruteForce(c: WipCutoffs): Promise<WipRow[]> {
  const rows = await sqlRows<Row>(server.store, 'SELECT client_id, matter_id, currency, start_at, end_at, hourly_rate_cents, billable, billed_at, deleted_at FROM time_entries WHERE workspace_id = ?', workspaceId);
  const out = new Map<string, WipRow>();
  for (const r of rows) {
    const start = Number(r.start_at);
    if (Number(r.billable) !== 1 || r.billed_at !== null || r.deleted_at !== null || r.end_at === null) continue;
    const ms = Number(r.end_at) - start;
    const cents = Math.floor((ms * Number(r.hourly_rate_cents) + 1_800_000) / 3_600_000);
    const key = JSON.stringify([r.client_id, r.matter_id, r.currency]);
    const row = out.get(key) ?? { clientId: r.client_id, matterId: r.matter_id, currency: r.currency, entries: 0, durationMs: 0, buckets: [0, 0, 0, 0], oldestStart: Infinity };
    out.set(key, row);
    row.entries += 1;
    row.durationMs += ms;
    row.buckets[start >= c.days30 ? 0 : start >= c.days60 ? 1 : start >= c.days90 ? 2 : 3] += cents;
    row.oldestStart = Math.min(row.oldestStart, start);
  }
  return sorted([...out.values()]);
}
const sorted = (rows: WipRow[]) => [...rows].sort((a, b) => JSON.stringify([a.clientId, a.matterId, a.currency]).localeCompare(JSON.stringify([b.clientId, b.matterId, b.currency])));

/** The service's cutoffs: local midnights 30, 60 and 90 days before today in the zone. */
function cutoffsIn(timeZone: string, now: number): WipCutoffs {
  const d = localDate(now, timeZone);
  const back = (n: number) => startOfLocalDay(addDays(d, -n), timeZone);
  return { days30: back(30), days60: back(60), days90: back(90) };
}

async function expectExact(c: WipCutoffs) {
  const expected = await bruteForce(c);
  expect(sorted(await server.store.wip(workspaceId, c))).toEqual(expected);
  const before60 = new Map<string, number>();
  for (const r of expected) before60.set(r.currency, (before60.get(r.currency) ?? 0) + r.buckets[2] + r.buckets[3]);
  const got = await server.store.unbilledBefore(workspaceId, c.days60);
  expect(new Map(got.filter((m) => m.amountCents !== 0).map((m) => [m.currency, m.amountCents]))).toEqual(new Map([...before60].filter(([, v]) => v !== 0)));
}

async function setZone(timeZone: string) {
  const settings = (await server.store.getWorkspaceSettings(workspaceId))!;
  await server.store.setWorkspaceSettings(workspaceId, { ...settings, timeZone }, { workspaceId, type: 'workspace_settings_changed', at: clock.now() });
}

beforeAll(async () => {
  clock = new ManualClock(NOW);
  server = await startTestServer({ clock });
  manager = await signIn(server.url, 'manager@demo.test');
  workspaceId = (await server.store.findUserByEmail('manager@demo.test'))!.workspaceId;
  userIds = (await server.store.listUsers(workspaceId)).map((u) => u.id);
});
afterAll(() => server.close());

describe('the WIP day table (migration 15)', () => {
  it('equals a brute-force grouping of the entries after every kind of write, in zones with :30 and :45 offsets', async () => {
    const rnd = prng(20261202);
    const clients: { id: string; currency: string; matters: (string | null)[] }[] = [];
    for (const [i, currency] of ['EUR', 'GBP', 'EUR'].entries()) {
      const id = randomUUID();
      await server.store.createClient({ id, workspaceId, name: `WIP days ${i}`, hourlyRateCents: 9_000 + i * 1_111, currency, archivedAt: null, createdAt: NOW, updatedAt: NOW });
      const matters: (string | null)[] = [null];
      for (let m = 0; m < 2; m++) {
        const matterId = randomUUID();
        await server.store.createMatter({ id: matterId, workspaceId, clientId: id, code: `M${m}`, name: `Matter ${m}`, billingType: 'hourly', fixedFeeCents: null, budgetMinutes: null, budgetCents: null, rounding: null, closedAt: null, createdAt: NOW, updatedAt: NOW });
        matters.push(matterId);
      }
      clients.push({ id, currency, matters });
    }
    const live: StoredEntry[] = [];
    const newEntry = (): StoredEntry => {
      const c = rnd.pick(clients);
      // Starts within the last 130 days, many right around UTC and local midnights.
      const day = NOW - (1 + rnd.int(130)) * DAY_MS;
      const start = rnd.next() < 0.4 ? day - (day % DAY_MS) + rnd.pick([-1, 0, 1, 18_000_000, 18_900_000, 20_700_000, 66_600_000]) : day + rnd.int(DAY_MS);
      return {
        id: randomUUID(), workspaceId, userId: rnd.pick(userIds), clientId: c.id, matterId: rnd.pick(c.matters), description: 'Work', start,
        end: start + 1 + rnd.int(9 * 3_600_000), billable: rnd.next() < 0.8, hourlyRateCents: rnd.int(40_000), currency: c.currency,
        billedAt: null, createdAt: NOW, updatedAt: NOW, deletedAt: null, version: 1,
      };
    };
    // Mark billed and unbill move versions (and billed_at) too: an edit starts from the stored row's.
    const stored = async (e: StoredEntry) => {
      const [row] = await sqlRows<{ version: number; billed_at: number | null }>(server.store, 'SELECT version, billed_at FROM time_entries WHERE id = ?', e.id);
      return { ...e, version: Number(row!.version), billedAt: row!.billed_at === null ? null : Number(row!.billed_at) };
    };
    const edit = async (old: StoredEntry, change: Partial<StoredEntry>) => {
      const e = await stored(old);
      const next = { ...e, ...change, version: e.version + 1 };
      expect(await server.store.updateEntry(next, e.version)).toBe('updated');
      live[live.indexOf(old)] = next;
    };
    const zones = ['Asia/Kathmandu', 'Asia/Kolkata', 'America/St_Johns', 'UTC'];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++) {
        const e = newEntry();
        expect(await server.store.insertEntry(e)).toBe('inserted');
        live.push(e);
      }
      for (let i = 0; i < 25; i++) {
        const e = rnd.pick(live);
        const c = rnd.pick(clients);
        const kind = rnd.int(6);
        if (kind === 0) await edit(e, { start: e.start - rnd.int(2 * DAY_MS), end: e.end! + rnd.int(3_600_000) });
        else if (kind === 1) await edit(e, { hourlyRateCents: rnd.int(50_000) });
        else if (kind === 2) await edit(e, { clientId: c.id, matterId: rnd.pick(c.matters), currency: c.currency });
        else if (kind === 3) await edit(e, { billable: !e.billable });
        else if (kind === 4) await edit(e, { matterId: rnd.pick(clients.find((x) => x.id === e.clientId)!.matters) });
        else {
          expect(await server.store.deleteEntry(e.id, (await stored(e)).version, NOW)).toBe('deleted');
          live.splice(live.indexOf(e), 1);
        }
      }
      const some = live.slice(0, 8).map((e) => e.id);
      await server.store.markBilled(workspaceId, some, NOW);
      if (round % 2 === 1) await server.store.unbill(workspaceId, some.slice(0, 4), { workspaceId, type: 'entries_unbilled', at: NOW });

      await setZone(zones[round % zones.length]!);
      for (const zone of zones) await expectExact(cutoffsIn(zone, NOW));
      // Cutoffs on an entry's very start, a millisecond after it, and at a UTC midnight.
      const e = rnd.pick(live);
      await expectExact({ days30: e.start + 1, days60: e.start, days90: e.start - (e.start % DAY_MS) });
    }
  });

  it('invoice issue and void move the entries out of WIP and back; the report and the tile follow the injected clock across a cutoff', async () => {
    await setZone('Asia/Kolkata');
    const c = await server.store.createClient({ id: randomUUID(), workspaceId, name: 'Issue & Void', hourlyRateCents: 12_345, currency: 'EUR', archivedAt: null, createdAt: NOW, updatedAt: NOW });
    const userId = userIds[0]!;
    // Work on 2026-10-01 .. 2026-10-03 Kolkata time: one entry starting exactly at a local midnight (18:30 UTC the day before).
    const midnight = startOfLocalDay({ year: 2026, month: 10, day: 2 }, 'Asia/Kolkata');
    const starts = [midnight - 1, midnight, midnight + 1, midnight + DAY_MS - MINUTE_MS, midnight + 5 * 3_600_000];
    for (const start of starts) {
      expect(await server.store.insertEntry({ id: randomUUID(), workspaceId, userId, clientId: c.id, description: 'Audit', start, end: start + 47 * MINUTE_MS + 13, billable: true, hourlyRateCents: 12_345, currency: 'EUR', billedAt: null, createdAt: NOW, updatedAt: NOW, deletedAt: null, version: 1 })).toBe('inserted');
    }
    const rowOf = async () => (await api(manager, 'GET', '/billing/wip')).body.rows.find((r: { clientId: string }) => r.clientId === c.id);
    // The clock put so that the 60-day cutoff is that local midnight, then a millisecond either side of the day it moves.
    const tileEur = async () => ((await api(manager, 'GET', '/dashboard')).body.wipOver60Days as { currency: string; amountCents: number }[]).find((m) => m.currency === 'EUR')?.amountCents ?? 0;
    const today = addDays(localDate(midnight, 'Asia/Kolkata'), 60);
    const saved = clock.now();
    try {
      for (const at of [startOfLocalDay(today, 'Asia/Kolkata'), startOfLocalDay(addDays(today, 1), 'Asia/Kolkata') - 1, startOfLocalDay(addDays(today, 1), 'Asia/Kolkata')]) {
        clock.set(at);
        const back = await signIn(server.url, 'manager@demo.test');
        const cutoffs = cutoffsIn('Asia/Kolkata', at);
        const expected = (await bruteForce(cutoffs)).find((r) => r.clientId === c.id)!;
        const row = (await api(back, 'GET', '/billing/wip')).body.rows.find((r: { clientId: string }) => r.clientId === c.id);
        expect([row.buckets.days0to30, row.buckets.days31to60, row.buckets.days61to90, row.buckets.over90]).toEqual(expected.buckets);
        expect(row.oldestDay).toBe(formatCivil(localDate(midnight - 1, 'Asia/Kolkata')));
        const all = await bruteForce(cutoffs);
        const tile = ((await api(back, 'GET', '/dashboard')).body.wipOver60Days as { currency: string; amountCents: number }[]).find((m) => m.currency === 'EUR')?.amountCents ?? 0;
        expect(tile).toBe(all.filter((r) => r.currency === 'EUR').reduce((s, r) => s + r.buckets[2] + r.buckets[3], 0));
      }
    } finally {
      clock.set(saved);
    }
    manager = await signIn(server.url, 'manager@demo.test');
    const before = await rowOf();
    expect(before.entries).toBe(starts.length);
    const tileBefore = await tileEur();
    const draft = await api(manager, 'POST', '/invoices', { clientId: c.id, firstDay: '2026-09-01', lastDay: '2026-10-31' });
    expect(draft.status).toBe(201);
    expect((await api(manager, 'POST', `/invoices/${draft.body.id}/issue`, {})).status).toBe(200);
    expect(await rowOf()).toBeUndefined();
    expect(tileBefore - (await tileEur())).toBe(before.totalCents);
    await expectExact(cutoffsIn('Asia/Kolkata', NOW));
    expect((await api(manager, 'POST', `/invoices/${draft.body.id}/void`, { reason: 'Wrong period' })).status).toBe(200);
    expect(await rowOf()).toEqual(before);
    await expectExact(cutoffsIn('Asia/Kathmandu', NOW));
  });
});
