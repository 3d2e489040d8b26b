import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as signInWithToken, viaCookie, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { ManualClock } from '../../server/platform/clock.js';

const signIn = async (...args: Parameters<typeof signInWithToken>) => viaCookie(await signInWithToken(...args));

let server: TestServer;
let clock: ManualClock;
let manager: SignedIn;
let ana: SignedIn;
let t: ReturnType<typeof timeApi>;

const api = (who: SignedIn, method: string, path: string, body?: unknown) => call(server.url, method, path, { body, headers: who.auth });

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 11, 2, 18, 0, 0));
  server = await startTestServer({ clock });
  [manager, ana] = (await Promise.all(['manager', 'ana'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn];
  t = timeApi(server.url);
});
afterAll(() => server.close());

/** A client with its rounding rule, and Ana's entries of `minutes` each on 2026-12-01 (optionally on a matter). */
async function setUp(name: string, rounding: object | null, minutes: number[], matterRounding?: object | null) {
  const client = await t.createClient(manager, { name, hourlyRateCents: 60_00, currency: 'EUR' });
  if (rounding) expect((await api(manager, 'PATCH', `/api/v1/clients/${client.id}`, { rounding })).status).toBe(200);
  let matterId: string | undefined;
  if (matterRounding !== undefined) {
    const m = await api(manager, 'POST', '/api/v1/matters', { clientId: client.id, code: 'M', name: 'Matter', rounding: matterRounding });
    matterId = m.body.id;
  }
  let at = Date.parse('2026-12-01T08:00:00Z');
  for (const m of minutes) {
    const res = await t.post(ana, t.entryBody(client.id, new Date(at).toISOString(), new Date(at + m * 60_000).toISOString(), matterId ? { matterId } : {}));
    expect(res.status).toBe(201);
    at += m * 60_000 + 60_000;
  }
  return client;
}

const range = 'from=2026-11-30T00:00:00Z&to=2026-12-07T00:00:00Z';
async function groupOf(clientId: string) {
  const res = await api(manager, 'GET', `/api/v1/reports/summary?${range}`);
  expect(res.status).toBe(200);
  return res.body.groups.find((g: { id: string }) => g.id === clientId);
}

describe('rounding rules in the summary: raw and rounded hours side by side', () => {
  it.each([
    // rule, entries' minutes, rounded hours
    [{ incrementMinutes: 15, mode: 'up', scope: 'entry' }, [7, 16, 30], 1.25], // 15 + 30 + 30
    [{ incrementMinutes: 15, mode: 'down', scope: 'entry' }, [7, 16, 30], 0.75], // 0 + 15 + 30
    [{ incrementMinutes: 15, mode: 'nearest', scope: 'entry' }, [7, 8, 30], 0.75], // 0 + 15 + 30
    [{ incrementMinutes: 6, mode: 'up', scope: 'entry' }, [1, 1, 1], 0.3], // 6 × 3
    [{ incrementMinutes: 6, mode: 'up', scope: 'day-per-matter' }, [1, 1, 1], 0.1], // 3 minutes → 6
    [{ incrementMinutes: 30, mode: 'nearest', scope: 'day-per-matter' }, [10, 10, 10], 0.5],
    [{ incrementMinutes: 10, mode: 'down', scope: 'day-per-matter' }, [4, 4, 4], 0.17], // 12 → 10 min = 0.1667 h
    [null, [7, 16, 30], 0.88], // the default: to the nearest minute (53 min)
  ] as const)('%j on %j minutes: %d rounded hours', async (rule, minutes, rounded) => {
    const client = await setUp(`Client ${JSON.stringify(rule)} ${minutes.join('-')}`, rule, [...minutes]);
    const group = await groupOf(client.id);
    expect(group.hours).toBe(Math.round((minutes.reduce((a, b) => a + b, 0) / 60) * 100) / 100);
    expect(group.roundedHours).toBe(rounded);
  });

  it("a matter's own rule overrides its client's", async () => {
    const client = await setUp('Override', { incrementMinutes: 30, mode: 'up', scope: 'entry' }, [5, 5], { incrementMinutes: 6, mode: 'up', scope: 'day-per-matter' });
    expect((await groupOf(client.id)).roundedHours).toBe(0.2); // 10 minutes on the matter's day → 12
  });
});

