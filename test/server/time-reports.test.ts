import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { ManualClock } from '../../server/platform/clock.js';
import { CSV_COLUMNS } from '../../shared/api/time.js';
import { unguardFormulaText } from '../../shared/csv/csv-fields.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let ben: SignedIn;
let t: ReturnType<typeof timeApi>;
const written: { id: string; who: SignedIn; client: { id: string; name: string; hourlyRateCents: number; currency: string }; description: string; start: string; end: string; billable: boolean }[] = [];

const range = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(Date.UTC(2026, 10, 30, 12)) });
  [admin, manager, ana, ben] = (await Promise.all(['admin', 'manager', 'ana', 'ben'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  t = timeApi(server.url);
  const euro = await t.createClient(manager, { name: 'Müller & Söhne GmbH', hourlyRateCents: 12_345, currency: 'EUR' });
  const dollar = await t.createClient(manager, { name: 'Café "Quotes", Inc.', hourlyRateCents: 7_550, currency: 'USD' });
  const rows: [SignedIn, typeof euro, string, string, string, boolean][] = [
    [ana, euro, 'Plain', '2026-11-02T09:00:00Z', '2026-11-02T10:00:00Z', true],
    [ana, euro, 'One minute: 123.45/60 = 2.0575 → 2.06', '2026-11-02T10:00:00Z', '2026-11-02T10:01:00Z', true],
    [ana, dollar, 'Comma, "quote" and\nnew line', '2026-11-03T09:00:00Z', '2026-11-03T11:30:00Z', true],
    [ben, dollar, '=SUM(A1:A9)', '2026-11-04T09:00:00Z', '2026-11-04T09:20:00Z', true],
    [ben, euro, 'Unicode: 日本語 ✓ — naïve', '2026-11-05T09:00:00Z', '2026-11-05T17:00:00Z', false],
    [ben, euro, 'Across midnight', '2026-11-05T23:00:00Z', '2026-11-06T01:00:00Z', true],
  ];
  for (const [who, client, description, start, end, billable] of rows) {
    const body = t.entryBody(client.id, start, end, { description, billable });
    const res = await t.post(who, body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    written.push({ id: body.id, who, client, description, start, end, billable });
  }
  // Outside the range, running, and deleted entries are never in a report.
  await t.post(ana, t.entryBody(euro.id, '2026-10-31T23:00:00Z', '2026-11-01T01:00:00Z'));
  await t.post(ana, t.entryBody(euro.id, '2026-12-01T00:00:00Z', '2026-12-01T01:00:00Z'));
  await call(server.url, 'POST', '/api/v1/timer/start', { body: { clientId: euro.id, description: 'running', billable: true }, headers: ben.auth });
  const gone = t.entryBody(euro.id, '2026-11-10T09:00:00Z', '2026-11-10T10:00:00Z');
  await t.post(ana, gone);
  await t.del(ana, gone.id);
});
afterAll(() => server.close());

const amount = (e: (typeof written)[number]) =>
  e.billable ? Math.floor(((Date.parse(e.end) - Date.parse(e.start)) * e.client.hourlyRateCents + 1_800_000) / 3_600_000) : 0;
const units = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

describe('reports: role matrix', () => {
  it('summary, CSV and mark-billed are for managers and admins', async () => {
    for (const [method, path, body] of [
      ['GET', `/api/v1/reports/summary?${range}`],
      ['GET', `/api/v1/reports/entries.csv?${range}`],
      ['POST', '/api/v1/billing/mark-billed', { entryIds: [written[0]!.id] }],
    ] as const) {
      const res = await call(server.url, method, path, { body, headers: ana.auth });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await call(server.url, method, path, { body: method === 'POST' ? { entryIds: [randomUUID()] } : undefined, headers: admin.auth })).status).not.toBe(403);
    }
  });
});

