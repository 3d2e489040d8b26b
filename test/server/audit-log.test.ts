import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { DAY_MS, ManualClock } from '../../server/platform/clock.js';
import { AUDIT_CSV_COLUMNS } from '../../server/audit/audit-service.js';

/**
 * The firm's audit log (issue #13, item 6): filters by date range, person
 * (as actor or as target) and type, pages with a cursor, readable details
 * (names and device labels, not ids), and the CSV export.
 */
let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;
let ana: SignedIn;
const T0 = Date.UTC(2026, 10, 2, 9);

beforeAll(async () => {
  clock = new ManualClock(T0);
  server = await startTestServer({ clock });
  // With the cookie, as the web client: the clock moves days, far past the access token's 15 minutes.
  admin = viaCookie(await signIn(server.url, 'admin@demo.test')); // day 0
  clock.advance(DAY_MS);
  ana = viaCookie(await signIn(server.url, 'ana@demo.test', { deviceName: 'Ana’s MacBook Pro', client: 'desktop' })); // day 1
  await call(server.url, 'PUT', `/api/v1/admin/members/${ana.user.id}/role`, { headers: admin.auth, body: { role: 'manager' } }); // day 1
  clock.advance(DAY_MS);
  await signIn(server.url, 'ben@demo.test'); // day 2
  await call(server.url, 'PUT', `/api/v1/admin/members/${ana.user.id}/role`, { headers: admin.auth, body: { role: 'accountant' } }); // day 2
  await call(server.url, 'POST', '/api/v1/clients', { headers: admin.auth, body: { name: '=HYPERLINK("x")', hourlyRateCents: 100, currency: 'EUR' } }); // day 2
  clock.advance(DAY_MS);
  admin = await signIn(server.url, 'admin@demo.test'); // day 3
});
afterAll(() => server.close());

type Event = { id: string; type: string; at: string; actorName: string | null; targetName: string | null; actorUserId: string | null; targetUserId: string | null; session: { label: string } | null };
const day = (n: number) => new Date(T0 + n * DAY_MS - 9 * 3_600_000).toISOString(); // midnight UTC of day n
const page = async (qs: string) => {
  const res = await call(server.url, 'GET', `/api/v1/admin/audit-events?${qs}`, { headers: admin.auth });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { events: Event[]; nextBefore: string | null };
};
const all = async (qs: string, limit = 2) => {
  const events: Event[] = [];
  let before: string | null = null;
  do {
    const p = await page(`${qs}&limit=${limit}${before ? `&before=${before}` : ''}`);
    events.push(...p.events);
    before = p.nextBefore;
  } while (before);
  return events;
};

describe('audit log: filters, pages, words, export', () => {
  it('filters by date range [from, to), newest first', async () => {
    const events = (await page(`from=${day(1)}&to=${day(2)}&limit=200`)).events;
    expect(events.map((e) => e.type)).toEqual(['member_role_changed', 'sign_in']);
    expect(events.every((e) => e.at >= day(1) && e.at < day(2))).toBe(true);
  });

  it('filters by person, whether they acted or were acted on, and pages through the same set', async () => {
    const anas = await all(`userId=${ana.user.id}`);
    expect(anas.map((e) => e.type)).toEqual(['member_role_changed', 'member_role_changed', 'sign_in']);
    expect(anas.every((e) => e.actorUserId === ana.user.id || e.targetUserId === ana.user.id)).toBe(true);
    const roleChanges = await all(`userId=${ana.user.id}&type=member_role_changed&from=${day(2)}`, 1);
    expect(roleChanges).toHaveLength(1);
    // Every event once, in order, however the pages cut it.
    const everything = (await page('limit=200')).events;
    for (const limit of [1, 3, 7]) expect((await all('type=sign_in', limit)).map((e) => e.id)).toEqual(everything.filter((e) => e.type === 'sign_in').map((e) => e.id));
  });

  it('reads as names and device labels', async () => {
    const events = (await page('limit=200')).events;
    const anaIn = events.find((e) => e.type === 'sign_in' && e.actorUserId === ana.user.id)!;
    expect(anaIn).toMatchObject({ actorName: 'Ana Accountant', session: { label: 'Ana’s MacBook Pro', clientKind: 'desktop' } });
    const change = events.find((e) => e.type === 'member_role_changed')!;
    expect(change).toMatchObject({ actorName: 'Alex Admin', targetName: 'Ana Accountant' });
  });

  it('exports the same rows as CSV, in words, formulas defused', async () => {
    const res = await call(server.url, 'GET', `/api/v1/admin/audit-events.csv?from=${day(1)}`, { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="tab-audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.headers.get('x-tab-truncated')).toBe('false');
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows.map((r) => r.event)).toEqual(['Signed in', 'Added a client', 'Changed a role', 'Signed in', 'Changed a role', 'Signed in']);
    expect(rows.map((r) => r.what_happened)).toContain('Alex Admin changed Ana Accountant’s role from manager to accountant');
    expect(rows.find((r) => r.event === 'Added a client')!.what_happened).toBe('Alex Admin added the client “=HYPERLINK("x")”');
    expect(rows.find((r) => r.by === 'Ana Accountant')!.device).toBe('Ana’s MacBook Pro');
    expect(res.body as string).not.toMatch(/[{}]/);
  });

  it('is for admins only, and refuses bad filters with 400', async () => {
    const manager = await signIn(server.url, 'manager@demo.test');
    for (const path of ['/api/v1/admin/audit-events', '/api/v1/admin/audit-events.csv']) {
      expect((await call(server.url, 'GET', path, { headers: manager.auth })).status).toBe(403);
      expect((await call(server.url, 'GET', path, { headers: ana.auth })).status).toBe(403);
      expect((await call(server.url, 'GET', path)).status).toBe(401);
    }
    for (const qs of ['from=yesterday', `from=${day(2)}&to=${day(1)}`, 'before=12', 'before=1.2.3', 'type=nothing', 'limit=500']) {
      const res = await call(server.url, 'GET', `/api/v1/admin/audit-events?${qs}`, { headers: admin.auth });
      expect(res.status, qs).toBe(400);
      expect(['invalid_request', 'invalid_range']).toContain(res.body.error.code);
    }
  });
});
