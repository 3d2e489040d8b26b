import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn, type SignedIn } from '../support/api.js';
import { createOtherFirm } from '../support/workspaces.js';
import { timeApi } from '../support/time.js';

/** Workspace settings and the profile (issue #13, item 2). */
let server: TestServer;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let otherAdmin: SignedIn;
let token: { authorization: string };

beforeAll(async () => {
  server = await startTestServer();
  const other = await createOtherFirm(server.store);
  [admin, manager, ana] = (await Promise.all(['admin', 'manager', 'ana'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn];
  otherAdmin = await signIn(server.url, 'admin@other.test', { password: other.password });
  token = (await createApiToken(server.url, ana, { name: 'reader' })).auth;
});
afterAll(() => server.close());

const settings = (who: Record<string, string>) => call(server.url, 'GET', '/api/v1/workspace', { headers: who });
const patch = (who: Record<string, string> | undefined, body: unknown) => call(server.url, 'PATCH', '/api/v1/admin/workspace', { headers: who, body });

describe('workspace settings', () => {
  it('everyone of the firm reads them (API tokens too); defaults: UTC, both rules off', async () => {
    for (const who of [admin.auth, manager.auth, ana.auth, token]) {
      expect((await settings(who)).body).toEqual({ name: 'Demo firm', address: '', timeZone: 'UTC', requireApprovedWeeks: false, descriptionRequired: false });
    }
    expect((await settings(otherAdmin.auth)).body.name).toBe('Other firm');
    expect((await call(server.url, 'GET', '/api/v1/workspace')).status).toBe(401);
  });

  it('only admins change them; each change is audited with what changed', async () => {
    expect((await patch(manager.auth, { address: 'x' })).status).toBe(403);
    expect((await patch(ana.auth, { address: 'x' })).status).toBe(403);
    expect((await patch(token, { address: 'x' })).body.error.code).toBe('api_token_forbidden');
    expect((await patch(undefined, { address: 'x' })).status).toBe(401);
    const res = await patch(admin.auth, { name: '  Ledger & Co  ', address: '1 Ledger Lane\nLondon', timeZone: 'europe/london', requireApprovedWeeks: true });
    expect(res.body).toEqual({ name: 'Ledger & Co', address: '1 Ledger Lane\nLondon', timeZone: 'Europe/London', requireApprovedWeeks: true, descriptionRequired: false });
    expect((await settings(ana.auth)).body.name).toBe('Ledger & Co');
    expect((await settings(otherAdmin.auth)).body.name).toBe('Other firm');
    const audit = (await call(server.url, 'GET', '/api/v1/admin/audit-events?type=workspace_settings_changed', { headers: admin.auth })).body.events;
    expect(audit).toHaveLength(1);
    expect(audit[0].detail.fields.sort()).toEqual(['address', 'name', 'requireApprovedWeeks', 'timeZone']);
    // The same values again change nothing, and record nothing.
    await patch(admin.auth, { timeZone: 'Europe/London' });
    expect((await call(server.url, 'GET', '/api/v1/admin/audit-events?type=workspace_settings_changed', { headers: admin.auth })).body.events).toHaveLength(1);
    await patch(admin.auth, { requireApprovedWeeks: false, name: 'Demo firm', address: '', timeZone: 'UTC' });
  });

  it('refuses what is not a setting: an unknown zone, a blank name, unknown fields, an empty change', async () => {
    for (const body of [{ timeZone: 'Mars/Olympus' }, { timeZone: '+02:00' }, { name: '   ' }, { name: '' }, { colour: 'red' }, {}, { descriptionRequired: 'yes' }, { address: 'x'.repeat(1001) }]) {
      const res = await patch(admin.auth, body);
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    await fc.assert(
      fc.asyncProperty(fc.record({ name: fc.string({ maxLength: 220 }), address: fc.string({ maxLength: 40 }), timeZone: fc.string({ maxLength: 70 }), descriptionRequired: fc.boolean() }, { requiredKeys: [] }), async (body) => {
        const res = await patch(admin.auth, body);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
    await patch(admin.auth, { descriptionRequired: false, name: 'Demo firm', address: '', timeZone: 'UTC' });
  });

  it('"description required": new entries, timer starts and descriptions set blank are refused; old entries can still be corrected', async () => {
    const t = timeApi(server.url);
    const client = await t.createClient(admin, { name: 'Acme Ltd', hourlyRateCents: 100, currency: 'EUR' });
    const old = t.entryBody(client.id, '2026-11-02T09:00:00Z', '2026-11-02T10:00:00Z', { description: '' });
    expect((await t.post(ana, old)).status).toBe(201);
    await patch(admin.auth, { descriptionRequired: true });
    const blank = await t.post(ana, t.entryBody(client.id, '2026-11-03T09:00:00Z', '2026-11-03T10:00:00Z', { description: '   ' }));
    expect([blank.status, blank.body.error.code]).toEqual([400, 'description_required']);
    const timer = await call(server.url, 'POST', '/api/v1/timer/start', { headers: ana.auth, body: { clientId: client.id, description: '', billable: true } });
    expect(timer.body.error.code).toBe('description_required');
    expect((await t.post(ana, t.entryBody(client.id, '2026-11-03T09:00:00Z', '2026-11-03T10:00:00Z', { description: 'VAT' }))).status).toBe(201);
    expect((await t.patch(ana, old.id, { end: '2026-11-02T10:30:00Z' })).status).toBe(200);
    expect((await t.patch(ana, old.id, { description: '' })).body.error.code).toBe('description_required');
    expect((await t.patch(ana, old.id, { description: 'Filing' })).status).toBe(200);
    await patch(admin.auth, { descriptionRequired: false });
    expect((await t.post(ana, t.entryBody(client.id, '2026-11-04T09:00:00Z', '2026-11-04T10:00:00Z', { description: '' }))).status).toBe(201);
  });
});

describe('your profile', () => {
  it('name, time zone, clock and date format: changed with PATCH /me, answered by /me, a new name audited', async () => {
    const res = await call(server.url, 'PATCH', '/api/v1/me', { headers: manager.auth, body: { name: ' Morgan  Manager-Lee ', clock: '24h', dateFormat: 'dmy', timeZone: 'asia/kolkata' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Morgan Manager-Lee', clock: '24h', dateFormat: 'dmy', timeZone: 'Asia/Kolkata' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: manager.auth })).body.user).toMatchObject({ name: 'Morgan Manager-Lee', clock: '24h', dateFormat: 'dmy', timeZone: 'Asia/Kolkata' });
    const members = (await call(server.url, 'GET', '/api/v1/admin/members', { headers: admin.auth })).body.members;
    expect(members.find((m: { id: string }) => m.id === manager.user.id).name).toBe('Morgan Manager-Lee');
    const audit = (await call(server.url, 'GET', `/api/v1/admin/audit-events?type=profile_changed&userId=${manager.user.id}`, { headers: admin.auth })).body.events;
    expect(audit.map((e: { detail: unknown }) => e.detail)).toEqual([{ fromName: 'Morgan Manager', toName: 'Morgan Manager-Lee' }]);
    // Preferences alone are nobody else's business: no audit row.
    await call(server.url, 'PATCH', '/api/v1/me', { headers: manager.auth, body: { clock: '12h' } });
    expect((await call(server.url, 'GET', `/api/v1/admin/audit-events?type=profile_changed&userId=${manager.user.id}`, { headers: admin.auth })).body.events).toHaveLength(1);
    // New accounts read in the locale's own way.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).body.user).toMatchObject({ clock: 'auto', dateFormat: 'auto' });
  });

  it('refuses bad preferences, and API tokens', async () => {
    for (const body of [{}, { clock: '13h' }, { dateFormat: 'ddmmyy' }, { name: '' }, { name: '  ' }, { timeZone: 'Nowhere/Land' }, { role: 'admin' }]) {
      const res = await call(server.url, 'PATCH', '/api/v1/me', { headers: ana.auth, body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    expect((await call(server.url, 'PATCH', '/api/v1/me', { headers: token, body: { clock: '24h' } })).body.error.code).toBe('api_token_forbidden');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).body.user).toMatchObject({ name: 'Ana Accountant', role: 'accountant' });
  });
});
