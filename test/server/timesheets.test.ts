import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { createOtherFirm } from '../support/workspaces.js';
import { timeApi } from '../support/time.js';
import { HOUR_MS, ManualClock } from '../../server/platform/clock.js';
import { sqlRows } from '../support/sql.js';
import { openEventStream } from '../support/event-stream.js';

/** Wednesday 25 November 2026, 12:00 UTC; the fixture's people are in UTC unless a test moves them. */
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const LAST_WEEK = '2026-11-16';
const THIS_WEEK = '2026-11-23';

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

beforeAll(async () => {
  clock = new ManualClock(NOW);
  server = await startTestServer({ clock });
  const other = await createOtherFirm(server.store, clock.now());
  [admin, manager, ana, ben] = (await Promise.all(['admin', 'manager', 'ana', 'ben'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  otherManager = await signIn(server.url, 'manager@other.test', { password: other.password });
  t = timeApi(server.url);
  acme = await t.createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
  globex = await t.createClient(manager, { name: 'Globex', hourlyRateCents: 9_000, currency: 'USD' });
});
afterAll(() => server.close());

const api = (who: SignedIn, method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1${path}`, { headers: who.auth, body });
const weekOf = (who: SignedIn, userId: string, monday: string) => api(who, 'GET', `/timesheets/${userId}/weeks/${monday}`);
const act = (who: SignedIn, userId: string, monday: string, action: 'submit' | 'approve' | 'reopen') => api(who, 'POST', `/timesheets/${userId}/weeks/${monday}/${action}`);
async function entry(who: SignedIn, clientId: string, start: string, end: string | null, extra: Record<string, unknown> = {}) {
  const res = await t.post(who, t.entryBody(clientId, start, end, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.entry as { id: string };
}
/** Access tokens last 15 minutes (issue #10): after moving the clock on, sign in again at the new time. */
const fresh = (who: SignedIn) => signIn(server.url, who.user.email);
const audits = (type: string) => sqlRows<{ actor_user_id: string; target_user_id: string }>(server.store, 'SELECT actor_user_id, target_user_id FROM audit_events WHERE type = ?', type);

describe('the week view', () => {
  it('rows per client, days as columns, day and week totals; the member and managers see it, others do not', async () => {
    await entry(ana, acme.id, '2026-11-16T09:00:00Z', '2026-11-16T11:00:00Z');
    await entry(ana, acme.id, '2026-11-18T09:00:00Z', '2026-11-18T10:30:00Z', { billable: false });
    await entry(ana, globex.id, '2026-11-18T13:00:00Z', '2026-11-18T14:00:00Z');
    await entry(ana, globex.id, '2026-11-22T23:00:00Z', '2026-11-22T23:45:00Z'); // Sunday late

    const week = await weekOf(manager, ana.user.id, LAST_WEEK);
    expect(week.status).toBe(200);
    const h = HOUR_MS;
    expect(week.body).toMatchObject({
      member: { id: ana.user.id, name: 'Ana Accountant' },
      monday: LAST_WEEK,
      timeZone: 'UTC',
      days: ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'],
      rows: [
        { clientName: 'Acme Ltd', currency: 'EUR', days: [2 * h, 0, 1.5 * h, 0, 0, 0, 0], totalMs: 3.5 * h, billableMs: 2 * h },
        { clientName: 'Globex', currency: 'USD', days: [0, 0, h, 0, 0, 0, 0.75 * h], totalMs: 1.75 * h, billableMs: 1.75 * h },
      ],
      dayTotals: [2 * h, 0, 2.5 * h, 0, 0, 0, 0.75 * h],
      totalMs: 5.25 * h,
      billableMs: 3.75 * h,
      timerRunning: false,
      approval: { status: 'open', canReopen: false },
    });
    expect(week.body.entries).toHaveLength(4);
    expect((await weekOf(ana, ana.user.id, LAST_WEEK)).status).toBe(200);
    expect((await weekOf(admin, ana.user.id, LAST_WEEK)).status).toBe(200);
    expect((await weekOf(ben, ana.user.id, LAST_WEEK)).body.error.code).toBe('forbidden');
    expect((await weekOf(otherManager, ana.user.id, LAST_WEEK)).body.error.code).toBe('not_found');
    expect((await weekOf(manager, '00000000-0000-4000-8000-000000000000', LAST_WEEK)).body.error.code).toBe('not_found');
  });

  it('counts the days in the viewer’s zone (the shared helpers)', async () => {
    const viewer = await signIn(server.url, 'admin@demo.test');
    expect((await api(viewer, 'PATCH', '/me', { timeZone: 'Pacific/Auckland' })).status).toBe(200);
    try {
      // Sunday 22 Nov 23:00 UTC is Monday 23 Nov 12:00 in Auckland: next week there.
      const auckland = await weekOf(viewer, ana.user.id, THIS_WEEK);
      expect(auckland.body.timeZone).toBe('Pacific/Auckland');
      expect(auckland.body.rows.find((r: { clientName: string }) => r.clientName === 'Globex')?.days[0]).toBe(0.75 * HOUR_MS);
    } finally {
      await api(viewer, 'PATCH', '/me', { timeZone: 'UTC' });
    }
  });

  it('refuses what is not a Monday with a clear 400, and random input is never a 5xx', async () => {
    for (const monday of ['2026-11-17', '2026-02-30', '2026-1-16', 'monday']) {
      const res = await weekOf(manager, ana.user.id, monday);
      expect(res.status, monday).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 12 }), async (userId, monday) => {
        const res = await call(server.url, 'GET', `/api/v1/timesheets/${encodeURIComponent(userId || 'x')}/weeks/${encodeURIComponent(monday || 'x')}`, { headers: manager.auth });
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.code).toEqual(expect.any(String));
      }),
      { numRuns: 40 },
    );
  });
});

describe('submit, approve, reopen: the role matrix and the lock', () => {
  it('only the member submits their own week; not a future one', async () => {
    expect((await act(ben, ana.user.id, LAST_WEEK, 'submit')).status).toBe(403);
    expect((await act(manager, ana.user.id, LAST_WEEK, 'submit')).status).toBe(403);
    expect((await act(ana, ana.user.id, '2026-11-30', 'submit')).body.error.code).toBe('invalid_request');
    const submitted = await act(ana, ana.user.id, LAST_WEEK, 'submit');
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', approvedAt: null });
    expect((await act(ana, ana.user.id, LAST_WEEK, 'submit')).body.status).toBe('submitted'); // idempotent
    expect(await audits('week_submitted')).toEqual([expect.objectContaining({ actor_user_id: ana.user.id, target_user_id: ana.user.id })]);
    const queue = await api(manager, 'GET', '/timesheets/queue');
    expect(queue.body.weeks).toEqual([expect.objectContaining({ member: { id: ana.user.id, name: 'Ana Accountant' }, monday: LAST_WEEK, changedAfterApprovalAt: null })]);
    expect((await api(ana, 'GET', '/timesheets/queue')).status).toBe(403);
  });

  it('managers and admins approve; accountants and other firms cannot; an unsubmitted week is refused', async () => {
    expect((await act(ana, ana.user.id, LAST_WEEK, 'approve')).status).toBe(403);
    expect((await act(otherManager, ana.user.id, LAST_WEEK, 'approve')).status).toBe(404);
    expect((await act(manager, ben.user.id, LAST_WEEK, 'approve')).body.error.code).toBe('week_not_submitted');
    const approved = await act(manager, ana.user.id, LAST_WEEK, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: { id: manager.user.id, name: 'Morgan Manager' }, canReopen: true });
    expect(await audits('week_approved')).toHaveLength(1);
    expect((await api(manager, 'GET', '/timesheets/queue')).body.weeks).toEqual([]);
    expect((await act(ana, ana.user.id, LAST_WEEK, 'submit')).body.error.code).toBe('week_approved');
  });

  it('approval locks the week for ana on the web: edit, delete, new entry all refused (409 week_approved)', async () => {
    const week = (await weekOf(ana, ana.user.id, LAST_WEEK)).body;
    const id = week.entries[0].id;
    const patched = await t.patch(ana, id, { description: 'Changed after approval' });
    expect(patched.status).toBe(409);
    expect(patched.body.error.code).toBe('week_approved');
    expect(patched.body.error.message).toMatch(/approved/);
    expect((await t.del(ana, id)).body.error.code).toBe('week_approved');
    expect((await t.post(ana, t.entryBody(acme.id, '2026-11-19T09:00:00Z', '2026-11-19T10:00:00Z'))).body.error.code).toBe('week_approved');
    // Moving an entry of an open week INTO the approved week is refused too.
    const thisWeeks = await entry(ana, acme.id, '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z');
    expect((await t.patch(ana, thisWeeks.id, { start: '2026-11-17T09:00:00Z', end: '2026-11-17T10:00:00Z' })).body.error.code).toBe('week_approved');
  });

  it('a manager’s correction goes through, audited, and ana sees "changed by"', async () => {
    const id = (await weekOf(ana, ana.user.id, LAST_WEEK)).body.entries[0].id;
    const corrected = await t.patch(manager, id, { description: 'Year-end close (corrected)' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.entry.changedBy).toEqual({ id: manager.user.id, name: 'Morgan Manager' });
    const listed = await t.list(ana, { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' });
    const seen = listed.body.entries.find((e: { id: string }) => e.id === id);
    expect(seen).toMatchObject({ description: 'Year-end close (corrected)', changedBy: { name: 'Morgan Manager' } });
    expect(listed.body.entries.filter((e: { changedBy: unknown }) => e.changedBy === null).length).toBe(3);
    expect((await weekOf(ana, ana.user.id, LAST_WEEK)).body.entries.find((e: { id: string }) => e.id === id).changedBy.name).toBe('Morgan Manager');
    const rows = await sqlRows<{ target_user_id: string }>(server.store, `SELECT target_user_id FROM audit_events WHERE type = 'entry_changed'`);
    expect(rows.map((r) => r.target_user_id)).toContain(ana.user.id);
  });

  it('a desktop’s write into the approved week is accepted, flagged "changed after approval", and back in the queue', async () => {
    const desktop = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Ana’s laptop' });
    const queued = await t.post(desktop, t.entryBody(globex.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'));
    expect(queued.status).toBe(201);
    const week = (await weekOf(manager, ana.user.id, LAST_WEEK)).body;
    expect(week.approval).toMatchObject({ status: 'submitted', changedAfterApprovalAt: new Date(NOW).toISOString() });
    const queue = (await api(manager, 'GET', '/timesheets/queue')).body.weeks;
    expect(queue).toEqual([expect.objectContaining({ monday: LAST_WEEK, changedAfterApprovalAt: expect.any(String) })]);
    expect(await audits('week_changed_after_approval')).toEqual([expect.objectContaining({ actor_user_id: ana.user.id })]);
    // Approved again: the flag clears.
    expect((await act(manager, ana.user.id, LAST_WEEK, 'approve')).body).toMatchObject({ status: 'approved', changedAfterApprovalAt: null });
  });

  it('reopen: not by accountants; the approving manager within a day; after that only an admin', async () => {
    expect((await act(ana, ana.user.id, LAST_WEEK, 'reopen')).status).toBe(403);
    clock.advance(25 * HOUR_MS);
    try {
      const [lateManager, lateAdmin, lateAna] = await Promise.all([fresh(manager), fresh(admin), fresh(ana)]);
      const late = await act(lateManager, ana.user.id, LAST_WEEK, 'reopen');
      expect(late.status).toBe(403);
      expect(late.body.error.message).toMatch(/within a day/);
      expect((await weekOf(lateManager, ana.user.id, LAST_WEEK)).body.approval.canReopen).toBe(false);
      const reopened = await act(lateAdmin, ana.user.id, LAST_WEEK, 'reopen');
      expect(reopened.body).toMatchObject({ status: 'open' });
      expect(await audits('week_reopened')).toEqual([expect.objectContaining({ actor_user_id: admin.user.id, target_user_id: ana.user.id })]);
      // Open again: ana edits.
      const id = (await weekOf(lateAna, ana.user.id, LAST_WEEK)).body.entries[0].id;
      const own = await t.patch(lateAna, id, { description: 'Ana’s own words' });
      expect(own.status).toBe(200);
      expect(own.body.entry.changedBy).toBeNull();
    } finally {
      clock.set(NOW);
    }
  });

  it('the approving manager reopens within the day', async () => {
    await act(ana, ana.user.id, LAST_WEEK, 'submit');
    await act(manager, ana.user.id, LAST_WEEK, 'approve');
    clock.advance(23 * HOUR_MS);
    try {
      expect((await act(await fresh(manager), ana.user.id, LAST_WEEK, 'reopen')).body.status).toBe('open');
    } finally {
      clock.set(NOW);
    }
  });

  it('a manager’s own week is approved by someone else (an admin)', async () => {
    await entry(manager, acme.id, '2026-11-17T09:00:00Z', '2026-11-17T10:00:00Z');
    expect((await act(manager, manager.user.id, LAST_WEEK, 'submit')).status).toBe(200);
    expect((await act(manager, manager.user.id, LAST_WEEK, 'approve')).status).toBe(403);
    expect((await act(admin, manager.user.id, LAST_WEEK, 'approve')).body.status).toBe('approved');
  });
});

describe('a week with a running timer cannot be approved', () => {
  it('refused while ben’s timer runs; approved once it stops; then a new timer in it is refused on the web', async () => {
    const started = await api(ben, 'POST', '/timer/start', { clientId: acme.id, description: 'Audit', billable: true });
    expect(started.status).toBe(201);
    expect((await act(ben, ben.user.id, THIS_WEEK, 'submit')).status).toBe(200);
    expect((await weekOf(manager, ben.user.id, THIS_WEEK)).body.timerRunning).toBe(true);
    const refused = await act(manager, ben.user.id, THIS_WEEK, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('week_timer_running');
    clock.advance(HOUR_MS);
    try {
      const [laterBen, laterManager] = await Promise.all([fresh(ben), fresh(manager)]);
      expect((await api(laterBen, 'POST', '/timer/stop', {})).status).toBe(200);
      expect((await act(laterManager, ben.user.id, THIS_WEEK, 'approve')).body.status).toBe('approved');
      const again = await api(laterBen, 'POST', '/timer/start', { clientId: acme.id, description: 'More', billable: true });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('week_approved');
    } finally {
      clock.set(NOW);
    }
    expect((await act(admin, ben.user.id, THIS_WEEK, 'reopen')).body.status).toBe('open');
  });

  it('approving while the timer starts (in parallel): never both', async () => {
    for (let round = 0; round < 4; round++) {
      expect((await act(ben, ben.user.id, THIS_WEEK, 'submit')).status).toBe(200);
      const [approve, start] = await Promise.all([
        act(manager, ben.user.id, THIS_WEEK, 'approve'),
        api(ben, 'POST', '/timer/start', { clientId: acme.id, description: `Race ${round}`, billable: true }),
      ]);
      const approved = approve.status === 200;
      const timerStarted = start.status === 201;
      expect(approved !== timerStarted, `approve ${approve.status} ${JSON.stringify(approve.body)}, start ${start.status}`).toBe(true);
      if (timerStarted) {
        expect(approve.body.error.code).toBe('week_timer_running');
        clock.advance(60_000);
        await api(ben, 'POST', '/timer/stop', {});
      } else expect(start.body.error.code).toBe('week_approved');
      await act(admin, ben.user.id, THIS_WEEK, 'reopen');
    }
  });
});

describe('an edit racing an approval', () => {
  it('in parallel: the edit lands before the approval or is refused (never a 5xx, never a lost approval); a desktop’s is accepted and flags the week', async () => {
    const monday = '2026-10-26';
    const mine = await entry(ana, acme.id, '2026-10-27T09:00:00Z', '2026-10-27T10:00:00Z');
    const desktop = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Race laptop' });
    for (let round = 0; round < 4; round++) {
      expect((await act(ana, ana.user.id, monday, 'submit')).status).toBe(200);
      const who = round % 2 === 0 ? ana : desktop;
      const [approve, edit] = await Promise.all([act(manager, ana.user.id, monday, 'approve'), t.patch(who, mine.id, { description: `Round ${round}` })]);
      expect(approve.status).toBe(200);
      const week = (await weekOf(manager, ana.user.id, monday)).body;
      if (who === ana) {
        expect([200, 409]).toContain(edit.status);
        if (edit.status === 409) expect(edit.body.error.code).toBe('week_approved');
        expect(week.approval.status).toBe('approved');
      } else {
        expect(edit.status).toBe(200);
        // Landed before the approval (week approved) or after it (flagged, back in the queue).
        expect(week.approval.status === 'approved' || week.approval.changedAfterApprovalAt !== null).toBe(true);
      }
      await act(admin, ana.user.id, monday, 'reopen');
    }
  });
});

describe('un-billing Mark-billed entries (admins)', () => {
  it('admin only, all or none, audited, idempotent; the unbilled figure comes back', async () => {
    const billedEntry = await entry(ben, globex.id, '2026-11-02T09:00:00Z', '2026-11-02T11:00:00Z');
    expect((await api(manager, 'POST', '/billing/mark-billed', { entryIds: [billedEntry.id] })).body.billed).toBe(1);
    const before = (await api(admin, 'GET', '/dashboard')).body.unbilledAmounts;
    for (const who of [ben, manager]) expect((await api(who, 'POST', '/billing/unbill', { entryIds: [billedEntry.id] })).status).toBe(403);
    const missing = await api(admin, 'POST', '/billing/unbill', { entryIds: [billedEntry.id, '00000000-0000-4000-8000-000000000000'] });
    expect(missing.status).toBe(404);
    expect((await api(admin, 'POST', '/billing/unbill', { entryIds: [billedEntry.id] })).body).toEqual({ unbilled: 1, notBilled: 0 });
    expect((await api(admin, 'POST', '/billing/unbill', { entryIds: [billedEntry.id] })).body).toEqual({ unbilled: 0, notBilled: 1 });
    expect((await api(otherManager, 'POST', '/billing/unbill', { entryIds: [billedEntry.id] })).status).toBe(403);
    const after = (await api(admin, 'GET', '/dashboard')).body.unbilledAmounts as { currency: string; amountCents: number }[];
    const usd = (list: { currency: string; amountCents: number }[]) => list.find((m) => m.currency === 'USD')?.amountCents ?? 0;
    expect(usd(after) - usd(before)).toBe(18_000);
    expect(await audits('entries_unbilled')).toEqual([expect.objectContaining({ actor_user_id: admin.user.id })]);
    // Ben may edit it again.
    expect((await t.patch(ben, billedEntry.id, { description: 'Editable again' })).status).toBe(200);
  });
});

describe('"require approved weeks before billing" (workspace setting)', () => {
  it('refuses to bill entries of weeks not approved (409 week_not_approved, nothing billed); bills them once approved', async () => {
    expect((await api(admin, 'PATCH', '/admin/workspace', { requireApprovedWeeks: true })).status).toBe(200);
    try {
      const early = await entry(ben, acme.id, '2026-11-03T09:00:00Z', '2026-11-03T10:00:00Z');
      const other = await entry(ben, acme.id, '2026-11-04T09:00:00Z', '2026-11-04T10:00:00Z');
      const refused = await api(manager, 'POST', '/billing/mark-billed', { entryIds: [early.id, other.id] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('week_not_approved');
      const billed = await sqlRows(server.store, 'SELECT id FROM time_entries WHERE id IN (?, ?) AND billed_at IS NOT NULL', early.id, other.id);
      expect(billed).toHaveLength(0);
      expect((await act(ben, ben.user.id, '2026-11-02', 'submit')).status).toBe(200);
      expect((await api(manager, 'POST', '/billing/mark-billed', { entryIds: [early.id] })).body.error.code).toBe('week_not_approved');
      expect((await act(manager, ben.user.id, '2026-11-02', 'approve')).status).toBe(200);
      expect((await api(manager, 'POST', '/billing/mark-billed', { entryIds: [early.id, other.id] })).body).toEqual({ billed: 2, alreadyBilled: 0 });
    } finally {
      await api(admin, 'PATCH', '/admin/workspace', { requireApprovedWeeks: false });
    }
  });
});

describe('live: week changes reach the member and the managers', () => {
  it('submit, approve and reopen are pushed as time.changed to the member’s and a manager’s streams', async () => {
    const [mine, boss] = await Promise.all([openEventStream(server.url, ben.auth), openEventStream(server.url, manager.auth)]);
    try {
      const monday = '2026-11-09';
      // `next` waits for an event after the call: listen first, then act.
      const created = [mine.next('time.changed'), boss.next('time.changed')];
      await entry(ben, acme.id, '2026-11-10T09:00:00Z', '2026-11-10T10:00:00Z');
      await Promise.all(created);
      for (const [who, action, change] of [[ben, 'submit', 'submitted'], [manager, 'approve', 'approved'], [admin, 'reopen', 'reopened']] as const) {
        const heard = [mine.next('time.changed', 5_000), boss.next('time.changed', 5_000)];
        expect((await act(who, ben.user.id, monday, action)).status).toBe(200);
        for (const event of await Promise.all(heard)) expect(event.data).toEqual({ type: 'time.changed', entryId: null, userId: ben.user.id, change });
      }
    } finally {
      mine.close();
      boss.close();
    }
  });
});