describe('GET /api/v1/reports/summary', () => {
  it('sums finished entries starting in the range by client and by person, amounts per currency rounded per entry', async () => {
    const byClient = await call(server.url, 'GET', `/api/v1/reports/summary?${range}&groupBy=client`, { headers: manager.auth });
    expect(byClient.status).toBe(200);
    const expected = new Map<string, { entries: number; ms: number; cents: number }>();
    for (const e of written) {
      const g = expected.get(e.client.id) ?? { entries: 0, ms: 0, cents: 0 };
      g.entries++;
      g.ms += Date.parse(e.end) - Date.parse(e.start);
      g.cents += amount(e);
      expected.set(e.client.id, g);
    }
    for (const group of byClient.body.groups) {
      const want = expected.get(group.id)!;
      expect(group.entries).toBe(want.entries);
      expect(group.hours).toBe(Math.round(want.ms / 36_000) / 100);
      expect(group.amounts).toEqual([{ currency: written.find((e) => e.client.id === group.id)!.client.currency, amountCents: want.cents }]);
      expect(group.unbilledAmounts).toEqual(group.amounts);
    }
    expect(byClient.body.groups.map((g: { name: string }) => g.name)).toEqual(['Café "Quotes", Inc.', 'Müller & Söhne GmbH']);
    expect(byClient.body.totals.entries).toBe(written.length);
    // 1 h at 123.45 + 1 min (2.0575 → 2.06) + 2 h (Across midnight) = 123.45 + 2.06 + 246.90.
    expect(byClient.body.totals.amounts).toContainEqual({ currency: 'EUR', amountCents: 12_345 + 206 + 24_690 });
    const byUser = await call(server.url, 'GET', `/api/v1/reports/summary?${range}&groupBy=user`, { headers: admin.auth });
    expect(byUser.body.groups.map((g: { name: string }) => g.name)).toEqual(['Ana Accountant', 'Ben Accountant']);
    expect(byUser.body.groups.map((g: { entries: number }) => g.entries)).toEqual([3, 3]);
    expect(byUser.body.totals).toEqual(byClient.body.totals);
  });

  it('refuses bad ranges and group names', async () => {
    for (const q of ['from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', 'from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      const res = await call(server.url, 'GET', `/api/v1/reports/summary?${q}`, { headers: manager.auth });
      expect(res.body.error.code).toBe('invalid_range');
    }
    for (const q of [`${range}&groupBy=project`, 'from=yesterday&to=today', `${range}&extra=1`, 'to=2026-11-01T00:00:00Z']) {
      const res = await call(server.url, 'GET', `/api/v1/reports/summary?${q}`, { headers: manager.auth });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('GET /api/v1/reports/entries.csv', () => {
  it('is RFC 4180 CSV that parses back to the entries', async () => {
    const res = await fetch(`${server.url}/api/v1/reports/entries.csv?${range}`, { headers: manager.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tab-entries-2026-11-01-to-2026-12-01.csv"');
    // A UTF-8 BOM first, so that Windows Excel reads accents right (fetch's text() would hide it).
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    // The formula guard (docs/security.md) is removed before comparing with what was written.
    const records = (parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[]).map((r): Record<string, string> => ({
      ...r,
      user_email: unguardFormulaText(r.user_email!),
      user_name: unguardFormulaText(r.user_name!),
      client: unguardFormulaText(r.client!),
      description: unguardFormulaText(r.description!),
    }));
    const byStart = [...written].sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
    expect(records).toEqual(
      byStart.map((e) => {
        const ms = Date.parse(e.end) - Date.parse(e.start);
        // The default rule: to the nearest minute, per entry.
        const billableMinutes = Math.floor((ms + 30_000) / 60_000);
        const local = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
        return {
          entry_id: e.id,
          date: e.start.slice(0, 10),
          start_utc: new Date(e.start).toISOString(),
          end_utc: new Date(e.end).toISOString(),
          start_local: local(e.start),
          end_local: local(e.end),
          time_zone: 'UTC',
          user_email: e.who.user.email,
          user_name: e.who.user.name,
          client: e.client.name,
          matter_code: '',
          matter: '',
          activity: '',
          description: e.description,
          billable: e.billable ? 'yes' : 'no',
          minutes: (ms / 60_000).toFixed(4),
          hours: (ms / 3_600_000).toFixed(4),
          billable_minutes: e.billable ? String(billableMinutes) : '',
          billable_hours: e.billable ? (billableMinutes / 60).toFixed(4) : '',
          hourly_rate: units(e.client.hourlyRateCents),
          currency: e.client.currency,
          amount: units(amount(e)),
          billable_amount: e.billable ? units(Math.floor((billableMinutes * e.client.hourlyRateCents + 30) / 60)) : '',
          billed_at_utc: '',
        };
      }),
    );
    // The amount is recomputed from the exact minutes: minutes × rate / 60, half up to the cent.
    for (const r of records) {
      if (r.billable === 'yes') expect(units(Math.floor((Number(r.minutes) * Number(r.hourly_rate) * 100) / 60 + 0.5))).toBe(r.amount);
    }
    expect(records.find((r) => r.description?.startsWith('One minute'))!.amount).toBe('2.06');
  });

  it('answers errors as JSON, and the OpenAPI document describes the CSV', async () => {
    const res = await call(server.url, 'GET', '/api/v1/reports/entries.csv?from=x&to=y', { headers: manager.auth });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const doc = await call(server.url, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths['/api/v1/reports/entries.csv'].get.responses['200'].content)).toContain('text/csv');
  });
});

describe('POST /api/v1/billing/mark-billed', () => {
  it('is all or nothing, idempotent, and answers the count', async () => {
    const ids = written.slice(0, 3).map((e) => e.id);
    const unknown = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [...ids, randomUUID()] }, headers: manager.auth });
    expect(unknown.status).toBe(404);
    const billedRows = async () => (await sqlRow<{ n: number }>(server.store, 'SELECT COUNT(*) AS n FROM time_entries WHERE billed_at IS NOT NULL'))!.n;
    expect(await billedRows()).toBe(0);
    const running = (await sqlRow<{ id: string }>(server.store, 'SELECT id FROM time_entries WHERE end_at IS NULL'))!;
    const withRunning = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [...ids, running.id] }, headers: manager.auth });
    expect(withRunning.status).toBe(400);
    expect(await billedRows()).toBe(0);
    const ok = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [...ids, ids[0]!.toUpperCase()] }, headers: manager.auth });
    expect(ok.body).toEqual({ billed: 3, alreadyBilled: 0 });
    const again = await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: ids.slice(0, 2).concat(written[3]!.id) }, headers: admin.auth });
    expect(again.body).toEqual({ billed: 1, alreadyBilled: 2 });
    const summary = await call(server.url, 'GET', `/api/v1/reports/summary?${range}&groupBy=user`, { headers: manager.auth });
    const anaGroup = summary.body.groups.find((g: { name: string }) => g.name === 'Ana Accountant');
    expect(anaGroup.unbilledAmounts.every((m: { amountCents: number }) => m.amountCents === 0)).toBe(true);
    const csv = parse(await (await fetch(`${server.url}/api/v1/reports/entries.csv?${range}`, { headers: manager.auth })).text(), { columns: true }) as Record<string, string>[];
    expect(csv.filter((r) => r.billed_at_utc !== '')).toHaveLength(4);
    expect((await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [] }, headers: manager.auth })).status).toBe(400);
  });
});
