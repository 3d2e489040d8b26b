import fc from 'fast-check';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNED_OUT_CODES } from '../../shared/errors.js';
import { DAY_MS, ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
});
afterAll(() => server.close());

const cookieHeader = (cookie: string) => ({ cookie: `tab_session=${cookie}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookieOf = (res: { headers: Headers }) => /tab_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
const refresh = (cookie: string, headers: Record<string, string> = {}) => call(server.url, 'POST', '/api/v1/auth/refresh', { headers: { ...cookieHeader(cookie), ...headers } });
const me = (headers: Record<string, string>) => call(server.url, 'GET', '/api/v1/me', { headers });
/** A fresh admin sign-in (the clock moves by days in this file). */
const adminAuth = async () => (await signIn(server.url, 'admin@demo.test')).auth;

describe('access tokens last 15 minutes', () => {
  it('an expired token of a live session is 401 token_expired (not a signed-out code); a refresh gives a working one', async () => {
    expect(SIGNED_OUT_CODES).not.toContain('token_expired');
    const device = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Ana’s laptop' });
    clock.advance(15 * MINUTE_MS - 1000);
    expect((await me(device.auth)).status).toBe(200);
    clock.advance(2000);
    const expired = await me(device.auth);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: 'token_expired', message: expect.any(String) } });
    const refreshed = await refresh(device.cookie);
    expect(refreshed.status).toBe(200);
    expect((await me(bearer(refreshed.body.token))).status).toBe(200);
    expect(decodeJwt(refreshed.body.token).exp! - decodeJwt(refreshed.body.token).iat!).toBe(15 * 60);
  });

  it("an expired token of a session that has ended gets the session's own answer", async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    await call(server.url, 'DELETE', `/api/v1/admin/members/${device.user.id}/sessions/${device.session.id}`, { headers: await adminAuth() });
    clock.advance(16 * MINUTE_MS);
    const res = await me(device.auth);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_admin' });
  });

  it('a token signed under the old rule (no cookie claim, a 30-day exp) is expired once 15 minutes old', async () => {
    const device = await signIn(server.url, 'ben@demo.test');
    const key = server.jwtKey;
    const legacy = (issuedAt: number) =>
      new SignJWT({ sid: device.session.id })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('tab')
        .setAudience('tab-api')
        .setSubject(device.user.id)
        .setIssuedAt(Math.floor(issuedAt / 1000))
        .setExpirationTime(Math.floor((issuedAt + 30 * DAY_MS) / 1000))
        .sign(key);
    expect((await me(bearer(await legacy(clock.now() - MINUTE_MS)))).status).toBe(200);
    const old = await me(bearer(await legacy(clock.now() - 20 * MINUTE_MS)));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('token_expired');
  });
});

describe('POST /api/v1/auth/refresh', () => {
  it('answers a new token and the session, and rotates the cookie with the same attributes', async () => {
    const device = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Desk' });
    const res = await refresh(device.cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), session: expect.objectContaining({ id: device.session.id, isCurrent: true, labelSource: 'device' }) });
    const setCookie = res.headers.get('set-cookie') ?? '';
    const attributes = setCookie.split(';').map((p) => p.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=604800']));
    const next = cookieOf(res)!;
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next).not.toBe(device.cookie);
    expect(decodeJwt(res.body.token)).toMatchObject({ sub: device.user.id, sid: device.session.id });
  });

  it('the previous cookie, before the new one is used, answers the same new cookie again: never a second rotation', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    const first = await refresh(device.cookie);
    const next = cookieOf(first)!;
    const hashes = () => sqlRow<{ c: Buffer; p: Buffer }>(server.store, 'SELECT cookie_hash AS c, previous_cookie_hash AS p FROM device_sessions WHERE id = ?', device.session.id);
    const before = await hashes();
    clock.advance(5 * MINUTE_MS); // a retry long after: still the same answer while the new cookie is unused
    for (let i = 0; i < 3; i++) {
      const again = await refresh(device.cookie);
      expect(again.status).toBe(200);
      expect(cookieOf(again)).toBe(next);
      expect((await me(bearer(again.body.token))).status).toBe(200);
    }
    // An ordinary request with it works too, and sends the current cookie back (a lost Set-Cookie heals).
    const plain = await me(cookieHeader(device.cookie));
    expect(plain.status).toBe(200);
    expect(cookieOf(plain)).toBe(next);
    expect(await hashes()).toEqual(before);
  });

  it('parallel refreshes with one cookie (two tabs, a retry): all answered, all with the same new cookie, one rotation', async () => {
    const device = await signIn(server.url, 'ben@demo.test');
    const answers = await Promise.all(Array.from({ length: 12 }, () => refresh(device.cookie)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(new Set(answers.map(cookieOf)).size).toBe(1);
    const newest = cookieOf(answers[0]!)!;
    expect((await refresh(newest)).status).toBe(200);
  });

  it('after the new cookie is used, the previous one works for 60 s; then it revokes the whole session (token_reuse), audited and told', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    const next = cookieOf(await refresh(device.cookie))!;
    const stream = await openEventStream(server.url, cookieHeader(next));
    const told = stream.next('session.revoked');
    expect((await me(cookieHeader(next))).status).toBe(200); // first use of the new cookie
    clock.advance(59_000);
    expect((await me(cookieHeader(device.cookie))).status).toBe(200); // an in-flight request
    clock.advance(2000);
    const reuse = await me(cookieHeader(device.cookie));
    expect(reuse.status).toBe(401);
    expect(reuse.body.error).toMatchObject({ code: 'session_revoked', reason: 'token_reuse' });
    expect((await told).data).toEqual({ type: 'session.revoked', sessionId: device.session.id, reason: 'token_reuse' });
    // The thief and the owner are both out.
    expect((await me(cookieHeader(next))).body.error).toMatchObject({ code: 'session_revoked', reason: 'token_reuse' });
    expect((await refresh(next)).status).toBe(401);
    const audit = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=token_reuse_detected&userId=${device.user.id}`, { headers: await adminAuth() });
    expect(audit.body.events[0]).toMatchObject({ sessionId: device.session.id, actorUserId: null, ip: '127.0.0.1', detail: { reason: 'token_reuse' } });
    expect(JSON.stringify(audit.body)).not.toContain(device.cookie);
  });

  it('a desktop uses only the access token between refreshes: using the new token counts as using the new cookie', async () => {
    const device = await signIn(server.url, 'ben@demo.test', { client: 'desktop', deviceName: 'Ben’s desk' });
    const refreshed = await refresh(device.cookie);
    expect((await me(bearer(refreshed.body.token))).status).toBe(200);
    clock.advance(61_000);
    const stolen = await refresh(device.cookie);
    expect(stolen.status).toBe(401);
    expect(stolen.body.error).toMatchObject({ code: 'session_revoked', reason: 'token_reuse' });
  });

  it('a refresh chain: each cookie refreshes once into the next, and the chain goes on', async () => {
    const device = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Chain' });
    let cookie = device.cookie;
    for (let i = 0; i < 5; i++) {
      clock.advance(14 * MINUTE_MS);
      const res = await refresh(cookie);
      expect(res.status).toBe(200);
      expect((await me(bearer(res.body.token))).status).toBe(200);
      cookie = cookieOf(res)!;
    }
  });

  it('a refresh is not activity: an idle desktop still reaches its inactivity timeout', async () => {
    await call(server.url, 'PUT', '/api/v1/admin/session-policy', { headers: await adminAuth(), body: { inactivityTimeoutMinutes: 60, absoluteTimeoutDays: 7, maxConcurrentSessions: null } });
    const device = await signIn(server.url, 'ben@demo.test', { client: 'desktop', deviceName: 'Idle' });
    let cookie = device.cookie;
    for (let i = 0; i < 4; i++) {
      clock.advance(14 * MINUTE_MS);
      const res = await refresh(cookie);
      expect(res.status).toBe(200);
      cookie = cookieOf(res)!;
    }
    clock.advance(5 * MINUTE_MS);
    const res = await refresh(cookie);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'session_expired', reason: 'inactivity' });
    await call(server.url, 'PUT', '/api/v1/admin/session-policy', { headers: await adminAuth(), body: { inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: null } });
  });

  it('needs the cookie: no cookie, a Bearer token alone, a forged cookie, or a revoked session are 401; another site is 403', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    const anon = await call(server.url, 'POST', '/api/v1/auth/refresh');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    expect((await call(server.url, 'POST', '/api/v1/auth/refresh', { headers: device.auth })).status).toBe(401);
    expect((await refresh('forged-cookie-value')).body.error.code).toBe('unauthenticated');
    const crossSite = await refresh(device.cookie, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('csrf_rejected');
    await call(server.url, 'POST', '/api/v1/auth/logout', { headers: device.auth });
    const ended = await refresh(device.cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.error).toMatchObject({ code: 'session_revoked', reason: 'signed_out' });
  });

  it('random cookies and headers: 401 or 403 in the contract shape, never a 5xx', async () => {
    const cookieText = fc.oneof(fc.string({ maxLength: 80 }), fc.base64String({ maxLength: 60 }), fc.constant(''));
    await fc.assert(
      fc.asyncProperty(cookieText, fc.option(fc.constantFrom('https://evil.example', 'null', server.url)), async (value, origin) => {
        const headers: Record<string, string> = {};
        const safe = value.replace(/[^\x21-\x7e]/g, '');
        if (safe) headers.cookie = `tab_session=${safe}`;
        if (origin) headers.origin = origin;
        const res = await call(server.url, 'POST', '/api/v1/auth/refresh', { headers });
        expect([401, 403], JSON.stringify(headers)).toContain(res.status);
        expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      }),
      { numRuns: 150 },
    );
  });
});

describe("the web client's cookie", () => {
  it('rotates on its first request 24 h after it was issued, on that response; the new one then works', async () => {
    const web = await signIn(server.url, 'ana@demo.test');
    clock.advance(DAY_MS - 1000);
    const early = await me(cookieHeader(web.cookie));
    expect(early.status).toBe(200);
    expect(early.headers.get('set-cookie')).toBeNull();
    clock.advance(2000);
    const late = await me(cookieHeader(web.cookie));
    expect(late.status).toBe(200);
    const next = cookieOf(late)!;
    expect(next).toBeDefined();
    expect(next).not.toBe(web.cookie);
    expect(late.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const after = await me(cookieHeader(next));
    expect(after.status).toBe(200);
    expect(after.headers.get('set-cookie')).toBeNull();
  });

  it('rotating on an event-stream request still reaches the browser (the header is on the stream)', async () => {
    const web = await signIn(server.url, 'ben@demo.test');
    clock.advance(DAY_MS + 1000);
    const response = await fetch(`${server.url}/api/v1/events`, { headers: cookieHeader(web.cookie) });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^tab_session=[A-Za-z0-9_-]{43};/);
    await response.body?.cancel();
  });
});
