import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { createOtherFirm } from '../support/workspaces.js';

let server: TestServer;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let benId: string;
let other: Awaited<ReturnType<typeof createOtherFirm>>;

beforeAll(async () => {
  server = await startTestServer();
  other = await createOtherFirm(server.store);
  admin = await signIn(server.url, 'admin@demo.test');
  manager = await signIn(server.url, 'manager@demo.test');
  ana = await signIn(server.url, 'ana@demo.test');
  benId = (await server.store.findUserByEmail('ben@demo.test'))!.id;
});
afterAll(() => server.close());

type Caller = 'admin' | 'manager' | 'accountant';
const as = (who: Caller) => ({ admin, manager, accountant: ana })[who].auth;

/** Each admin endpoint with who may use it. */
const endpoints = () =>
  [
    { method: 'GET', path: '/api/v1/admin/members', allowed: ['admin', 'manager'], ok: 200 },
    { method: 'GET', path: `/api/v1/admin/members/${benId}/sessions`, allowed: ['admin', 'manager'], ok: 200 },
    { method: 'GET', path: '/api/v1/admin/session-policy', allowed: ['admin', 'manager'], ok: 200 },
    { method: 'PUT', path: '/api/v1/admin/session-policy', body: { inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: null }, allowed: ['admin'], ok: 200 },
    { method: 'GET', path: '/api/v1/admin/audit-events', allowed: ['admin'], ok: 200 },
    { method: 'DELETE', path: `/api/v1/admin/members/${benId}/sessions`, allowed: ['admin'], ok: 200 },
    { method: 'DELETE', path: `/api/v1/admin/members/${benId}/sessions/00000000-0000-4000-8000-000000000000`, allowed: ['admin'], ok: 404 },
    { method: 'POST', path: `/api/v1/admin/members/${benId}/enable`, allowed: ['admin'], ok: 204 },
    { method: 'POST', path: '/api/v1/admin/sessions/revoke-all', body: { password: 'wrong-password' }, allowed: ['admin'], ok: 403 },
  ] as const;

describe('role matrix', () => {
  for (const who of ['admin', 'manager', 'accountant'] as const) {
    it(`${who}: allowed endpoints answer, the rest 403 forbidden`, async () => {
      for (const e of endpoints()) {
        const res = await call(server.url, e.method, e.path, { headers: as(who), body: 'body' in e ? e.body : undefined });
        if ((e.allowed as readonly string[]).includes(who)) {
          expect(res.status, `${who} ${e.method} ${e.path}`).toBe(e.ok);
        } else {
          expect(res.status, `${who} ${e.method} ${e.path}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      }
    });
  }
});

describe('members and their sessions', () => {
  it('lists members with role, disabled flag, active-session counts and last seen', async () => {
    await signIn(server.url, 'ben@demo.test');
    const res = await call(server.url, 'GET', '/api/v1/admin/members', { headers: manager.auth });
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { email: string }) => m.email).sort()).toEqual(['admin@demo.test', 'ana@demo.test', 'ben@demo.test', 'manager@demo.test']);
    const ben = res.body.members.find((m: { email: string }) => m.email === 'ben@demo.test');
    expect(ben).toMatchObject({ id: benId, role: 'accountant', disabled: false, activeSessions: 1, lastSeenAt: expect.any(String) });
  });

  it("shows a member's sessions to managers (isCurrent only on the caller's own current session)", async () => {
    const res = await call(server.url, 'GET', `/api/v1/admin/members/${manager.user.id}/sessions`, { headers: manager.auth });
    expect(res.body.sessions.find((s: { id: string }) => s.id === manager.session.id).isCurrent).toBe(true);
    const anas = await call(server.url, 'GET', `/api/v1/admin/members/${ana.user.id}/sessions`, { headers: manager.auth });
    expect(anas.body.sessions.length).toBeGreaterThan(0);
    expect(anas.body.sessions.every((s: { isCurrent: boolean }) => !s.isCurrent)).toBe(true);
  });

  it("lets an admin revoke one of a member's sessions; the member's next request is 401 with reason revoked_by_admin", async () => {
    const device = await signIn(server.url, 'ben@demo.test');
    const res = await call(server.url, 'DELETE', `/api/v1/admin/members/${benId}/sessions/${device.session.id}`, { headers: admin.auth });
    expect(res.status).toBe(204);
    const next = await call(server.url, 'GET', '/api/v1/me', { headers: device.auth });
    expect(next.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_admin' });
    // A session of another member under this member's id is 404.
    const mismatched = await call(server.url, 'DELETE', `/api/v1/admin/members/${benId}/sessions/${ana.session.id}`, { headers: admin.auth });
    expect(mismatched.status).toBe(404);
  });

  it("lets an admin revoke all of a member's sessions", async () => {
    await signIn(server.url, 'ben@demo.test');
    await signIn(server.url, 'ben@demo.test');
    const res = await call(server.url, 'DELETE', `/api/v1/admin/members/${benId}/sessions`, { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBeGreaterThanOrEqual(2);
    const list = await call(server.url, 'GET', `/api/v1/admin/members/${benId}/sessions`, { headers: admin.auth });
    expect(list.body.sessions).toEqual([]);
  });

  it('disable revokes every session and refuses sign-in with 403 account_disabled; enable lets them back', async () => {
    const device = await signIn(server.url, 'ben@demo.test');
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${benId}/disable`, { headers: admin.auth })).status).toBe(204);
    const next = await call(server.url, 'GET', '/api/v1/me', { headers: device.auth });
    expect(next.body.error).toMatchObject({ code: 'session_revoked', reason: 'member_disabled' });
    const login = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ben@demo.test', password: 'demo-pass-2026' } });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('account_disabled');
    // A wrong password still answers invalid_credentials: a disabled account is not revealed to guessers.
    const guess = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ben@demo.test', password: 'guess' } });
    expect(guess.body.error.code).toBe('invalid_credentials');
    const members = await call(server.url, 'GET', '/api/v1/admin/members', { headers: admin.auth });
    expect(members.body.members.find((m: { id: string }) => m.id === benId)).toMatchObject({ disabled: true, activeSessions: 0 });

    expect((await call(server.url, 'POST', `/api/v1/admin/members/${benId}/enable`, { headers: admin.auth })).status).toBe(204);
    expect((await signIn(server.url, 'ben@demo.test')).session.id).toEqual(expect.any(String));
  });

  it('an admin cannot disable themself', async () => {
    const res = await call(server.url, 'POST', `/api/v1/admin/members/${admin.user.id}/disable`, { headers: admin.auth });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});

describe('cross-workspace access', () => {
  it('answers 404 not_found for members and sessions of another firm, for admins and managers alike', async () => {
    const foreignAdmin = await signIn(server.url, 'admin@other.test', { password: other.password });
    for (const headers of [admin.auth, manager.auth]) {
      const reads = [
        await call(server.url, 'GET', `/api/v1/admin/members/${other.users.accountant}/sessions`, { headers }),
        await call(server.url, 'GET', `/api/v1/admin/members/${other.users.admin}/sessions`, { headers }),
      ];
      for (const r of reads) expect(r.status).toBe(404);
    }
    for (const [method, path] of [
      ['DELETE', `/api/v1/admin/members/${other.users.admin}/sessions/${foreignAdmin.session.id}`],
      ['DELETE', `/api/v1/admin/members/${other.users.admin}/sessions`],
      ['POST', `/api/v1/admin/members/${other.users.admin}/disable`],
      ['POST', `/api/v1/admin/members/${other.users.admin}/enable`],
    ] as const) {
      const res = await call(server.url, method, path, { headers: admin.auth });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: foreignAdmin.auth })).status).toBe(200);
    const theirs = await call(server.url, 'GET', '/api/v1/admin/members', { headers: foreignAdmin.auth });
    expect(theirs.body.members.map((m: { email: string }) => m.email)).not.toContain('ana@demo.test');
  });
});

