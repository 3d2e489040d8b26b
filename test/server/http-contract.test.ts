import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';

let server: TestServer;
let ana: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  ana = await signIn(server.url, 'ana@demo.test');
});
afterAll(() => server.close());

describe('HTTP contract', () => {
  it('GET /healthz answers {"ok":true} without authentication', async () => {
    const res = await call(server.url, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('answers unknown routes with 404 not_found in the error shape', async () => {
    for (const [method, path] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/sessions'], ['GET', '/nope/deeper'], ['PUT', '/api/v1/me']] as const) {
      const res = await call(server.url, method, path, { headers: ana.auth });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('answers 401 unauthenticated without credentials on every protected endpoint', async () => {
    for (const [method, path] of [['GET', '/api/v1/me'], ['GET', '/api/v1/sessions'], ['DELETE', '/api/v1/sessions/others'], ['GET', '/api/v1/events'], ['POST', '/api/v1/auth/logout'], ['GET', '/api/v1/admin/members'],
      ['GET', '/api/v1/clients'], ['GET', '/api/v1/entries'], ['POST', '/api/v1/timer/start'], ['GET', '/api/v1/dashboard'], ['GET', '/api/v1/reports/entries.csv'], ['POST', '/api/v1/billing/mark-billed']] as const) {
      const res = await call(server.url, method, path);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { rawBody: '{"email": "ana@demo.test", ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('answers a prototype-poisoning body with 400', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { rawBody: '{"__proto__": {"admin": true}, "email": "a", "password": "b"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('answers a body over 64 KiB with 413 payload_too_large', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'x'.repeat(70 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers a non-JSON body with 415 in the error shape', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { rawBody: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('marks API answers no-store and nosniff', async () => {
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('generates the OpenAPI document from the route schemas, and serves Swagger UI at /docs', async () => {
    const doc = await call(server.url, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/v1/auth/login', '/api/v1/me', '/api/v1/sessions', '/api/v1/sessions/{id}', '/api/v1/sessions/others', '/api/v1/api-tokens', '/api/v1/admin/members', '/api/v1/admin/session-policy', '/api/v1/admin/audit-events', '/api/v1/events', '/healthz',
      '/api/v1/clients', '/api/v1/clients/{id}', '/api/v1/entries', '/api/v1/entries/{id}', '/api/v1/timer/start', '/api/v1/timer/stop',
      '/api/v1/dashboard', '/api/v1/reports/summary', '/api/v1/reports/entries.csv', '/api/v1/billing/mark-billed',
      '/api/v1/auth/refresh', '/api/v1/admin/members/{userId}/api-tokens', '/api/v1/admin/members/{userId}/api-tokens/{id}']) {
      expect(paths).toContain(p);
    }
    expect(doc.body.components.schemas.Session.properties).toHaveProperty('isCurrent');
    expect(doc.body.components.schemas.TimeEntry.properties).toHaveProperty('billedAt');
    expect(doc.body.paths['/api/v1/me'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('timeZone');
    expect(doc.body.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('deviceName');
    expect(Object.keys(doc.body.paths['/api/v1/api-tokens'].post.requestBody.content['application/json'].schema.properties).sort()).toEqual(['code', 'currentPassword', 'expiresInDays', 'name', 'reauthGrant', 'scopes']);
    expect(doc.body.components.schemas.Session.properties).toHaveProperty('labelSource');
    expect(doc.body.components.schemas.ApiToken.properties).toHaveProperty('scopes');
    const ui = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });
});