describe('CSV formats', () => {
  it("semicolon, decimal comma: what German or French Excel expects, and it parses back to the same numbers", async () => {
    const client = await setUp('Müller & Söhne; Partner', { incrementMinutes: 15, mode: 'up', scope: 'entry' }, [90, 7]);
    const comma = parse(await (await fetch(`${server.url}/api/v1/reports/entries.csv?${range}`, { headers: manager.auth })).text(), { columns: true, bom: true }) as Record<string, string>[];
    const res = await fetch(`${server.url}/api/v1/reports/entries.csv?${range}&format=semicolon`, { headers: manager.auth });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toMatch(/^entry_id;date;start_utc;/);
    const semi = parse(text, { columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(semi).toHaveLength(comma.length);
    const mine = semi.filter((r) => r.client === 'Müller & Söhne; Partner');
    expect(mine.map((r) => [r.minutes, r.hours, r.billable_minutes, r.billable_hours, r.amount, r.billable_amount])).toEqual([
      ['90,0000', '1,5000', '90', '1,5000', '90,00', '90,00'],
      ['7,0000', '0,1167', '15', '0,2500', '7,00', '15,00'],
    ]);
    // Every number of the comma format is the same number with a decimal comma.
    semi.forEach((r, i) => {
      for (const column of ['minutes', 'hours', 'hourly_rate', 'amount']) expect(r[column]!.replace(',', '.')).toBe(comma[i]![column]);
    });
    expect(client.id).toBeTruthy();
  });

  it('instants in UTC and in the person’s zone', async () => {
    await api(manager, 'PATCH', '/api/v1/me', { timeZone: 'America/New_York' });
    const rows = parse(await (await fetch(`${server.url}/api/v1/reports/entries.csv?${range}`, { headers: manager.auth })).text(), { columns: true, bom: true }) as Record<string, string>[];
    const row = rows.find((r) => r.start_utc === '2026-12-01T08:00:00.000Z')!;
    expect(row).toMatchObject({ start_local: '2026-12-01 03:00:00', time_zone: 'America/New_York', date: '2026-12-01' });
    await api(manager, 'PATCH', '/api/v1/me', { timeZone: 'UTC' });
  });

  it('refuses an unknown format with 400', async () => {
    const res = await api(manager, 'GET', `/api/v1/reports/entries.csv?${range}&format=tab`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});

describe('GET /week-grid', () => {
  it("the caller's week as rows client / matter / activity, cells per day in their zone, and totals", async () => {
    const client = await t.createClient(manager, { name: 'Grid Co', hourlyRateCents: 50_00, currency: 'EUR' });
    const m = (await api(manager, 'POST', '/api/v1/matters', { clientId: client.id, code: 'G', name: 'Grid' })).body;
    await api(ana, 'PATCH', '/api/v1/me', { timeZone: 'Europe/Berlin' });
    for (const [start, end, matterId] of [
      ['2026-11-30T08:00:00Z', '2026-11-30T09:30:00Z', m.id],
      ['2026-11-30T10:00:00Z', '2026-11-30T10:30:00Z', m.id],
      ['2026-12-01T23:30:00Z', '2026-12-02T00:30:00Z', null], // Wednesday 00:30 in Berlin
    ] as const) {
      expect((await t.post(ana, t.entryBody(client.id, start, end, { matterId }))).status).toBe(201);
    }
    const res = await api(ana, 'GET', '/api/v1/week-grid?week=2026-12-03');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'Europe/Berlin', monday: '2026-11-30', descriptionRequired: false });
    const rows = res.body.rows.filter((r: { clientId: string }) => r.clientId === client.id);
    const onMatter = rows.find((r: { matterId: string | null }) => r.matterId === m.id);
    expect(onMatter.cells[0]).toMatchObject({ date: '2026-11-30', ms: 120 * 60_000 });
    expect(onMatter.cells[0].entryIds).toHaveLength(2);
    const noMatter = rows.find((r: { matterId: string | null }) => r.matterId === null);
    expect(noMatter.cells.map((c: { ms: number }) => c.ms)).toEqual([0, 0, 3_600_000, 0, 0, 0, 0]);
    expect(res.body.entries.length).toBeGreaterThanOrEqual(3);
    expect((await api(ana, 'GET', '/api/v1/week-grid?week=2026-02-30')).status).toBe(400);
    expect((await api(ana, 'GET', '/api/v1/week-grid?week=soon')).status).toBe(400);
  });
});
