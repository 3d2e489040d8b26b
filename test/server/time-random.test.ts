import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { sqlRows } from '../support/sql.js';

/** Random bodies, ids and query strings on the time-and-billing endpoints: never a 5xx, always the error shape, no state change. */
let server: TestServer;
let manager: SignedIn;
let ana: SignedIn;
let entryId: string;
let clientId: string;

beforeAll(async () => {
  server = await startTestServer();
  manager = await signIn(server.url, 'manager@demo.test');
  ana = await signIn(server.url, 'ana@demo.test');
  const t = timeApi(server.url);
  clientId = (await t.createClient(manager, { name: 'Fixed', hourlyRateCents: 100, currency: 'EUR' })).id;
  const body = t.entryBody(clientId, '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z');
  entryId = body.id;
  await t.post(ana, body);
});
afterAll(() => server.close());

async function snapshot() {
  const rows = (text: string) => sqlRows(server.store, text);
  return {
    entries: await rows('SELECT * FROM time_entries ORDER BY id'),
    clients: await rows('SELECT * FROM clients ORDER BY id'),
    zones: await rows('SELECT id, time_zone FROM users ORDER BY id'),
  };
}

function expectContractError(res: { status: number; body: any }, context: string) {
  expect(res.status, context).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body?.error?.code, context).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(typeof res.body?.error?.message, context).toBe('string');
  }
}

const anyId = () => fc.oneof(fc.string({ maxLength: 60 }), fc.uuid(), fc.constantFrom(entryId, clientId, '..', '%00', 'null', ' '));
const jsonValue = fc.jsonValue({ maxDepth: 3 });
/** Bodies shaped like the real ones, with random field values, so that validation past the first field is exercised too. */
const entryLike = () =>
  fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.constant(entryId), jsonValue),
    clientId: fc.oneof(fc.constant(clientId), fc.uuid(), jsonValue),
    description: fc.oneof(fc.string(), jsonValue),
    start: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), jsonValue),
    end: fc.oneof(fc.constant(null), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), jsonValue),
    billable: fc.oneof(fc.boolean(), jsonValue),
    hourlyRateCents: fc.oneof(fc.integer(), fc.double(), jsonValue),
    timeZone: fc.oneof(fc.string(), fc.constantFrom('Etc/GMT+99', 'UTC/../x', 'America/New_York/x')),
    extra: jsonValue,
  },
  { requiredKeys: [] },
);

describe('random input on time and billing', () => {
  it('random bodies on every write endpoint: no 5xx, error shape, no state change', async () => {
    const before = await snapshot();
    const routes = (id: string) =>
      [
        ['POST', '/api/v1/clients'],
        ['PATCH', `/api/v1/clients/${encodeURIComponent(id)}`],
        ['DELETE', `/api/v1/clients/${encodeURIComponent(id)}`],
        ['POST', '/api/v1/entries'],
        ['PATCH', `/api/v1/entries/${encodeURIComponent(id)}`],
        ['POST', '/api/v1/timer/start'],
        ['POST', '/api/v1/timer/stop'],
        ['POST', '/api/v1/billing/mark-billed'],
        ['PATCH', '/api/v1/me'],
      ] as const;
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonValue, entryLike()), anyId(), fc.nat({ max: 8 }), fc.boolean(), async (body, id, which, asManager) => {
        const [method, path] = routes(id)[which]!;
        // A few random bodies could be valid writes; those are checked elsewhere. Make them invalid by an unknown field.
        const safe = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, unknownField: 1 } : body;
        const res = await call(server.url, method, path, {
          rawBody: method === 'DELETE' ? undefined : JSON.stringify(safe),
          headers: { ...(asManager ? manager.auth : ana.auth), ...(method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
        });
        expectContractError(res, `${method} ${path} ${JSON.stringify(safe)}`);
        // DELETE of a client id with entries archives it: only random ids reach here, never the fixed client.
        if (!(method === 'DELETE' && id === clientId)) expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 300 },
    );
    const after = await snapshot();
    // The fixed client may have been archived by a DELETE with its id; nothing else changes.
    after.clients = after.clients.map((c: any) => ({ ...c, archived_at: null, updated_at: null }));
    before.clients = before.clients.map((c: any) => ({ ...c, archived_at: null, updated_at: null }));
    expect(after).toEqual(before);
  });

  it('body-shaped random values (which may be valid) on entry, timer and me writes: no 5xx, error shape', async () => {
    const routes = ['/api/v1/entries', `/api/v1/entries/${entryId}`, '/api/v1/timer/start', '/api/v1/me'] as const;
    await fc.assert(
      fc.asyncProperty(entryLike(), fc.nat({ max: 3 }), fc.boolean(), async (body, which, asManager) => {
        const path = routes[which]!;
        const method = path.includes('/entries/') || path.endsWith('/me') ? 'PATCH' : 'POST';
        const { extra: _extra, ...rest } = body as Record<string, unknown>;
        const res = await call(server.url, method, path, { body: rest, headers: asManager ? manager.auth : ana.auth });
        expectContractError(res, `${method} ${path} ${JSON.stringify(rest)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('random query strings on the read endpoints: no 5xx', async () => {
    const paths = ['/api/v1/entries', '/api/v1/reports/summary', '/api/v1/reports/entries.csv', '/api/v1/dashboard'];
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-02-30T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-01-01T23:59:60Z'));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 3 }), fc.dictionary(fc.constantFrom('from', 'to', 'userId', 'clientId', 'limit', 'groupBy', 'x'), value), fc.boolean(), async (which, query, asManager) => {
        const res = await call(server.url, 'GET', `${paths[which]}?${new URLSearchParams(query)}`, { headers: asManager ? manager.auth : ana.auth });
        expectContractError(res, `${paths[which]} ${JSON.stringify(query)}`);
      }),
      { numRuns: 300 },
    );
  });
});
