import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, CHROME_MAC } from '../support/api.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('POST /api/v1/auth/login', () => {
  it('answers the token, user and session, and sets the session cookie with the contract attributes', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { 'user-agent': CHROME_MAC },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' });
    expect(Object.keys(res.body.user).sort()).toEqual(['email', 'id', 'name', 'role', 'workspaceId']);
    expect(res.body.session).toMatchObject({ clientKind: 'web', label: 'Chrome 120, macOS', labelSource: 'user-agent', browser: 'Chrome 120', os: 'macOS', ip: '127.0.0.1', lastIp: '127.0.0.1', location: null, isCurrent: true });
    expect(Object.keys(res.body.session).sort()).toEqual(['browser', 'clientKind', 'createdAt', 'id', 'ip', 'isCurrent', 'label', 'labelSource', 'lastIp', 'lastSeenAt', 'location', 'os']);

    const setCookie = res.headers.get('set-cookie') ?? '';
    const value = /^tab_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
    expect(Buffer.from(value, 'base64url').length).toBeGreaterThanOrEqual(16);
    const attributes = setCookie.split(';').map((p) => p.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=604800']));
    expect(attributes).not.toContain('secure');

    expect(decodeProtectedHeader(res.body.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(res.body.token);
    expect(claims).toMatchObject({ iss: 'tab', aud: 'tab-api', sub: res.body.user.id, sid: res.body.session.id });
    expect(typeof claims.iat).toBe('number');
    // An access token: 15 minutes (the session lives on; the client refreshes).
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
  });

  it('labels desktop sessions with the device name, and defaults the client to web', async () => {
    const desktop = await signIn(server.url, 'ben@demo.test', { client: 'desktop', deviceName: "Ben's MacBook Pro" });
    expect(desktop.session).toMatchObject({ clientKind: 'desktop', label: "Ben's MacBook Pro" });
    const web = await signIn(server.url, 'ben@demo.test', { userAgent: 'curl/8.5.0' });
    expect(web.session.clientKind).toBe('web');
  });

  it('answers the same 401 for a wrong password and for an unknown email', async () => {
    const wrong = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ben@demo.test', password: 'nope' } });
    const unknown = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@demo.test', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
    expect(unknown.body).toEqual(wrong.body);
  });

  it.each([
    ['no body', undefined],
    ['missing password', { email: 'ana@demo.test' }],
    ['email not a string', { email: 42, password: 'x' }],
    ['unknown client kind', { email: 'ana@demo.test', password: 'x', client: 'mobile' }],
    ['device name over 100', { email: 'ana@demo.test', password: 'x', deviceName: 'x'.repeat(101) }],
    ['unexpected field', { email: 'ana@demo.test', password: 'x', admin: true }],
    ['an array', [1, 2]],
  ])('answers 400 invalid_request for a malformed body (%s)', async (_name, body) => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', body === undefined ? { headers: { 'content-type': 'application/json' } } : { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/\w/);
  });

  it('refuses more than 10 failed attempts for one email within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const email = 'manager@demo.test';
    for (let i = 0; i < 10; i++) {
      const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email, password: `wrong-${i}` } });
      expect(res.status).toBe(401);
    }
    const blocked = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'Manager@Demo.test', password: 'demo-pass-2026' } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Other emails are not affected.
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'admin@demo.test', password: 'demo-pass-2026' } })).status).toBe(200);
  });

  it('refuses a sign-in posted by another site (login CSRF)', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_rejected');
  });
});

describe('--secure-cookies', () => {
  it('adds Secure to the session cookie', async () => {
    const secure = await startTestServer({ secureCookies: true });
    try {
      const res = await call(secure.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' } });
      const attributes = (res.headers.get('set-cookie') ?? '').split(';').map((p) => p.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax']));
    } finally {
      await secure.close();
    }
  });
});

describe('GET /api/v1/me and POST /api/v1/auth/logout', () => {
  it('answers the user and session; logout revokes the current session and clears the cookie', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    const me = await call(server.url, 'GET', '/api/v1/me', { headers: device.auth });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ana@demo.test');
    expect(me.body.session).toMatchObject({ id: device.session.id, isCurrent: true });

    const out = await call(server.url, 'POST', '/api/v1/auth/logout', { headers: device.auth });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/tab_session=;/);
    const after = await call(server.url, 'GET', '/api/v1/me', { headers: device.auth });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'session_revoked', reason: 'signed_out' });
  });

  it('authenticates with the cookie alone', async () => {
    const device = await signIn(server.url, 'ana@demo.test');
    const me = await call(server.url, 'GET', '/api/v1/me', { headers: { cookie: `tab_session=${device.cookie}` } });
    expect(me.status).toBe(200);
    expect(me.body.session.id).toBe(device.session.id);
    const bogus = await call(server.url, 'GET', '/api/v1/me', { headers: { cookie: 'tab_session=not-a-session' } });
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe('unauthenticated');
  });
});
