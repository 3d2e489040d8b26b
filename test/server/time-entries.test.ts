import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';

/** These tests move the clock by hours: the sessions authenticate with their cookies, as the web client does (access tokens last 15 minutes). */
const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));
import { createOtherFirm } from '../support/workspaces.js';
import { timeApi } from '../support/time.js';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let ben: SignedIn;
let otherManager: SignedIn;
let t: ReturnType<typeof timeApi>;
let acme: { id: string };
let otherClient: { id: string };

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  server = await startTestServer({ clock });
  const other = await createOtherFirm(server.store, clock.now());
  [admin, manager, ana, ben] = (await Promise.all(['admin', 'manager', 'ana', 'ben'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  otherManager = await signIn(server.url, 'manager@other.test', { password: other.password });
  t = timeApi(server.url);
  acme = await t.createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
  otherClient = await t.createClient(otherManager, { name: 'Elsewhere', hourlyRateCents: 100, currency: 'USD' });
});
afterAll(() => server.close());

const entryCount = async () => (await sqlRow<{ n: number }>(server.store, 'SELECT COUNT(*) AS n FROM time_entries'))!.n;

describe('clients: role matrix', () => {
  it('everyone reads; managers and admins write; accountants get 403; other workspaces 404', async () => {
    for (const who of [admin, manager, ana]) {
      const res = await call(server.url, 'GET', '/api/v1/clients', { headers: who.auth });
      expect(res.status).toBe(200);
      expect(res.body.clients.map((c: { id: string }) => c.id)).toContain(acme.id);
      expect(res.body.clients.map((c: { id: string }) => c.id)).not.toContain(otherClient.id);
    }
    const body = { name: 'Beta', hourlyRateCents: 5000, currency: 'GBP' };
    expect((await call(server.url, 'POST', '/api/v1/clients', { body, headers: ana.auth })).status).toBe(403);
    const created = await call(server.url, 'POST', '/api/v1/clients', { body, headers: admin.auth });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Beta', hourlyRateCents: 5000, currency: 'GBP', archived: false });
    const id = created.body.id;
    expect((await call(server.url, 'PATCH', `/api/v1/clients/${id}`, { body: { name: 'X' }, headers: ana.auth })).status).toBe(403);
    expect((await call(server.url, 'PATCH', `/api/v1/clients/${id}`, { body: { name: 'X' }, headers: otherManager.auth })).status).toBe(404);
    const patched = await call(server.url, 'PATCH', `/api/v1/clients/${id}`, { body: { archived: true, hourlyRateCents: 6000 }, headers: manager.auth });
    expect(patched.body).toMatchObject({ archived: true, hourlyRateCents: 6000 });
    expect((await call(server.url, 'DELETE', `/api/v1/clients/${id}`, { headers: ana.auth })).status).toBe(403);
    const deleted = await call(server.url, 'DELETE', `/api/v1/clients/${id}`, { headers: manager.auth });
    expect(deleted.body).toEqual({ outcome: 'deleted', client: null });
    expect((await call(server.url, 'DELETE', `/api/v1/clients/${id}`, { headers: manager.auth })).status).toBe(404);
  });

  it('validates clients strictly: currency codes, blank names, unknown fields', async () => {
    for (const body of [
      { name: 'A', hourlyRateCents: 1, currency: 'eur' },
      { name: 'A', hourlyRateCents: 1, currency: 'XYZ' },
      { name: '   ', hourlyRateCents: 1, currency: 'EUR' },
      { name: 'A', hourlyRateCents: -1, currency: 'EUR' },
      { name: 'A', hourlyRateCents: 1.5, currency: 'EUR' },
      { name: 'A', hourlyRateCents: '100', currency: 'EUR' },
      { name: 'A', hourlyRateCents: 1, currency: 'EUR', extra: true },
    ]) {
      const res = await call(server.url, 'POST', '/api/v1/clients', { body, headers: manager.auth });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('a client with entries is archived, never deleted', async () => {
    const c = await t.createClient(manager, { name: 'Keeper', hourlyRateCents: 100, currency: 'EUR' });
    expect((await t.post(ana, t.entryBody(c.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'))).status).toBe(201);
    const res = await call(server.url, 'DELETE', `/api/v1/clients/${c.id}`, { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'archived', client: { id: c.id, archived: true } });
  });
});

describe('time entries', () => {
  it('snapshots the client rate and currency, and is idempotent on the id', async () => {
    const before = await entryCount();
    const body = t.entryBody(acme.id, '2026-11-16T09:00:00Z', '2026-11-16T10:30:00Z');
    const first = await t.post(ana, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      entry: { id: body.id, userId: ana.user.id, clientId: acme.id, hourlyRateCents: 12_000, currency: 'EUR', end: '2026-11-16T10:30:00.000Z', billedAt: null },
      warnings: [],
      deleted: false,
    });
    const again = await t.post(ana, body);
    expect(again.status).toBe(200);
    expect(again.body.entry).toEqual(first.body.entry);
    // The same instant written with another offset and upper-case id is the same entry.
    const sameInstant = await t.post(ana, { ...body, id: body.id.toUpperCase(), start: '2026-11-16T10:00:00+01:00' });
    expect(sameInstant.status).toBe(200);
    expect(sameInstant.body.entry.updatedAt).toBe(first.body.entry.updatedAt);
    expect(await entryCount()).toBe(before + 1);
    // The client's rate changes later: the entry keeps its snapshot; an override wins.
    await call(server.url, 'PATCH', `/api/v1/clients/${acme.id}`, { body: { hourlyRateCents: 15_000 }, headers: manager.auth });
    expect((await t.post(ana, body)).body.entry.hourlyRateCents).toBe(12_000);
    const override = await t.post(ana, t.entryBody(acme.id, '2026-11-16T11:00:00Z', '2026-11-16T12:00:00Z', { hourlyRateCents: 9_000 }));
    expect(override.body.entry.hourlyRateCents).toBe(9_000);
    await call(server.url, 'PATCH', `/api/v1/clients/${acme.id}`, { body: { hourlyRateCents: 12_000 }, headers: manager.auth });
  });

  it('a replay with new content updates the same entry; someone else cannot take the id', async () => {
    const body = t.entryBody(acme.id, '2026-11-17T09:00:00Z', '2026-11-17T10:00:00Z');
    await t.post(ana, body);
    const edited = await t.post(ana, { ...body, description: 'Edited offline' });
    expect(edited.status).toBe(200);
    expect(edited.body.entry.description).toBe('Edited offline');
    const stolen = await t.post(ben, { ...body, description: 'Mine now' });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('entry_of_another_person');
    const foreign = await t.post(otherManager, { ...body, clientId: otherClient.id });
    expect(foreign.status).toBe(404);
    const row = await sqlRow(server.store, 'SELECT user_id, description FROM time_entries WHERE id = ?', body.id);
    expect(row).toEqual({ user_id: ana.user.id, description: 'Edited offline' });
  });

  it('refuses end <= start with 400 invalid_range naming the fields', async () => {
    for (const [start, end] of [['2026-11-16T10:00:00Z', '2026-11-16T10:00:00Z'], ['2026-11-16T10:00:00Z', '2026-11-16T09:00:00Z']]) {
      const res = await t.post(ana, t.entryBody(acme.id, start!, end!));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_range');
      expect(res.body.error.message).toMatch(/`end`.*`start`/);
    }
    const tooLong = await t.post(ana, t.entryBody(acme.id, '2026-10-01T10:00:00Z', '2026-11-16T09:00:00Z'));
    expect(tooLong.body.error.code).toBe('invalid_range');
    const body = t.entryBody(acme.id, '2026-11-16T13:00:00Z', '2026-11-16T14:00:00Z');
    await t.post(ana, body);
    const patch = await t.patch(ana, body.id, { end: '2026-11-16T12:00:00Z' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.code).toBe('invalid_range');
    const list = await t.list(ana, { from: '2026-11-20T00:00:00Z', to: '2026-11-19T00:00:00Z' });
    expect(list.body.error.code).toBe('invalid_range');
  });

  it('accepts an overlap with a warning; back-to-back is not an overlap', async () => {
    const a = t.entryBody(acme.id, '2026-11-18T12:00:00Z', '2026-11-18T13:00:00Z');
    expect((await t.post(ben, a)).body.warnings).toEqual([]);
    const b2b = await t.post(ben, t.entryBody(acme.id, '2026-11-18T13:00:00Z', '2026-11-18T14:00:00Z'));
    expect(b2b.status).toBe(201);
    expect(b2b.body.warnings).toEqual([]);
    const before = await t.post(ben, t.entryBody(acme.id, '2026-11-18T11:00:00Z', '2026-11-18T12:00:00Z'));
    expect(before.body.warnings).toEqual([]);
    const overlap = await t.post(ben, t.entryBody(acme.id, '2026-11-18T12:59:59Z', '2026-11-18T13:30:00Z'));
    expect(overlap.status).toBe(201);
    expect(overlap.body.warnings).toEqual([{ code: 'overlap', message: expect.any(String), entryIds: [a.id, b2b.body.entry.id] }]);
    // Someone else's entry at the same time is not an overlap.
    expect((await t.post(ana, t.entryBody(acme.id, '2026-11-18T12:00:00Z', '2026-11-18T13:00:00Z'))).body.warnings).toEqual([]);
  });

  it('lists: accountants their own (403 for someone else), managers the workspace', async () => {
    const range = { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' };
    const mine = await t.list(ana, range);
    expect(mine.status).toBe(200);
    expect(mine.body.entries.length).toBeGreaterThan(0);
    expect(new Set(mine.body.entries.map((e: { userId: string }) => e.userId))).toEqual(new Set([ana.user.id]));
    expect((await t.list(ana, { ...range, userId: ben.user.id })).status).toBe(403);
    const all = await t.list(manager, range);
    expect(new Set(all.body.entries.map((e: { userId: string }) => e.userId))).toEqual(new Set([ana.user.id, ben.user.id]));
    const bens = await t.list(manager, { ...range, userId: ben.user.id });
    expect(new Set(bens.body.entries.map((e: { userId: string }) => e.userId))).toEqual(new Set([ben.user.id]));
    const starts = all.body.entries.map((e: { start: string }) => e.start);
    expect([...starts].sort()).toEqual(starts);
    expect((await t.list(otherManager, range)).body.entries).toEqual([]);
    const limited = await t.list(manager, { ...range, limit: '2' });
    expect(limited.body).toMatchObject({ truncated: true });
    expect(limited.body.entries).toHaveLength(2);
  });

  it('delete keeps a tombstone: a replayed create does not bring it back; delete is idempotent', async () => {
    const body = t.entryBody(acme.id, '2026-11-19T09:00:00Z', '2026-11-19T10:00:00Z');
    await t.post(ana, body);
    expect((await t.del(ben, body.id)).status).toBe(404);
    expect((await t.del(ana, body.id)).status).toBe(204);
    expect((await t.del(ana, body.id)).status).toBe(204);
    const replay = await t.post(ana, body);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ deleted: true, entry: { id: body.id } });
    expect((await t.patch(ana, body.id, { description: 'back?' })).status).toBe(404);
    const list = await t.list(ana, { from: '2026-11-19T00:00:00Z', to: '2026-11-20T00:00:00Z' });
    expect(list.body.entries.map((e: { id: string }) => e.id)).not.toContain(body.id);
    expect((await t.del(ana, randomUUID())).status).toBe(404);
  });

  it('managers and admins may correct entries of the workspace; accountants only their own', async () => {
    const body = t.entryBody(acme.id, '2026-11-19T11:00:00Z', '2026-11-19T12:00:00Z');
    await t.post(ana, body);
    expect((await t.patch(ben, body.id, { description: 'nope' })).status).toBe(404);
    expect((await t.patch(otherManager, body.id, { description: 'nope' })).status).toBe(404);
    const fixed = await t.patch(manager, body.id, { description: 'Fixed by manager', billable: false });
    expect(fixed.status).toBe(200);
    expect(fixed.body.entry).toMatchObject({ description: 'Fixed by manager', billable: false, userId: ana.user.id });
    const same = await t.patch(manager, body.id, { description: 'Fixed by manager' });
    expect(same.body.entry.updatedAt).toBe(fixed.body.entry.updatedAt);
  });

  it('billed entries are locked for everyone but admins', async () => {
    const body = t.entryBody(acme.id, '2026-11-20T13:00:00Z', '2026-11-20T14:00:00Z');
    await t.post(ana, body);
    expect((await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [body.id] }, headers: ana.auth })).status).toBe(403);
    const billed = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [body.id] }, headers: manager.auth });
    expect(billed.body).toEqual({ billed: 1, alreadyBilled: 0 });
    for (const who of [ana, manager]) {
      const res = await t.patch(who, body.id, { description: 'changed' });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/billed/) });
      expect((await t.del(who, body.id)).status).toBe(403);
    }
    const changedReplay = await t.post(ana, { ...body, description: 'changed' });
    expect(changedReplay.status).toBe(403);
    // A replay of the original content still succeeds: a sync queue is never blocked by billing.
    const replay = await t.post(ana, body);
    expect(replay.status).toBe(200);
    expect(replay.body.entry.billedAt).not.toBeNull();
    const byAdmin = await t.patch(admin, body.id, { description: 'Admin fix' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.entry).toMatchObject({ description: 'Admin fix', billedAt: replay.body.entry.billedAt });
  });

  it('works with API tokens too (data endpoints accept them)', async () => {
    const token = await createApiToken(server.url, ben);
    const res = await call(server.url, 'GET', '/api/v1/clients', { headers: token.auth });
    expect(res.status).toBe(200);
  });
});

