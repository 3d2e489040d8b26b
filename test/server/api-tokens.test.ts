import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';
import { onPostgres } from '../support/test-store.js';

let server: TestServer;
let ana: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  ana = await signIn(server.url, 'ana@demo.test');
});
afterAll(() => server.close());

describe('API tokens', () => {
  it('creates a token shown once, stored only hashed, listed without its value', async () => {
    const created = await call(server.url, 'POST', '/api/v1/api-tokens', { body: { name: 'Export script', expiresInDays: 30 }, headers: ana.auth });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Export script', id: expect.any(String), createdAt: expect.any(String) });
    expect(created.body.token).toMatch(/^tab_pat_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(30 * 86_400_000);

    const list = await call(server.url, 'GET', '/api/v1/api-tokens', { headers: ana.auth });
    expect(list.body.tokens).toEqual([expect.objectContaining({ id: created.body.id, name: 'Export script' })]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    // Not at rest in plain text: neither in the database file nor its WAL (on PostgreSQL: in no row of the tokens or the audit log).
    const atRest = onPostgres
      ? [Buffer.from(JSON.stringify([await sqlRows(server.store, 'SELECT * FROM api_tokens'), await sqlRows(server.store, 'SELECT * FROM audit_events')]))]
      : [server.dbFile, `${server.dbFile}-wal`].map((file) => readFileSync(file));
    for (const bytes of atRest) {
      expect(bytes.includes(Buffer.from(created.body.token))).toBe(false);
    }
  });

  it('may call /me, and is refused on every sessions and api-tokens endpoint with 403 api_token_forbidden', async () => {
    const { body } = await call(server.url, 'POST', '/api/v1/api-tokens', { body: { name: 'CI' }, headers: ana.auth });
    expect(body.expiresAt).toBeNull();
    const auth = { authorization: `Bearer ${body.token}` };
    const me = await call(server.url, 'GET', '/api/v1/me', { headers: auth });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: 'ana@demo.test' }, session: null });

    for (const [method, path, reqBody] of [
      ['GET', '/api/v1/sessions'],
      ['DELETE', '/api/v1/sessions/others'],
      ['DELETE', `/api/v1/sessions/${ana.session.id}`],
      ['GET', '/api/v1/api-tokens'],
      ['POST', '/api/v1/api-tokens', { name: 'escalate' }],
      ['DELETE', `/api/v1/api-tokens/${body.id}`],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/admin/members'],
    ] as const) {
      const res = await call(server.url, method, path, { headers: auth, body: reqBody });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('api_token_forbidden');
    }
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);
  });

  it('revokes a token: 204, then 401 with it, then 404 for a second delete', async () => {
    const { body } = await call(server.url, 'POST', '/api/v1/api-tokens', { body: { name: 'temp' }, headers: ana.auth });
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${body.id}`, { headers: ana.auth })).status).toBe(204);
    const after = await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${body.token}` } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${body.id}`, { headers: ana.auth })).status).toBe(404);
  });

  it("cannot revoke another user's token (404)", async () => {
    const ben = await signIn(server.url, 'ben@demo.test');
    const { body } = await call(server.url, 'POST', '/api/v1/api-tokens', { body: { name: 'bens' }, headers: ben.auth });
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${body.id}`, { headers: ana.auth })).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(200);
  });

  it.each([{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', expiresInDays: 0 }, { name: 'ok', expiresInDays: 1.5 }])(
    'answers 400 for %j',
    async (reqBody) => {
      const res = await call(server.url, 'POST', '/api/v1/api-tokens', { body: reqBody, headers: ana.auth });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    },
  );
});
