import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import type { PriorityPool } from '../../server/platform/priority-pool.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
afterEach(() => server?.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  call(server.url, 'POST', '/api/v1/auth/login', { body: { email, password }, headers });

/** Counts the password checks the server runs (each is one task on the hashing pool). */
function countPasswordChecks(s: TestServer) {
  return vi.spyOn((s.deps.passwords as unknown as { pool: PriorityPool }).pool, 'run');
}

describe('sign-in throttle per email (10 failures / 15 min)', () => {
  it('60 parallel wrong sign-ins for one email: at most 10 password checks, the rest 429; the right password inside the burst does not get in', async () => {
    const clock = new ManualClock(Date.now());
    server = await startTestServer({ clock });
    const checks = countPasswordChecks(server);
    const burst = Array.from({ length: 60 }, (_, i) => login('ben@demo.test', `guess-${i}`));
    // Sent while the burst is still being answered (its ten attempts reserved, their checks running or waiting).
    await vi.waitFor(async () => expect((await sqlRow<{ n: number }>(server.store, `SELECT COUNT(*) AS n FROM auth_attempts WHERE key = 'sign-in:ben@demo.test'`))!.n).toBe(10), {
      interval: 2,
      timeout: 20_000,
    });
    let burstAnswered = false;
    const all = Promise.all(burst).then((answers) => ((burstAnswered = true), answers));
    const right = await login('ben@demo.test', 'demo-pass-2026');
    expect(burstAnswered).toBe(false);
    const answers = await all;

    expect(checks.mock.calls.length).toBeLessThanOrEqual(10);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too_many_attempts');
    for (const a of [...answers.filter((x) => x.status === 429), right]) {
      const retryAfter = Number(a.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }

    // The window passes: the right password gets in, and the failures are cleared.
    clock.advance(15 * MINUTE_MS + 1000);
    expect((await login('ben@demo.test', 'demo-pass-2026')).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login('ben@demo.test', 'wrong')).status).toBe(401);
    expect((await login('ben@demo.test', 'demo-pass-2026')).status).toBe(200);
  });

  it('an unknown email is throttled the same way (no hint that it does not exist)', async () => {
    server = await startTestServer();
    const answers = await Promise.all(Array.from({ length: 15 }, () => login('nobody@demo.test', 'x')));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
  });
});

describe('sign-in throttle per client address (50 failures / 15 min, across emails)', () => {
  it('the 51st failure from one address is 429 whatever the email; another address is not affected', async () => {
    const clock = new ManualClock(Date.now());
    server = await startTestServer({ clock, trustProxy: ['loopback'] });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => login(`spray-${i}@demo.test`, 'wrong', from('198.51.100.7'))));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const blocked = await login('ana@demo.test', 'demo-pass-2026', from('198.51.100.7'));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/network/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('ana@demo.test', 'demo-pass-2026', from('203.0.113.50'))).status).toBe(200);
    clock.advance(15 * MINUTE_MS + 1000);
    expect((await login('ana@demo.test', 'demo-pass-2026', from('198.51.100.7'))).status).toBe(200);
  }, 180_000); // 52 password hashes on a shared machine: a generous bound, not a speed target

  it('successful sign-ins from a busy office address never count against it', async () => {
    server = await startTestServer({ trustProxy: ['loopback'] });
    const office = { 'x-forwarded-for': '192.0.2.10' };
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.all(['ana', 'ben', 'manager', 'admin'].flatMap((n) => [login(`${n}@demo.test`, 'demo-pass-2026', office), login(`${n}@demo.test`, 'demo-pass-2026', office)]));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    }
  });
});

describe('sign-in and the hashing pool', () => {
  it('an attempt refused as server_busy is not counted as a failure', async () => {
    server = await startTestServer({ passwordHashing: { concurrency: 1, maxQueued: 0 } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => login('ana@demo.test', 'wrong')));
    const busy = answers.filter((a) => a.status === 503).length;
    expect(busy).toBeGreaterThan(0);
    // Only the checked attempts count: the right password still gets in (fewer than 10 failures were recorded).
    expect(answers.filter((a) => a.status === 401).length).toBeLessThan(10);
    expect((await login('ana@demo.test', 'demo-pass-2026')).status).toBe(200);
  });
});

describe('a browser signing in again', () => {
  it('ends the older session of the cookie it carries (superseded), tells its streams, and audits it; a sign-in without a cookie supersedes nothing', async () => {
    server = await startTestServer();
    const first = await signIn(server.url, 'ana@demo.test');
    const desktop = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Desk' });
    const stream = await openEventStream(server.url, viaCookie(first).auth);
    const told = stream.next('session.revoked');
    const again = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { cookie: `tab_session=${first.cookie}` },
    });
    expect(again.status).toBe(200);
    expect((await told).data).toEqual({ type: 'session.revoked', sessionId: first.session.id, reason: 'superseded' });
    const old = await call(server.url, 'GET', '/api/v1/me', { headers: viaCookie(first).auth });
    expect(old.body.error).toMatchObject({ code: 'session_revoked', reason: 'superseded' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: desktop.auth })).status).toBe(200);
    const sessions = await call(server.url, 'GET', '/api/v1/sessions', { headers: desktop.auth });
    expect(sessions.body.sessions.map((s: { id: string }) => s.id).sort()).toEqual([desktop.session.id, again.body.session.id].sort());
    const admin = await signIn(server.url, 'admin@demo.test');
    const audit = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=session_revoked&userId=${first.user.id}`, { headers: admin.auth });
    expect(audit.body.events[0]).toMatchObject({ sessionId: first.session.id, detail: { reason: 'superseded' } });
    // A sign-in that fails supersedes nothing.
    const wrong = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'not-it' },
      headers: { cookie: `tab_session=${desktop.cookie}` },
    });
    expect(wrong.status).toBe(401);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: desktop.auth })).status).toBe(200);
  });
});