describe('timer', () => {
  it('starts, switches atomically (one running entry at most), stops; stop with nothing running is 404', async () => {
    const bob = await signIn(server.url, 'ben@demo.test');
    await call(server.url, 'POST', '/api/v1/timer/stop', { headers: bob.auth }); // nothing running, or stop leftovers
    expect((await call(server.url, 'POST', '/api/v1/timer/stop', { headers: bob.auth })).status).toBe(404);
    const first = await call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: acme.id, description: 'Audit', billable: true }, headers: bob.auth });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ entry: { end: null, description: 'Audit', hourlyRateCents: 12_000 }, stopped: null });
    clock.advance(30 * MINUTE_MS);
    const second = await call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: acme.id, description: 'Tax', billable: false }, headers: bob.auth });
    expect(second.status).toBe(201);
    expect(second.body.stopped).toMatchObject({ id: first.body.entry.id, end: new Date(clock.now()).toISOString() });
    const running = (await sqlRow<{ n: number }>(server.store, 'SELECT COUNT(*) AS n FROM time_entries WHERE user_id = ? AND end_at IS NULL AND deleted_at IS NULL', bob.user.id))!;
    expect(running.n).toBe(1);
    // A second running entry by POST is refused (409), never two timers.
    const parallel = await t.post(bob, t.entryBody(acme.id, '2026-11-23T08:00:00Z', null));
    expect(parallel.status).toBe(409);
    clock.advance(15 * MINUTE_MS);
    const stopped = await call(server.url, 'POST', '/api/v1/timer/stop', { headers: bob.auth });
    expect(stopped.status).toBe(200);
    expect(stopped.body.entry).toMatchObject({ id: second.body.entry.id, end: new Date(clock.now()).toISOString() });
    // A replayed stop of that id answers the same entry; a fresh stop finds nothing.
    const replay = await call(server.url, 'POST', '/api/v1/timer/stop', { body: { id: second.body.entry.id }, headers: bob.auth });
    expect(replay.body.entry).toEqual(stopped.body.entry);
    expect((await call(server.url, 'POST', '/api/v1/timer/stop', { headers: bob.auth })).status).toBe(404);
  });

  it('a start with the caller id is idempotent, and concurrent starts leave one running entry', async () => {
    const id = randomUUID();
    const body = { id, clientId: acme.id, description: 'Once', billable: true };
    const [a, b] = await Promise.all([
      call(server.url, 'POST', '/api/v1/timer/start', { body, headers: ana.auth }),
      call(server.url, 'POST', '/api/v1/timer/start', { body, headers: ana.auth }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const starts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: acme.id, description: `race ${i}`, billable: true }, headers: ana.auth })),
    );
    expect(starts.every((r) => r.status === 201)).toBe(true);
    const running = (await sqlRow<{ n: number }>(server.store, 'SELECT COUNT(*) AS n FROM time_entries WHERE user_id = ? AND end_at IS NULL AND deleted_at IS NULL', ana.user.id))!;
    expect(running.n).toBe(1);
    expect((await call(server.url, 'POST', '/api/v1/timer/stop', { headers: ana.auth })).status).toBe(200);
  });
});

describe('PATCH /api/v1/me', () => {
  it('sets an IANA time zone (canonicalised); refuses anything else', async () => {
    const ok = await call(server.url, 'PATCH', '/api/v1/me', { body: { timeZone: 'europe/paris' }, headers: ben.auth });
    expect(ok.status).toBe(200);
    expect(ok.body.user.timeZone).toBe('Europe/Paris');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ben.auth })).body.user.timeZone).toBe('Europe/Paris');
    for (const timeZone of ['Mars/Base', '+02:00', '', 42]) {
      const res = await call(server.url, 'PATCH', '/api/v1/me', { body: { timeZone }, headers: ben.auth });
      expect(res.status, String(timeZone)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    await call(server.url, 'PATCH', '/api/v1/me', { body: { timeZone: 'UTC' }, headers: ben.auth });
  });
});
