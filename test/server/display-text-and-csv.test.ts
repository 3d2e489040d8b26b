import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/platform/clock.js';
import { CSV_COLUMNS } from '../../shared/api/time.js';
import { unguardFormulaText } from '../../shared/csv/csv-fields.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { describeDevice } from '../../server/sessions/device-label.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';

const TEXT_COLUMNS = new Set(['user_email', 'user_name', 'client', 'description']);
const FORMULA_START = /^[ "]*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

let server: TestServer;
let manager: SignedIn;
let ana: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(Date.UTC(2026, 10, 30, 12)) });
  [manager, ana] = await Promise.all([signIn(server.url, 'manager@demo.test'), signIn(server.url, 'ana@demo.test')]);
});
afterAll(() => server.close());

describe('display text is cleaned where it comes in', () => {
  it("a desktop's device name: control and bidi characters removed, one line", async () => {
    const desktop = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: "\u202eAna\u0000's\nMac\u2066Book\t " });
    expect(desktop.session.label).toBe("Ana's MacBook");
    const listed = await call(server.url, 'GET', '/api/v1/sessions', { headers: ana.auth });
    expect(listed.body.sessions.map((s: { label: string }) => s.label)).toContain("Ana's MacBook");
  });

  it('random device names and User-Agents (Latin-1 bytes, as headers arrive): every label is clean and at most 100 characters', () => {
    const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const ua = fc.tuple(fc.constantFrom('', 'Mozilla/5.0 (Windows NT 10.0) ', 'Mozilla/5.0 (X11; Linux x86_64) '), latin1, fc.constantFrom('Chrome/', 'Firefox/', 'Electron/', ''), latin1).map((p) => p.join(''));
    const name = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.constant('\u202eevil\u0000'));
    fc.assert(
      fc.property(fc.constantFrom('web', 'desktop') as fc.Arbitrary<'web' | 'desktop'>, ua, name, (kind, userAgent, deviceName) => {
        const device = describeDevice(kind, userAgent, deviceName);
        for (const text of [device.label, device.browser ?? '', device.os ?? '']) {
          // eslint-disable-next-line no-control-regex -- finding control characters is the point
          expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
          expect(text).toBe(cleanDisplayText(text, 100));
        }
        expect(device.label.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('client names and entry descriptions', async () => {
    const t = timeApi(server.url);
    const client = await t.createClient(manager, { name: '  Evil\u202e Corp\u0007\n Ltd ', hourlyRateCents: 10_000, currency: 'EUR' });
    expect(client.name).toBe('Evil Corp Ltd');
    const blank = await call(server.url, 'POST', '/api/v1/clients', { body: { name: '\u202e\u0000 ', hourlyRateCents: 1, currency: 'EUR' }, headers: manager.auth });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('invalid_request');
    const entry = await t.post(ana, t.entryBody(client.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { description: 'first line\r\nsecond\u202e line\u0000' }));
    expect(entry.status).toBe(201);
    expect(entry.body.entry.description).toBe('first line\nsecond line');
    // A replay of the same write is still the same entry (the cleaning is deterministic).
    const replay = await t.post(ana, t.entryBody(client.id, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { id: entry.body.entry.id, description: 'first line\r\nsecond\u202e line\u0000' }));
    expect(replay.status).toBe(200);
    expect(replay.body.entry).toEqual(entry.body.entry);
  });
});

describe('the CSV export under every spreadsheet reading', () => {
  const hostile = [
    'Notes; =HYPERLINK("http://evil.example","click")',
    '-5 hours credit',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    "'apostrophe first",
    'ok, then\n=1+1',
    '＝WEBSERVICE("http://evil.example")',
    'a "quoted" ;+b',
  ];

  it('no cell starts a formula when read with , ; or tab, and the text comes back exactly once the guard is removed', async () => {
    const t = timeApi(server.url);
    const client = await t.createClient(manager, { name: '=cmd; +Plus client', hourlyRateCents: 12_345, currency: 'EUR' });
    for (const [i, description] of hostile.entries()) {
      const day = String(10 + i).padStart(2, '0');
      const res = await t.post(ana, t.entryBody(client.id, `2026-11-${day}T09:00:00Z`, `2026-11-${day}T10:30:00Z`, { description }));
      expect(res.status).toBe(201);
    }
    const res = await fetch(`${server.url}/api/v1/reports/entries.csv?from=2026-11-10T00:00:00Z&to=2026-11-18T00:00:00Z`, { headers: manager.auth });
    const text = await res.text();

    for (const sep of [',', ';', '\t']) {
      for (const cell of text.split(new RegExp(`[${sep === '\t' ? '\\t' : sep}\\r\\n]`))) {
        expect(FORMULA_START.test(cell), `${JSON.stringify(sep)} reading: ${JSON.stringify(cell)}`).toBe(false);
      }
    }
    const records = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    for (const record of records) {
      for (const [column, value] of Object.entries(record)) expect(FORMULA_START.test(value), `${column}: ${value}`).toBe(false);
    }
    expect(Object.keys(records[0]!)).toEqual([...CSV_COLUMNS]);
    const unguarded = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, TEXT_COLUMNS.has(k) ? unguardFormulaText(v) : v])));
    expect(unguarded.map((r) => r.description)).toEqual(hostile);
    expect(new Set(unguarded.map((r) => r.client))).toEqual(new Set(['=cmd; +Plus client']));
    // Numbers are plain numbers: 1.5 h at 123.45 = 185.18 (rounded half up once per entry).
    expect(new Set(records.map((r) => `${r.hours} ${r.hourly_rate} ${r.amount}`))).toEqual(new Set(['1.5000 123.45 185.18']));
  });
});
