import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES } from '../../shared/api/api-tokens.js';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { secretHash } from '../../server/security/secrets.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { sqlRows } from '../support/sql.js';
import { onPostgres } from '../support/test-store.js';
import { timeApi } from '../support/time.js';
import { createOtherFirm } from '../support/workspaces.js';

let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let clientId: string;
beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  // Cookies, as the web client: the clock moves past the access tokens' 15 minutes.
  [admin, manager, ana] = (await Promise.all(['admin', 'manager', 'ana'].map((n) => signIn(server.url, `${n}@demo.test`)))).map(viaCookie) as [SignedIn, SignedIn, SignedIn];
  clientId = (await timeApi(server.url).createClient(manager, { name: 'Scoped Ltd', hourlyRateCents: 10_000, currency: 'EUR' })).id;
});
afterAll(() => server.close());

const create = (who: SignedIn, body: unknown) => call(server.url, 'POST', '/api/v1/api-tokens', { headers: who.auth, body });

describe('creating an API token', () => {
  it('needs the password and the scopes; the token is shown once, stored only hashed, listed with its scopes and times', async () => {
    const res = await create(ana, { name: 'Export script', scopes: ['reports:read', 'time:read'], expiresInDays: 30, currentPassword: 'demo-pass-2026' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Export script',
      token: expect.stringMatching(/^tab_pat_[A-Za-z0-9_-]{43}$/),
      scopes: ['time:read', 'reports:read'],
      createdAt: new Date(clock.now()).toISOString(),
      expiresAt: new Date(clock.now() + 30 * 86_400_000).toISOString(),
    });
    const list = await call(server.url, 'GET', '/api/v1/api-tokens', { headers: ana.auth });
    expect(list.body.tokens).toContainEqual({
      id: res.body.id,
      name: 'Export script',
      scopes: ['time:read', 'reports:read'],
      createdAt: res.body.createdAt,
      expiresAt: res.body.expiresAt,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    // Not at rest in plain text: neither in the database file nor its WAL (on PostgreSQL: in no row of the tokens or the audit log).
    const atRest = onPostgres
      ? [Buffer.from(JSON.stringify([await sqlRows(server.store, 'SELECT * FROM api_tokens'), await sqlRows(server.store, 'SELECT * FROM audit_events')]))]
      : [server.dbFile, `${server.dbFile}-wal`].map((file) => readFileSync(file));
    for (const bytes of atRest) expect(bytes.includes(Buffer.from(res.body.token))).toBe(false);
  });

  it('a wrong password is 403 reauth_failed, audited with the action, and mints nothing', async () => {
    const before = (await call(server.url, 'GET', '/api/v1/api-tokens', { headers: ana.auth })).body.tokens.length;
    const res = await create(ana, { name: 'stolen session', scopes: ['time:write'], currentPassword: 'not-it' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('reauth_failed');
    expect((await call(server.url, 'GET', '/api/v1/api-tokens', { headers: ana.auth })).body.tokens).toHaveLength(before);
    const audit = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=reauth_failed&userId=${ana.user.id}`, { headers: admin.auth });
    expect(audit.body.events[0]).toMatchObject({ actorUserId: ana.user.id, sessionId: ana.session.id, detail: { action: 'api_token_create' } });
    expect(JSON.stringify(audit.body)).not.toContain('not-it');
  });

  it.each([
    ['no password', { name: 'x', scopes: ['time:read'] }],
    ['no scopes', { name: 'x', currentPassword: 'demo-pass-2026' }],
    ['empty scopes', { name: 'x', scopes: [], currentPassword: 'demo-pass-2026' }],
    ['an unknown scope', { name: 'x', scopes: ['admin'], currentPassword: 'demo-pass-2026' }],
    ['a repeated scope', { name: 'x', scopes: ['time:read', 'time:read'], currentPassword: 'demo-pass-2026' }],
    ['scopes not an array', { name: 'x', scopes: 'time:read', currentPassword: 'demo-pass-2026' }],
    ['a blank name', { name: ' \u202e ', scopes: ['time:read'], currentPassword: 'demo-pass-2026' }],
    ['a name over 100', { name: 'x'.repeat(101), scopes: ['time:read'], currentPassword: 'demo-pass-2026' }],
    ['expiry 0 days', { name: 'x', scopes: ['time:read'], expiresInDays: 0, currentPassword: 'demo-pass-2026' }],
    ['an unknown field', { name: 'x', scopes: ['time:read'], currentPassword: 'demo-pass-2026', admin: true }],
  ])('answers 400 invalid_request for %s', async (_what, body) => {
    const res = await create(ana, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('random bodies: 201, 400 or 403 in the contract shape, never a 5xx', async () => {
    const scope = fc.constantFrom(...API_TOKEN_SCOPES, 'x', '');
    const body = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()),
        scopes: fc.oneof(fc.array(scope, { maxLength: 6 }), fc.string(), fc.constant(null)),
        expiresInDays: fc.oneof(fc.integer({ min: -5, max: 4000 }), fc.double(), fc.string()),
        currentPassword: fc.oneof(fc.constant('demo-pass-2026'), fc.string({ maxLength: 20 })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await create(manager, b);
        expect([201, 400, 403, 429], JSON.stringify(b)).toContain(res.status);
        if (res.status !== 201) expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        // A wrong guess now and then must not lock the manager out of the rest of the run.
        if (res.status === 403) await server.store.forgetAttempts([], [`reauth:${manager.user.id}`]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('scopes', () => {
  /** One call per scope-guarded area, and whether it may succeed for Ana (an accountant) when the scope is there. */
  const probes = () => {
    const entry = { id: randomUUID(), clientId, description: 'Scoped', start: '2026-11-02T09:00:00Z', end: '2026-11-02T10:00:00Z', billable: true };
    return [
      { scope: 'time:read', method: 'GET', path: '/api/v1/me' },
      { scope: 'time:read', method: 'GET', path: '/api/v1/clients' },
      { scope: 'time:read', method: 'GET', path: '/api/v1/entries?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z' },
      { scope: 'time:read', method: 'GET', path: '/api/v1/dashboard' },
      { scope: 'time:write', method: 'POST', path: '/api/v1/entries', body: entry },
      { scope: 'time:write', method: 'POST', path: '/api/v1/timer/start', body: { clientId, description: 'x', billable: true } },
      { scope: 'reports:read', method: 'GET', path: '/api/v1/reports/summary?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z' },
      { scope: 'reports:read', method: 'GET', path: '/api/v1/reports/entries.csv?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z' },
      { scope: 'billing:write', method: 'POST', path: '/api/v1/billing/mark-billed', body: { entryIds: [randomUUID()] } },
      { scope: 'billing:write', method: 'POST', path: '/api/v1/clients', body: { name: `Client ${randomUUID()}`, hourlyRateCents: 1, currency: 'EUR' } },
    ] as const;
  };

  it('a token may call exactly the data endpoints its scopes cover: every single scope against every probe', async () => {
    for (const granted of API_TOKEN_SCOPES) {
      const token = await createApiToken(server.url, manager, { scopes: [granted], name: `only ${granted}` });
      for (const probe of probes()) {
        const res = await call(server.url, probe.method, probe.path, { headers: token.auth, body: 'body' in probe ? probe.body : undefined });
        if (probe.scope === granted) {
          expect(res.status, `${granted} → ${probe.method} ${probe.path}`).not.toBe(403);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status, `${granted} → ${probe.method} ${probe.path}`).toBe(403);
          expect(res.body.error.code).toBe('insufficient_scope');
        }
      }
    }
  });

  it("never more than the user's role: an accountant's billing:write token cannot mark entries billed", async () => {
    const token = await createApiToken(server.url, ana, { scopes: ['billing:write', 'reports:read'] });
    for (const [method, path, body] of [
      ['POST', '/api/v1/billing/mark-billed', { entryIds: [randomUUID()] }],
      ['GET', '/api/v1/reports/summary?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', undefined],
    ] as const) {
      const res = await call(server.url, method, path, { headers: token.auth, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('sessions, tokens, events and admin stay 403 api_token_forbidden whatever the scopes', async () => {
    const token = await createApiToken(server.url, admin);
    for (const [method, path] of [
      ['GET', '/api/v1/sessions'],
      ['DELETE', '/api/v1/sessions/others'],
      ['GET', '/api/v1/api-tokens'],
      ['POST', '/api/v1/api-tokens'],
      ['DELETE', `/api/v1/api-tokens/${token.id}`],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/admin/members'],
      ['GET', `/api/v1/admin/members/${ana.user.id}/api-tokens`],
      ['POST', '/api/v1/admin/sessions/revoke-all'],
      ['PATCH', '/api/v1/me'],
      ['POST', '/api/v1/me/password'],
    ] as const) {
      const res = await call(server.url, method, path, { headers: token.auth, body: method === 'GET' ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('api_token_forbidden');
    }
  });

  it('a token made before scopes existed keeps all four (it could already do all of it)', async () => {
    const raw = `tab_pat_${randomUUID().replaceAll('-', '')}legacyxxxxxxxx`;
    const id = randomUUID();
    // Written as migration 5 found such rows: no scopes column given, so the column's default.
    await sqlRows(
      server.store,
      'INSERT INTO api_tokens (id, user_id, workspace_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      id,
      manager.user.id,
      manager.user.workspaceId,
      'legacy',
      secretHash(raw),
      clock.now(),
    );
    const list = await call(server.url, 'GET', '/api/v1/api-tokens', { headers: manager.auth });
    expect(list.body.tokens.find((t: { id: string }) => t.id === id).scopes).toEqual([...API_TOKEN_SCOPES]);
    for (const probe of probes()) {
      const res = await call(server.url, probe.method, probe.path, { headers: { authorization: `Bearer ${raw}` }, body: 'body' in probe ? probe.body : undefined });
      expect(res.status, `${probe.method} ${probe.path}`).not.toBe(403);
    }
  });

  it('lastUsedAt moves at most once a minute', async () => {
    const token = await createApiToken(server.url, manager, { scopes: ['time:read'] });
    const lastUsed = async () => (await call(server.url, 'GET', '/api/v1/api-tokens', { headers: manager.auth })).body.tokens.find((t: { id: string }) => t.id === token.id).lastUsedAt;
    await call(server.url, 'GET', '/api/v1/me', { headers: token.auth });
    const first = await lastUsed();
    expect(first).toBe(new Date(clock.now()).toISOString());
    clock.advance(30_000);
    await call(server.url, 'GET', '/api/v1/me', { headers: token.auth });
    expect(await lastUsed()).toBe(first);
    clock.advance(MINUTE_MS);
    await call(server.url, 'GET', '/api/v1/me', { headers: token.auth });
    expect(await lastUsed()).toBe(new Date(clock.now()).toISOString());
  });
});

describe('revoking', () => {
  it('the owner revokes: 204, then 401 with it, then 404 for a second delete; audited with the reason', async () => {
    const token = await createApiToken(server.url, ana);
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${token.id}`, { headers: ana.auth })).status).toBe(204);
    const after = await call(server.url, 'GET', '/api/v1/me', { headers: token.auth });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${token.id}`, { headers: ana.auth })).status).toBe(404);
    const audit = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=api_token_revoked&userId=${ana.user.id}`, { headers: admin.auth });
    expect(audit.body.events[0]).toMatchObject({ actorUserId: ana.user.id, targetUserId: ana.user.id, detail: { reason: 'revoked_by_user', tokenIds: [token.id] } });
  });

  it("nobody revokes another user's token from their own profile (404, and it keeps working)", async () => {
    const token = await createApiToken(server.url, manager, { scopes: ['time:read'] });
    expect((await call(server.url, 'DELETE', `/api/v1/api-tokens/${token.id}`, { headers: ana.auth })).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);
  });

  it('an expired token is refused and no longer listed', async () => {
    const token = await createApiToken(server.url, ana, { expiresInDays: 1, scopes: ['time:read'] });
    clock.advance(86_400_000 + 1000);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(401);
    const list = await call(server.url, 'GET', '/api/v1/api-tokens', { headers: ana.auth });
    expect(list.body.tokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
  });
});

describe("admin: a member's API tokens", () => {
  it('admins and managers list them; only admins revoke them; accountants are refused', async () => {
    const token = await createApiToken(server.url, ana, { name: 'Ana’s sync', scopes: ['time:read', 'time:write'] });
    for (const who of [admin, manager]) {
      const list = await call(server.url, 'GET', `/api/v1/admin/members/${ana.user.id}/api-tokens`, { headers: who.auth });
      expect(list.status).toBe(200);
      expect(list.body.tokens).toContainEqual(expect.objectContaining({ id: token.id, name: 'Ana’s sync', scopes: ['time:read', 'time:write'] }));
      expect(JSON.stringify(list.body)).not.toContain(token.token);
    }
    expect((await call(server.url, 'GET', `/api/v1/admin/members/${ana.user.id}/api-tokens`, { headers: ana.auth })).status).toBe(403);
    const byManager = await call(server.url, 'DELETE', `/api/v1/admin/members/${ana.user.id}/api-tokens/${token.id}`, { headers: manager.auth });
    expect(byManager.status).toBe(403);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);

    const byAdmin = await call(server.url, 'DELETE', `/api/v1/admin/members/${ana.user.id}/api-tokens/${token.id}`, { headers: admin.auth });
    expect(byAdmin.status).toBe(204);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(401);
    expect((await call(server.url, 'DELETE', `/api/v1/admin/members/${ana.user.id}/api-tokens/${token.id}`, { headers: admin.auth })).status).toBe(404);
    const audit = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=api_token_revoked&userId=${ana.user.id}`, { headers: admin.auth });
    expect(audit.body.events[0]).toMatchObject({ actorUserId: admin.user.id, detail: { reason: 'revoked_by_admin', tokenIds: [token.id] } });
  });

  it('a token id of another member, or a member of another workspace, is 404', async () => {
    const other = await createOtherFirm(server.store, clock.now());
    const managersToken = await createApiToken(server.url, manager, { scopes: ['time:read'] });
    expect((await call(server.url, 'DELETE', `/api/v1/admin/members/${ana.user.id}/api-tokens/${managersToken.id}`, { headers: admin.auth })).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: managersToken.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', `/api/v1/admin/members/${other.users.accountant}/api-tokens`, { headers: admin.auth })).status).toBe(404);
  });
});
