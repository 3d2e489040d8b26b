import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';

/**
 * Random bodies, ids and headers thrown at the API: never a 5xx, always the
 * error shape, and no session created, revoked or changed.
 */
let server: TestServer;
let admin: SignedIn;
let ana: SignedIn;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signIn(server.url, 'admin@demo.test');
  ana = await signIn(server.url, 'ana@demo.test');
});
afterAll(() => server.close());

async function snapshot() {
  const rows = (text: string) => sqlRows(server.store, text);
  return {
    sessions: await rows('SELECT id, revoked_at, label, expires_at FROM device_sessions ORDER BY id'),
    users: await rows('SELECT id, email, role, password_hash, disabled_at FROM users ORDER BY id'),
    workspaces: await rows('SELECT * FROM workspaces ORDER BY id'),
    tokens: await rows('SELECT id, revoked_at FROM api_tokens ORDER BY id'),
  };
}

function expectContractError(res: { status: number; body: any }, context: string) {
  expect(res.status, context).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body?.error?.code, context).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(typeof res.body?.error?.message, context).toBe('string');
  }
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const anyId = fc.oneof(fc.string({ maxLength: 60 }), fc.uuid(), fc.constantFrom('others', '..', '%00', 'null', '0', '-1', ' '));
const writeRoutes = (id: string) => [
  ['POST', '/api/v1/auth/login'],
  ['DELETE', `/api/v1/sessions/${encodeURIComponent(id)}`],
  ['POST', '/api/v1/api-tokens'],
  ['DELETE', `/api/v1/api-tokens/${encodeURIComponent(id)}`],
  ['PUT', '/api/v1/admin/session-policy'],
  ['POST', '/api/v1/admin/sessions/revoke-all'],
  ['POST', '/api/v1/me/password'],
  ['DELETE', `/api/v1/admin/members/${encodeURIComponent(id)}/sessions/${encodeURIComponent(id)}`],
  ['POST', `/api/v1/admin/members/${encodeURIComponent(id)}/disable`],
  ['GET', `/api/v1/admin/members/${encodeURIComponent(id)}/sessions`],
] as const;

describe('random input', () => {
  it('random JSON bodies on every write endpoint: no 5xx, error shape, no state change', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(jsonValue, anyId, fc.nat({ max: 9 }), fc.boolean(), async (body, id, which, asAdmin) => {
        const [method, path] = writeRoutes(id)[which]!;
        // Valid-looking sign-ins would legitimately create sessions; keep them wrong.
        const safeBody = path.endsWith('/login') && typeof body === 'object' && body && 'password' in body ? { ...body, password: 'never-right' } : body;
        const res = await call(server.url, method, path, {
          rawBody: method === 'GET' ? undefined : JSON.stringify(safeBody),
          headers: { ...(asAdmin ? admin.auth : ana.auth), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        });
        expectContractError(res, `${method} ${path} ${JSON.stringify(safeBody)}`);
        // DELETE /sessions/others is a real route; each caller has only its one session, so nothing changes.
        if (path === '/api/v1/sessions/others') expect(res.body).toEqual({ revoked: 0, apiTokens: 0 });
        else expect(res.status).not.toBe(200);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('random raw bytes and content types: no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300, unit: 'binary' }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
        async (raw, type) => {
          const res = await call(server.url, 'POST', '/api/v1/auth/login', { rawBody: raw, headers: type ? { 'content-type': type } : {} });
          expectContractError(res, `${type} ${JSON.stringify(raw)}`);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('random Authorization headers and cookies: 401 in the error shape, never a 5xx', async () => {
    const before = await snapshot();
    const headerValue = fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
    await fc.assert(
      fc.asyncProperty(headerValue, headerValue, fc.constantFrom('/api/v1/me', '/api/v1/sessions', '/api/v1/admin/members', '/api/v1/events'), async (authz, cookie, path) => {
        const headers: Record<string, string> = { cookie: `tab_session=${cookie}` };
        if (authz.trim()) headers.authorization = authz;
        const res = await call(server.url, 'GET', path, { headers });
        expectContractError(res, `${authz} / ${cookie}`);
        expect(res.status).toBe(401);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('random query strings on the audit log: 200 or 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('userId', 'type', 'before', 'limit', 'x'), fc.string({ maxLength: 30 })), async (query) => {
        const qs = new URLSearchParams(query).toString();
        const res = await call(server.url, 'GET', `/api/v1/admin/audit-events?${qs}`, { headers: admin.auth });
        expectContractError(res, qs);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
  });
});