describe('revoke every workspace session', () => {
  it('re-checks the password (403 reauth_failed), then signs out everyone in the firm but the caller, and nobody elsewhere', async () => {
    const foreign = await signIn(server.url, 'accountant@other.test', { password: other.password });
    const victims = [await signIn(server.url, 'ana@demo.test'), await signIn(server.url, 'manager@demo.test'), await signIn(server.url, 'admin@demo.test')];
    const wrong = await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { password: 'not-it' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('reauth_failed');
    for (const v of victims) expect((await call(server.url, 'GET', '/api/v1/me', { headers: v.auth })).status).toBe(200);

    const right = await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { password: 'demo-pass-2026' } });
    expect(right.status).toBe(200);
    expect(right.body.revoked).toBeGreaterThanOrEqual(victims.length);
    for (const v of victims) {
      const res = await call(server.url, 'GET', '/api/v1/me', { headers: v.auth });
      expect(res.body.error).toMatchObject({ code: 'session_revoked', reason: 'workspace_revoked' });
    }
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: admin.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: foreign.auth })).status).toBe(200);
    // Refresh the fixtures that were signed out.
    manager = await signIn(server.url, 'manager@demo.test');
    ana = await signIn(server.url, 'ana@demo.test');
  });
});

describe('password change', () => {
  it('wrong current password → 403 reauth_failed (never 401); with signOutOtherSessions the others are revoked', async () => {
    const me = await signIn(server.url, 'manager@demo.test');
    const elsewhere = await signIn(server.url, 'manager@demo.test');
    const wrong = await call(server.url, 'POST', '/api/v1/me/password', { headers: me.auth, body: { currentPassword: 'nope', newPassword: 'a-new-long-pass', signOutOtherSessions: true } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('reauth_failed');
    const short = await call(server.url, 'POST', '/api/v1/me/password', { headers: me.auth, body: { currentPassword: 'demo-pass-2026', newPassword: 'short', signOutOtherSessions: true } });
    expect(short.status).toBe(400);

    const ok = await call(server.url, 'POST', '/api/v1/me/password', { headers: me.auth, body: { currentPassword: 'demo-pass-2026', newPassword: 'a-new-long-pass', signOutOtherSessions: true } });
    expect(ok.status).toBe(200);
    expect(ok.body.revoked).toBeGreaterThanOrEqual(1);
    const other = await call(server.url, 'GET', '/api/v1/me', { headers: elsewhere.auth });
    expect(other.body.error).toMatchObject({ code: 'session_revoked', reason: 'password_changed' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: me.auth })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'manager@demo.test', password: 'demo-pass-2026' } })).status).toBe(401);
    const keep = await call(server.url, 'POST', '/api/v1/me/password', { headers: me.auth, body: { currentPassword: 'a-new-long-pass', newPassword: 'demo-pass-2026', signOutOtherSessions: false } });
    expect(keep.body).toEqual({ revoked: 0 });
  });
});
