import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';
import { createOtherFirm } from '../support/workspaces.js';
import { timeApi } from '../support/time.js';
import { ManualClock } from '../../server/platform/clock.js';
import { sqlRows } from '../support/sql.js';

/** The clock moves by days: the sessions authenticate with their cookies, as the web client does. */
const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));

let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let ben: SignedIn;
let otherManager: SignedIn;
let t: ReturnType<typeof timeApi>;
let acme: { id: string };
let globex: { id: string };

const api = (who: SignedIn, method: string, path: string, body?: unknown) => call(server.url, method, path, { body, headers: who.auth });

async function matter(who: SignedIn, body: Record<string, unknown>) {
  const res = await api(who, 'POST', '/api/v1/matters', body);
  if (res.status !== 201) throw new Error(`matter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string };
}

async function rate(body: Record<string, unknown>) {
  const res = await api(manager, 'PUT', '/api/v1/rates', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Ana's new entry for `clientId` (and matter), answering its snapshotted rate. */
async function entryRate(who: SignedIn, clientId: string, matterId?: string): Promise<number> {
  const res = await t.post(who, t.entryBody(clientId, '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z', matterId ? { matterId } : {}));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.entry.hourlyRateCents;
}

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
  server = await startTestServer({ clock });
  const other = await createOtherFirm(server.store, clock.now());
  [admin, manager, ana, ben] = (await Promise.all(['admin', 'manager', 'ana', 'ben'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  otherManager = await signIn(server.url, 'manager@other.test', { password: other.password });
  t = timeApi(server.url);
  acme = await t.createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 100_00, currency: 'EUR' });
  globex = await t.createClient(manager, { name: 'Globex', hourlyRateCents: 0, currency: 'GBP' });
});
afterAll(() => server.close());

describe('matters', () => {
  it('managers and admins add and change them; accountants read only; other firms see nothing', async () => {
    const tax = await matter(manager, { clientId: acme.id, code: 'TAX-2026', name: 'Tax return 2026', budget: { minutes: 600 } });
    expect(tax).toMatchObject({ clientId: acme.id, code: 'TAX-2026', billingType: 'hourly', budget: { minutes: 600 }, rounding: null, closed: false });
    expect((await api(ana, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'X', name: 'X' })).status).toBe(403);
    expect((await api(ana, 'PATCH', `/api/v1/matters/${tax.id}`, { name: 'X' })).status).toBe(403);
    expect((await api(otherManager, 'PATCH', `/api/v1/matters/${tax.id}`, { name: 'X' })).status).toBe(404);
    expect((await api(otherManager, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'Y', name: 'Y' })).status).toBe(404);
    const listed = await api(ana, 'GET', `/api/v1/matters?clientId=${acme.id}`);
    expect(listed.body.matters.map((m: { id: string }) => m.id)).toContain(tax.id);
    expect((await api(otherManager, 'GET', '/api/v1/matters')).body.matters).toEqual([]);

    const fixed = await api(admin, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'BOOKS', name: 'Bookkeeping', billingType: 'fixed' });
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.message).toMatch(/fixedFeeCents/);
    const ok = await api(admin, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'BOOKS', name: 'Bookkeeping', billingType: 'fixed', fixedFeeCents: 500_00, budget: { amountCents: 600_00 } });
    expect(ok.body).toMatchObject({ billingType: 'fixed', fixedFeeCents: 500_00, budget: { amountCents: 600_00 } });
  });

  it('a code is unique per client, case ignored (409 name_taken), also under concurrent requests', async () => {
    await matter(manager, { clientId: acme.id, code: 'AUDIT', name: 'Audit' });
    const again = await api(manager, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'audit', name: 'Audit again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('name_taken');
    // Another client may use the same code.
    await matter(manager, { clientId: globex.id, code: 'AUDIT', name: 'Audit' });
    const results = await Promise.all(Array.from({ length: 8 }, () => api(manager, 'POST', '/api/v1/matters', { clientId: acme.id, code: 'RACE', name: 'Race' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('refuses bad bodies with 400 in the error shape, never 5xx (random input)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { clientId: fc.oneof(fc.constant(acme.id), fc.uuid(), fc.string()), code: fc.string({ maxLength: 50 }), name: fc.string({ maxLength: 5 }), billingType: fc.string(), budget: fc.anything(), rounding: fc.anything() },
          { requiredKeys: [] },
        ),
        async (body) => {
          const res = await api(manager, 'POST', '/api/v1/matters', body);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(res.body.error.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('activities', () => {
  it('are per workspace, unique by name, archivable; archived ones still take entries', async () => {
    const res = await api(manager, 'POST', '/api/v1/activities', { name: 'Tax return preparation' });
    expect(res.status).toBe(201);
    expect((await api(manager, 'POST', '/api/v1/activities', { name: 'TAX RETURN PREPARATION' })).body.error.code).toBe('name_taken');
    expect((await api(ana, 'POST', '/api/v1/activities', { name: 'Advisory' })).status).toBe(403);
    const archived = await api(manager, 'PATCH', `/api/v1/activities/${res.body.id}`, { archived: true });
    expect(archived.body.archived).toBe(true);
    const entry = await t.post(ana, t.entryBody(acme.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { activityId: res.body.id }));
    expect(entry.status).toBe(201);
    expect(entry.body.entry.activityId).toBe(res.body.id);
    expect((await api(otherManager, 'GET', '/api/v1/activities')).body.activities).toEqual([]);
    const foreign = await t.post(otherManager, { ...t.entryBody(acme.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'), activityId: res.body.id });
    expect(foreign.status).toBe(404);
  });
});

describe('rate hierarchy', () => {
  it('member on matter, matter, member for client, client, member default: each level in turn, the most specific wins', async () => {
    const m = await matter(manager, { clientId: acme.id, code: 'RATES', name: 'Rates' });
    const anaId = ana.user.id;
    // Client only.
    expect(await entryRate(ana, acme.id, m.id)).toBe(100_00);
    // Member default is below the client's rate…
    await rate({ userId: anaId, hourlyRateCents: 80_00 });
    expect(await entryRate(ana, acme.id, m.id)).toBe(100_00);
    // …and applies where the client has none (Globex: 0 = no rate of its own).
    expect(await entryRate(ana, globex.id)).toBe(80_00);
    await rate({ userId: anaId, clientId: acme.id, hourlyRateCents: 110_00 });
    expect(await entryRate(ana, acme.id, m.id)).toBe(110_00);
    await rate({ matterId: m.id, hourlyRateCents: 120_00 });
    expect(await entryRate(ana, acme.id, m.id)).toBe(120_00);
    // Ben has no member rates: the matter's rate applies to him.
    expect(await entryRate(ben, acme.id, m.id)).toBe(120_00);
    await rate({ userId: anaId, matterId: m.id, hourlyRateCents: 130_00 });
    expect(await entryRate(ana, acme.id, m.id)).toBe(130_00);
    // Without the matter, the member-for-client rate.
    expect(await entryRate(ana, acme.id)).toBe(110_00);
    // Removing a level falls back to the next one.
    await rate({ userId: anaId, matterId: m.id, hourlyRateCents: null });
    expect(await entryRate(ana, acme.id, m.id)).toBe(120_00);
    const listed = await api(manager, 'GET', `/api/v1/rates?clientId=${acme.id}`);
    expect(listed.body.rates.map((r: { level: string; hourlyRateCents: number }) => [r.level, r.hourlyRateCents]).sort()).toEqual([
      ['matter', 120_00],
      ['member-for-client', 110_00],
    ]);
    expect((await api(manager, 'GET', '/api/v1/rates')).body.rates).toEqual([expect.objectContaining({ level: 'member-default', userId: anaId, hourlyRateCents: 80_00 })]);
  });

  it('a rate change applies to new entries only: entries keep their snapshot', async () => {
    const m = await matter(manager, { clientId: acme.id, code: 'SNAP', name: 'Snapshot' });
    await rate({ matterId: m.id, hourlyRateCents: 150_00 });
    const before = await t.post(ana, t.entryBody(acme.id, '2026-11-23T09:00:00Z', '2026-11-23T10:00:00Z', { matterId: m.id }));
    await rate({ matterId: m.id, hourlyRateCents: 175_00 });
    const after = await t.post(ana, t.entryBody(acme.id, '2026-11-23T11:00:00Z', '2026-11-23T12:00:00Z', { matterId: m.id }));
    expect(after.body.entry.hourlyRateCents).toBe(175_00);
    const reread = await t.list(ana, { from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' });
    expect(reread.body.entries.find((e: { id: string }) => e.id === before.body.entry.id).hourlyRateCents).toBe(150_00);
    // Editing the description keeps the snapshot; moving the entry to another matter resolves again.
    expect((await t.patch(ana, before.body.entry.id, { description: 'Changed' })).body.entry.hourlyRateCents).toBe(150_00);
    expect((await t.patch(ana, before.body.entry.id, { matterId: null })).body.entry.hourlyRateCents).not.toBe(150_00);
  });

  it('refuses a target that names no level, a matter of another client, an unknown member; accountants get 403', async () => {
    const m = await matter(manager, { clientId: acme.id, code: 'TGT', name: 'Targets' });
    for (const body of [{ hourlyRateCents: 1 }, { clientId: acme.id, hourlyRateCents: 1 }, { clientId: globex.id, matterId: m.id, hourlyRateCents: 1 }]) {
      const res = await api(manager, 'PUT', '/api/v1/rates', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await api(manager, 'PUT', '/api/v1/rates', { userId: randomUUID(), hourlyRateCents: 1 })).status).toBe(404);
    expect((await api(ana, 'PUT', '/api/v1/rates', { userId: ana.user.id, hourlyRateCents: 1 })).status).toBe(403);
    expect((await api(ana, 'GET', '/api/v1/rates')).status).toBe(403);
  });

  it('concurrent sets of one rate leave one row, with one of the values', async () => {
    const m = await matter(manager, { clientId: acme.id, code: 'PAR', name: 'Parallel' });
    const values = Array.from({ length: 10 }, (_, i) => 200_00 + i);
    await Promise.all(values.map((v) => api(manager, 'PUT', '/api/v1/rates', { matterId: m.id, hourlyRateCents: v })));
    const rows = await sqlRows<{ hourly_rate_cents: number }>(server.store, `SELECT hourly_rate_cents FROM rates WHERE matter_id = '${m.id}'`);
    expect(rows).toHaveLength(1);
    expect(values).toContain(Number(rows[0]!.hourly_rate_cents));
  });
});

describe('a closed matter', () => {
  it('refuses new work (400 matter_closed naming matterId) but takes work that started before it closed', async () => {
    const m = await matter(manager, { clientId: acme.id, code: 'CLOSE', name: 'Closing' });
    const running = await call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: acme.id, matterId: m.id, description: 'Before', billable: true }, headers: ben.auth });
    expect(running.status).toBe(201);
    const closed = await api(manager, 'PATCH', `/api/v1/matters/${m.id}`, { closed: true });
    expect(closed.body).toMatchObject({ closed: true, closedAt: new Date(clock.now()).toISOString() });
    clock.advance(60_000);

    const late = await t.post(ana, t.entryBody(acme.id, '2026-11-25T12:30:00Z', '2026-11-25T13:00:00Z', { matterId: m.id }));
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('matter_closed');
    expect(late.body.error.message).toMatch(/matterId/);
    // An offline laptop syncing work done before the matter closed is never refused.
    const early = await t.post(ana, t.entryBody(acme.id, '2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z', { matterId: m.id }));
    expect(early.status).toBe(201);
    // …and a replay of it neither.
    expect((await t.post(ana, { ...t.entryBody(acme.id, '2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z', { matterId: m.id }), id: early.body.entry.id })).status).toBe(200);
    // Moving it to start after the close, or moving other work onto the closed matter, is refused.
    expect((await t.patch(ana, early.body.entry.id, { start: '2026-11-25T12:30:00Z', end: '2026-11-25T13:30:00Z' })).body.error.code).toBe('matter_closed');
    const other = await t.post(ana, t.entryBody(acme.id, '2026-11-25T12:30:00Z', '2026-11-25T13:00:00Z'));
    expect((await t.patch(ana, other.body.entry.id, { matterId: m.id })).body.error.code).toBe('matter_closed');
    // A timer cannot start on it; the one that ran before it closed stops normally.
    const start = await call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: acme.id, matterId: m.id, description: 'After', billable: true }, headers: ana.auth });
    expect(start.body.error.code).toBe('matter_closed');
    expect((await call(server.url, 'POST', '/api/v1/timer/stop', { body: {}, headers: ben.auth })).status).toBe(200);
    // Reopened, it takes work again.
    await api(manager, 'PATCH', `/api/v1/matters/${m.id}`, { closed: false });
    expect((await t.post(ana, t.entryBody(acme.id, '2026-11-25T12:30:00Z', '2026-11-25T12:45:00Z', { matterId: m.id }))).status).toBe(201);
  });

  it("refuses a matter of another client (400) and one of another firm (404)", async () => {
    const m = await matter(manager, { clientId: globex.id, code: 'G1', name: 'Globex work' });
    const res = await t.post(ana, t.entryBody(acme.id, '2026-11-19T09:00:00Z', '2026-11-19T10:00:00Z', { matterId: m.id }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/matterId/);
  });
});

describe('entry ids', () => {
  it("another person's id answers 409 entry_of_another_person (what the desktop queue keys on)", async () => {
    const mine = await t.post(ana, t.entryBody(acme.id, '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z'));
    const stolen = await t.post(ben, { ...t.entryBody(acme.id, '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z'), id: mine.body.entry.id });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('entry_of_another_person');
  });
});
