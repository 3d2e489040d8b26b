import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES } from '../../shared/api/api-tokens.js';
import { assertRouteScope } from '../../server/http/authenticate.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(() => server.close());

/** The scope map, route by route (HEAD routes follow their GET). */
const EXPECTED: Record<string, string> = {
  'GET /api/v1/me': 'time:read',
  'GET /api/v1/clients': 'time:read',
  'GET /api/v1/entries': 'time:read',
  'GET /api/v1/dashboard': 'time:read',
  'GET /api/v1/workspace': 'time:read',
  'POST /api/v1/entries': 'time:write',
  'PATCH /api/v1/entries/:id': 'time:write',
  'DELETE /api/v1/entries/:id': 'time:write',
  'POST /api/v1/timer/start': 'time:write',
  'POST /api/v1/timer/stop': 'time:write',
  'GET /api/v1/reports/summary': 'reports:read',
  'GET /api/v1/reports/entries.csv': 'reports:read',
  'POST /api/v1/billing/mark-billed': 'billing:write',
  'POST /api/v1/billing/unbill': 'billing:write',
  'GET /api/v1/timesheets/:userId/weeks/:monday': 'time:read',
  'POST /api/v1/timesheets/:userId/weeks/:monday/submit': 'time:write',
  'GET /api/v1/timesheets/queue': 'time:read',
  'POST /api/v1/clients': 'billing:write',
  'PATCH /api/v1/clients/:id': 'billing:write',
  'DELETE /api/v1/clients/:id': 'billing:write',
  'GET /api/v1/matters': 'time:read',
  'POST /api/v1/matters': 'billing:write',
  'PATCH /api/v1/matters/:id': 'billing:write',
  'GET /api/v1/activities': 'time:read',
  'POST /api/v1/activities': 'billing:write',
  'PATCH /api/v1/activities/:id': 'billing:write',
  'GET /api/v1/rates': 'time:read',
  'PUT /api/v1/rates': 'billing:write',
  'GET /api/v1/week-grid': 'time:read',
  'GET /api/v1/invoices': 'reports:read',
  'POST /api/v1/invoices': 'billing:write',
  'GET /api/v1/invoices/:id': 'reports:read',
  'PATCH /api/v1/invoices/:id': 'billing:write',
  'DELETE /api/v1/invoices/:id': 'billing:write',
  'POST /api/v1/invoices/:id/issue': 'billing:write',
  'POST /api/v1/invoices/:id/void': 'billing:write',
  'POST /api/v1/invoices/:id/paid': 'billing:write',
  'GET /api/v1/invoices/:id/pdf': 'reports:read',
  'GET /api/v1/invoices/:id/csv': 'reports:read',
  'GET /api/v1/billing/clients/:id/tax': 'reports:read',
  'PUT /api/v1/billing/clients/:id/tax': 'billing:write',
  'GET /api/v1/billing/wip': 'reports:read',
  'GET /api/v1/billing/realization': 'reports:read',
};

describe('API token scopes, route by route', () => {
  it('every data route (auth: any) declares one of the four scopes', () => {
    const data = server.routes.filter((r) => r.auth === 'any');
    expect(data.length).toBeGreaterThan(0);
    for (const route of data) expect(API_TOKEN_SCOPES, `${route.method} ${route.url}`).toContain(route.scope);
  });

  it('the scopes are the documented map', () => {
    const actual = Object.fromEntries(server.routes.filter((r) => r.auth === 'any' && r.method !== 'HEAD').map((r) => [`${r.method} ${r.url}`, r.scope]));
    expect(actual).toEqual(EXPECTED);
  });

  it('every other API route is session-only or public, never open to tokens by omission', () => {
    for (const route of server.routes.filter((r) => r.url.startsWith('/api/'))) {
      expect(['none', 'any', 'session'], `${route.method} ${route.url}`).toContain(route.auth);
    }
  });

  it('a data route without a scope keeps the server from starting', async () => {
    const app = Fastify();
    app.addHook('onRoute', assertRouteScope);
    expect(() => app.get('/api/v1/new-thing', { config: { auth: 'any' } }, async () => ({}))).toThrow(
      /GET \/api\/v1\/new-thing lets API tokens in .* declares no config\.scope/,
    );
    await app.close();
    const fine = Fastify();
    fine.addHook('onRoute', assertRouteScope);
    fine.get('/api/v1/ok', { config: { auth: 'any', scope: 'time:read' } }, async () => ({}));
    fine.get('/api/v1/session-only', { config: { auth: 'session' } }, async () => ({}));
    await expect(fine.ready()).resolves.toBeDefined();
    await fine.close();
  });
});
