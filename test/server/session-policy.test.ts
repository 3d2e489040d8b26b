import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { ManualClock, MINUTE_MS, DAY_MS } from '../../server/platform/clock.js';
import { sqlRows } from '../support/sql.js';

let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  admin = await signIn(server.url, 'admin@demo.test');
});
afterAll(() => server.close());

const putPolicy = (body: unknown) => call(server.url, 'PUT', '/api/v1/admin/session-policy', { headers: admin.auth, body });
const DEFAULT = { inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: null, ipChangePolicy: 'notify', userAgentChangePolicy: 'notify' };

/** Keeps the admin's own session alive across big clock jumps. */
const refreshAdmin = async () => {
  admin = await signIn(server.url, 'admin@demo.test');
};

describe('session policy', () => {
  it('has the documented defaults', async () => {
    const res = await call(server.url, 'GET', '/api/v1/admin/session-policy', { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULT);
  });

  it.each([
    { ...DEFAULT, inactivityTimeoutMinutes: 45 },
    { ...DEFAULT, absoluteTimeoutDays: 14 },
    { ...DEFAULT, maxConcurrentSessions: 0 },
    { ...DEFAULT, maxConcurrentSessions: 101 },
    { ...DEFAULT, maxConcurrentSessions: 2.5 },
    { ...DEFAULT, maxConcurrentSessions: '3' },
    { inactivityTimeoutMinutes: 30, absoluteTimeoutDays: 1 },
    { ...DEFAULT, extra: true },
  ])('refuses %j with 400 invalid_request', async (body) => {
    const res = await putPolicy(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect((await call(server.url, 'GET', '/api/v1/admin/session-policy', { headers: admin.auth })).body).toEqual(DEFAULT);
  });

  it('applies to new sessions only: an existing session keeps its own timeouts', async () => {
    // Cookies, as the web client: the clock moves past the access tokens' 15 minutes.
    const before = viaCookie(await signIn(server.url, 'ana@demo.test'));
    expect((await putPolicy({ inactivityTimeoutMinutes: 30, absoluteTimeoutDays: 1, maxConcurrentSessions: null })).status).toBe(200);
    const after = viaCookie(await signIn(server.url, 'ana@demo.test'));

    clock.advance(31 * MINUTE_MS);
    const old = await call(server.url, 'GET', '/api/v1/me', { headers: before.auth });
    expect(old.status).toBe(200);
    const fresh = await call(server.url, 'GET', '/api/v1/me', { headers: after.auth });
    expect(fresh.status).toBe(401);
    expect(fresh.body.error).toMatchObject({ code: 'session_expired', reason: 'inactivity' });
    await refreshAdmin();
    expect((await putPolicy(DEFAULT)).status).toBe(200);
  });
});

describe('expiry (injected clock, no sleeping)', () => {
  it('inactivity: a session unused for longer than the timeout is 401 session_expired and gone from lists; activity keeps it alive', async () => {
    await putPolicy({ inactivityTimeoutMinutes: 60, absoluteTimeoutDays: 7, maxConcurrentSessions: null });
    const busy = viaCookie(await signIn(server.url, 'ben@demo.test'));
    const idle = await signIn(server.url, 'ben@demo.test');
    for (let i = 0; i < 3; i++) {
      clock.advance(40 * MINUTE_MS);
      expect((await call(server.url, 'GET', '/api/v1/me', { headers: busy.auth })).status).toBe(200);
    }
    const list = await call(server.url, 'GET', '/api/v1/sessions', { headers: busy.auth });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).not.toContain(idle.session.id);
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: idle.auth });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'session_expired', reason: 'inactivity' });
    // Revoking it now is 404: it has vanished.
    expect((await call(server.url, 'DELETE', `/api/v1/sessions/${idle.session.id}`, { headers: busy.auth })).status).toBe(404);
    await refreshAdmin();
  });

  it('absolute: even a busy session ends after the absolute timeout, with reason absolute, for JWT and cookie', async () => {
    await putPolicy({ inactivityTimeoutMinutes: 1440, absoluteTimeoutDays: 1, maxConcurrentSessions: null });
    const device = await signIn(server.url, 'ana@demo.test');
    for (let i = 0; i < 4; i++) {
      clock.advance(5 * 60 * MINUTE_MS);
      expect((await call(server.url, 'GET', '/api/v1/me', { headers: viaCookie(device).auth })).status).toBe(200);
    }
    clock.advance(4 * 60 * MINUTE_MS + 1000);
    for (const headers of [device.auth, { cookie: `tab_session=${device.cookie}` }]) {
      const res = await call(server.url, 'GET', '/api/v1/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'session_expired', reason: 'absolute' });
    }
    await refreshAdmin();
    expect((await putPolicy(DEFAULT)).status).toBe(200);
  });

  it('records session_expired once, when first noticed', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    clock.advance(8 * DAY_MS);
    await call(server.url, 'GET', '/api/v1/me', { headers: device.auth });
    await call(server.url, 'GET', '/api/v1/sessions', { headers: device.auth });
    await refreshAdmin();
    const audit = await call(server.url, 'GET', '/api/v1/admin/audit-events?type=session_expired&limit=200', { headers: admin.auth });
    const mine = audit.body.events.filter((e: { sessionId: string }) => e.sessionId === device.session.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].detail).toEqual({ reason: 'inactivity' });
  });
});

