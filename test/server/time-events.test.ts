import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn, type SignedIn } from '../support/api.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import { createOtherFirm } from '../support/workspaces.js';
import { timeApi } from '../support/time.js';

/**
 * `time.changed` (issue #13, item 5): every change to an entry or a timer
 * reaches all sessions of its owner and every manager's and admin's session of
 * the workspace, and nobody else. "Nothing arrived" is proved without sleeping:
 * the same stream then receives a later event, and streams keep their order.
 */
let server: TestServer;
let ana: SignedIn; // the owner, signed in twice
let anaPhone: SignedIn;
let ben: SignedIn;
let manager: SignedIn;
let admin: SignedIn;
let otherManager: SignedIn;
let t: ReturnType<typeof timeApi>;
let acme: { id: string };
const streams: Record<string, OpenStream> = {};

beforeAll(async () => {
  server = await startTestServer();
  const other = await createOtherFirm(server.store);
  [ana, anaPhone, ben, manager, admin] = (await Promise.all(
    ['ana', 'ana', 'ben', 'manager', 'admin'].map((n) => signIn(server.url, `${n}@demo.test`)),
  )) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  otherManager = await signIn(server.url, 'manager@other.test', { password: other.password });
  t = timeApi(server.url);
  acme = await t.createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
  const who = { ana, anaPhone, ben, manager, admin, otherManager };
  for (const [name, signedIn] of Object.entries(who)) streams[name] = await openEventStream(server.url, signedIn.auth);
});
afterAll(async () => {
  for (const stream of Object.values(streams)) stream.close();
  await server.close();
});

const timeEvents = (name: string) => streams[name]!.events.filter((e) => e.type === 'time.changed').map((e) => e.data);
const lastTimeEvent = (name: string) => timeEvents(name).at(-1);

/** Waits until every named stream has received `count` more time.changed events than before. */
async function arrived(names: string[], before: Record<string, number>, count = 1): Promise<void> {
  await expect
    .poll(() => names.every((n) => timeEvents(n).length >= before[n]! + count), { timeout: 5_000, interval: 20 })
    .toBe(true);
}
const counts = () => Object.fromEntries(Object.keys(streams).map((n) => [n, timeEvents(n).length]));

const OVERSEERS_AND_OWNER = ['ana', 'anaPhone', 'manager', 'admin'];
const hour = (h: number) => new Date(Date.UTC(2026, 10, 23, h)).toISOString();

