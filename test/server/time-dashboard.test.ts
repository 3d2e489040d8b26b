import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';

/** These tests move the clock by hours: the sessions authenticate with their cookies, as the web client does (access tokens last 15 minutes). */
const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));
import { timeApi } from '../support/time.js';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function firm(now: string) {
  const clock = new ManualClock(Date.parse(now));
  const server = await startTestServer({ clock });
  servers.push(server);
  const [manager, ana, ben] = await Promise.all(['manager', 'ana', 'ben'].map((n) => signIn(server.url, `${n}@demo.test`)));
  const t = timeApi(server.url);
  const eur = await t.createClient(manager!, { name: 'Euro client', hourlyRateCents: 10_000, currency: 'EUR' });
  const usd = await t.createClient(manager!, { name: 'Dollar client', hourlyRateCents: 7_500, currency: 'USD' });
  const setZone = (who: SignedIn, timeZone: string) => call(server.url, 'PATCH', '/api/v1/me', { body: { timeZone }, headers: who.auth });
  return { clock, server, manager: manager!, ana: ana!, ben: ben!, t, eur, usd, setZone };
}

describe('dashboard in Pacific/Auckland (UTC+13 in November)', () => {
  it('counts today and this week in the user zone, splits across midnight, runs the timer up to now', async () => {
    // 2026-11-23 09:00 UTC is Monday 23 November, 22:00 in Auckland.
    const f = await firm('2026-11-23T09:00:00Z');
    expect((await f.setZone(f.ana, 'Pacific/Auckland')).status).toBe(200);
    // Sunday 23:30 → Monday 00:30 local: only the Monday half hour is in this week.
    await f.t.post(f.ana, f.t.entryBody(f.eur.id, '2026-11-22T10:30:00Z', '2026-11-22T11:30:00Z'));
    // Monday 09:00-12:00 local, not billable.
    await f.t.post(f.ana, f.t.entryBody(f.eur.id, '2026-11-22T20:00:00Z', '2026-11-22T23:00:00Z', { billable: false }));
    // A deleted entry counts nowhere.
    const gone = f.t.entryBody(f.eur.id, '2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z');
    await f.t.post(f.ana, gone);
    await f.t.del(f.ana, gone.id);
    // Ben's hours never show on Ana's tiles, but his unbilled amount shows on the manager's.
    await f.t.post(f.ben, f.t.entryBody(f.eur.id, '2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z'));
    // Timer started at 21:00 local on the dollar client.
    f.clock.advance(-60 * MINUTE_MS);
    await call(f.server.url, 'POST', '/api/v1/timer/start', { body: { clientId: f.usd.id, description: 'Running', billable: true }, headers: f.ana.auth });
    f.clock.advance(60 * MINUTE_MS);

    const d = (await f.t.dashboard(f.ana)).body;
    expect(d).toMatchObject({
      timeZone: 'Pacific/Auckland',
      today: '2026-11-23',
      hoursToday: 4.5,
      hoursThisWeek: 4.5,
      billableHoursThisWeek: 1.5,
      billableShareThisWeek: 0.3333,
      unbilledScope: 'own',
      // Unbilled is not limited to this week: the whole Sunday-night hour at 100.00 EUR; the running hour at 75.00 USD.
      unbilledAmounts: [{ currency: 'EUR', amountCents: 10_000 }, { currency: 'USD', amountCents: 7_500 }],
      runningTimer: { description: 'Running', end: null },
    });
    expect(d.perDay.map((p: { date: string }) => p.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(d.perDay.map((p: { hours: number }) => p.hours)).toEqual([4.5, 0, 0, 0, 0, 0, 0]);

    const m = (await f.t.dashboard(f.manager)).body;
    expect(m).toMatchObject({ unbilledScope: 'workspace', unbilledAmounts: [{ currency: 'EUR', amountCents: 20_000 }, { currency: 'USD', amountCents: 7_500 }], runningTimer: null, timeZone: 'UTC' });

    // Two hours later it is Tuesday 00:00 in Auckland: the timer's 3 hours all belong to Monday.
    f.clock.advance(120 * MINUTE_MS);
    const tue = (await f.t.dashboard(f.ana)).body;
    expect(tue).toMatchObject({ today: '2026-11-24', hoursToday: 0, hoursThisWeek: 6.5 });
    expect(tue.perDay.slice(0, 2).map((p: { hours: number }) => p.hours)).toEqual([6.5, 0]);
    f.clock.advance(30 * MINUTE_MS);
    const later = (await f.t.dashboard(f.ana)).body;
    expect(later).toMatchObject({ hoursToday: 0.5, hoursThisWeek: 7 });
  });

  it('the day Auckland springs forward (27 September 2026) has 23 hours', async () => {
    // Sunday 27 September 2026, 23:00 NZDT = 10:00 UTC.
    const f = await firm('2026-09-27T10:00:00Z');
    await f.setZone(f.ana, 'Pacific/Auckland');
    // From Saturday 23:00 NZST (11:00 UTC) to Sunday 23:00 NZDT (10:00 UTC next day), 23 real hours, split 1 h + 22 h.
    await f.t.post(f.ana, f.t.entryBody(f.eur.id, '2026-09-26T11:00:00Z', '2026-09-27T10:00:00Z'));
    const d = (await f.t.dashboard(f.ana)).body;
    expect(d).toMatchObject({ today: '2026-09-27', hoursToday: 22, hoursThisWeek: 23 });
    expect(d.perDay.map((p: { hours: number }) => p.hours)).toEqual([0, 0, 0, 0, 0, 1, 22]);
  });
});

describe('dashboard in America/New_York around the spring DST change', () => {
  it('splits by real hours across a 23-hour Sunday, and starts a new week at local Monday midnight', async () => {
    // 2026-03-09 02:00 UTC is Sunday 8 March, 22:00 EDT (clocks sprang forward at 02:00 that morning).
    const f = await firm('2026-03-09T02:00:00Z');
    await f.setZone(f.ben, 'America/New_York');
    // Sunday 1 March 23:30 EST → Monday 2 March 00:30: half an hour in this week.
    await f.t.post(f.ben, f.t.entryBody(f.eur.id, '2026-03-02T04:30:00Z', '2026-03-02T05:30:00Z'));
    // Saturday 23:00 EST → Sunday 04:00 EDT: 4 real hours, 1 on Saturday and 3 on Sunday.
    await f.t.post(f.ben, f.t.entryBody(f.eur.id, '2026-03-08T04:00:00Z', '2026-03-08T08:00:00Z'));
    // Sunday 21:00-22:00 EDT.
    await f.t.post(f.ben, f.t.entryBody(f.usd.id, '2026-03-09T01:00:00Z', '2026-03-09T02:00:00Z', { billable: false }));
    const d = (await f.t.dashboard(f.ben)).body;
    expect(d).toMatchObject({ today: '2026-03-08', hoursToday: 4, hoursThisWeek: 5.5, billableHoursThisWeek: 4.5 });
    expect(d.perDay.map((p: { hours: number }) => p.hours)).toEqual([0.5, 0, 0, 0, 0, 1, 4]);
    expect(d.perDay[0].date).toBe('2026-03-02');

    // One second before local midnight it is still Sunday; at midnight a new week starts with nothing in it.
    f.clock.set(Date.parse('2026-03-09T03:59:59Z'));
    expect((await f.t.dashboard(f.ben)).body).toMatchObject({ today: '2026-03-08', hoursThisWeek: 5.5 });
    f.clock.set(Date.parse('2026-03-09T04:00:00Z'));
    const monday = (await f.t.dashboard(f.ben)).body;
    expect(monday).toMatchObject({ today: '2026-03-09', hoursToday: 0, hoursThisWeek: 0, billableShareThisWeek: 0 });
    expect(monday.perDay[0].date).toBe('2026-03-09');
    // Ana stays in UTC (the default), where it is Monday 04:00.
    expect((await f.t.dashboard(f.ana)).body).toMatchObject({ timeZone: 'UTC', today: '2026-03-09' });
  });
});