describe('concurrent-session limit', () => {
  it('50 sign-ins of one member, 10 at a time, with maxConcurrentSessions 3 leave exactly 3 active: the newest', async () => {
    await refreshAdmin();
    expect((await putPolicy({ inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: 3 })).status).toBe(200);
    // 10 at once is as many as the sign-in throttle lets run for one email (each attempt is reserved before its password check).
    const results: SignedIn[] = [];
    for (let batch = 0; batch < 5; batch++) results.push(...(await Promise.all(Array.from({ length: 10 }, () => signIn(server.url, 'manager@demo.test')))));
    const active = await sqlRows<{ id: string }>(server.store, `SELECT id FROM device_sessions WHERE user_id = ? AND revoked_at IS NULL`, results[0]!.user.id);
    expect(active).toHaveLength(3);
    const stillIn = (await Promise.all(results.map((r) => call(server.url, 'GET', '/api/v1/me', { headers: r.auth })))).filter((r) => r.status === 200);
    expect(stillIn).toHaveLength(3);
    const evicted = results.find((r) => !active.some((a) => a.id === r.session.id))!;
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: evicted.auth });
    expect(res.body.error).toMatchObject({ code: 'session_revoked', reason: 'session_limit' });

    const audit = await call(server.url, 'GET', '/api/v1/admin/audit-events?type=session_limit_revoked&limit=200', { headers: admin.auth });
    expect(audit.body.events.length).toBeGreaterThanOrEqual(47);
    expect((await putPolicy(DEFAULT)).status).toBe(200);
  });

  it('evicts the oldest active session by creation, even when it was used most recently', async () => {
    await refreshAdmin();
    await call(server.url, 'DELETE', `/api/v1/admin/members/${(await server.store.findUserByEmail('ben@demo.test'))!.id}/sessions`, { headers: admin.auth });
    expect((await putPolicy({ inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: 2 })).status).toBe(200);
    const first = await signIn(server.url, 'ben@demo.test');
    clock.advance(1000);
    const second = await signIn(server.url, 'ben@demo.test');
    clock.advance(2 * MINUTE_MS);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: first.auth })).status).toBe(200);
    const third = await signIn(server.url, 'ben@demo.test');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: first.auth })).body.error).toMatchObject({ code: 'session_revoked', reason: 'session_limit' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: second.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: third.auth })).status).toBe(200);
    expect((await putPolicy(DEFAULT)).status).toBe(200);
  });
});