describe('time.changed', () => {
  it("reaches every session of the owner and the workspace's managers and admins, not another accountant nor another firm", async () => {
    const before = counts();
    const body = t.entryBody(acme.id, hour(9), hour(10));
    const sentAt = performance.now();
    expect((await t.post(ana, body)).status).toBe(201);
    await arrived(OVERSEERS_AND_OWNER, before);
    for (const name of OVERSEERS_AND_OWNER) {
      expect(lastTimeEvent(name)).toEqual({ type: 'time.changed', entryId: body.id, userId: ana.user.id, change: 'created' });
      // "Soon": a generous bound; the latency itself is measured in the bench.
      expect(streams[name]!.events.at(-1)!.at - sentAt).toBeLessThan(3_000);
    }
    // Sentinels: each stream's next event is its own person's change, and nothing of the others' came before it.
    const bens = t.entryBody(acme.id, hour(11), hour(12));
    expect((await t.post(ben, bens)).status).toBe(201);
    await expect.poll(() => timeEvents('ben').length).toBe(before.ben! + 1);
    expect(lastTimeEvent('ben')).toMatchObject({ entryId: bens.id, userId: ben.user.id });
    const anas = t.entryBody(acme.id, hour(12), hour(13));
    await t.post(ana, anas);
    await expect.poll(() => lastTimeEvent('ana')?.entryId).toBe(anas.id);
    expect(timeEvents('ana').some((e) => e.entryId === bens.id)).toBe(false);
    const elsewhere = await t.createClient(otherManager, { name: 'Elsewhere', hourlyRateCents: 100, currency: 'USD' });
    const theirs = t.entryBody(elsewhere.id, hour(9), hour(10));
    expect((await t.post(otherManager, theirs)).status).toBe(201);
    await expect.poll(() => timeEvents('otherManager').length).toBe(1);
    expect(lastTimeEvent('otherManager')).toMatchObject({ entryId: theirs.id, userId: otherManager.user.id });
  });

  it('names the kind of change: updated, timer started/stopped (also when a start stops the previous one), deleted', async () => {
    const body = t.entryBody(acme.id, hour(13), hour(14));
    let before = counts();
    await t.post(ana, body);
    await arrived(['manager'], before);

    before = counts();
    expect((await t.patch(ana, body.id, { description: 'Year-end close' })).status).toBe(200);
    await arrived(['manager', 'anaPhone'], before);
    expect(lastTimeEvent('anaPhone')).toMatchObject({ entryId: body.id, change: 'updated' });

    before = counts();
    const first = randomUUID();
    expect((await call(server.url, 'POST', '/api/v1/timer/start', { body: { id: first, clientId: acme.id, description: 'Call', billable: true }, headers: ana.auth })).status).toBe(201);
    await arrived(['manager'], before);
    expect(lastTimeEvent('manager')).toMatchObject({ entryId: first, change: 'timer_started' });

    before = counts();
    const second = randomUUID();
    await call(server.url, 'POST', '/api/v1/timer/start', { body: { id: second, clientId: acme.id, description: 'Next', billable: true }, headers: anaPhone.auth });
    await arrived(['ana'], before, 2);
    expect(timeEvents('ana').slice(-2).map((e) => [e.entryId, e.change])).toEqual([
      [first, 'timer_stopped'],
      [second, 'timer_started'],
    ]);

    before = counts();
    expect((await call(server.url, 'POST', '/api/v1/timer/stop', { body: { id: second }, headers: ana.auth })).status).toBe(200);
    await arrived(['anaPhone', 'admin'], before);
    expect(lastTimeEvent('anaPhone')).toMatchObject({ entryId: second, change: 'timer_stopped' });

    before = counts();
    expect((await t.del(ana, body.id)).status).toBe(204);
    await arrived(['manager'], before);
    expect(lastTimeEvent('manager')).toMatchObject({ entryId: body.id, change: 'deleted' });
  });

  it('stays silent for writes that changed nothing: a replayed create, a repeated stop, a second delete, a refused write', async () => {
    const body = t.entryBody(acme.id, hour(15), hour(16));
    let before = counts();
    await t.post(ana, body);
    await arrived(['manager'], before);
    await t.del(ana, body.id);
    await arrived(['manager'], before, 2);

    before = counts();
    const kept = t.entryBody(acme.id, hour(16), hour(17));
    await t.post(ana, kept);
    await arrived(['manager'], before);
    before = counts();
    expect((await t.post(ana, kept)).status).toBe(200); // same content: a replay
    expect((await t.post(ana, body)).status).toBe(200); // deleted: stays deleted
    expect((await t.del(ana, body.id)).status).toBe(204); // already deleted
    expect((await t.patch(ben, kept.id, { description: 'not yours' })).status).toBe(404);
    expect((await t.post(ana, { ...kept, end: hour(14) })).status).toBe(400);
    // The sentinel: the next event each stream gets is this one.
    await t.patch(ana, kept.id, { description: 'sentinel' });
    await arrived(['manager', 'anaPhone'], before);
    expect(timeEvents('manager').length).toBe(before.manager! + 1);
    expect(lastTimeEvent('manager')).toMatchObject({ entryId: kept.id, change: 'updated' });
  });

  it("tells the owner when a manager corrects their entry, and everyone when entries are billed (one event per owner)", async () => {
    const a = t.entryBody(acme.id, hour(18), hour(19));
    const b = t.entryBody(acme.id, hour(19), hour(20));
    const c = t.entryBody(acme.id, hour(18), hour(19));
    let before = counts();
    await Promise.all([t.post(ana, a), t.post(ana, b), t.post(ben, c)]);
    await arrived(['manager'], before, 3);

    before = counts();
    expect((await t.patch(manager, a.id, { description: 'Corrected by the manager' })).status).toBe(200);
    await arrived(['ana', 'anaPhone'], before);
    expect(lastTimeEvent('ana')).toEqual({ type: 'time.changed', entryId: a.id, userId: ana.user.id, change: 'updated' });

    before = counts();
    const billed = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [a.id, b.id, c.id] }, headers: manager.auth });
    expect(billed.body).toEqual({ billed: 3, alreadyBilled: 0 });
    await arrived(['manager'], before, 2);
    await arrived(['ana', 'ben'], before);
    expect(timeEvents('manager').slice(-2).map((e) => [e.userId, e.change]).sort()).toEqual(
      [
        [ana.user.id, 'billed'],
        [ben.user.id, 'billed'],
      ].sort(),
    );
    expect(lastTimeEvent('ben')).toEqual({ type: 'time.changed', entryId: null, userId: ben.user.id, change: 'billed' });

    // Billing the same entries again bills nothing, and says nothing.
    before = counts();
    expect((await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [a.id] }, headers: manager.auth })).body).toEqual({ billed: 0, alreadyBilled: 1 });
    const sentinel = t.entryBody(acme.id, hour(21), hour(22));
    await t.post(ana, sentinel);
    await arrived(['manager'], before);
    expect(timeEvents('manager').length).toBe(before.manager! + 1);
  });

  it('announces writes made with an API token too', async () => {
    const token = (await createApiToken(server.url, ana, { name: 'Import script' })).auth;
    const body = t.entryBody(acme.id, hour(6), hour(7));
    const before = counts();
    expect((await call(server.url, 'POST', '/api/v1/entries', { body, headers: token })).status).toBe(201);
    await arrived(['ana', 'manager'], before);
    expect(lastTimeEvent('ana')).toMatchObject({ entryId: body.id, change: 'created' });
  });

  it('under 20 parallel writes, every one is announced once to a manager', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => t.entryBody(acme.id, new Date(Date.UTC(2026, 10, 24, 0, i * 3)).toISOString(), new Date(Date.UTC(2026, 10, 24, 0, i * 3 + 2)).toISOString()));
    const before = counts();
    const results = await Promise.all(bodies.map((b, i) => t.post(i % 2 ? ana : anaPhone, b)));
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 201));
    await arrived(['manager', 'ana'], before, 20);
    const heard = timeEvents('manager').slice(before.manager).map((e) => e.entryId);
    expect(heard.sort()).toEqual(bodies.map((b) => b.id).sort());
  });
});
