import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn, type SignedIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { createOtherFirm } from '../support/workspaces.js';
import { sqlRows } from '../support/sql.js';
import { onPostgres } from '../support/test-store.js';
import { DAY_MS, ManualClock } from '../../server/platform/clock.js';

/**
 * Members (issue #13, item 1): invitations (single use, 7 days, stored hashed,
 * re-issued, cancelled), roles (the last admin stays), deactivation and
 * password-reset links (every session and API token ends), each for the
 * roles that may, on the real server.
 */
let server: TestServer;
let clock: ManualClock;
let admin: SignedIn;
let manager: SignedIn;
let ana: SignedIn;
let otherAdmin: SignedIn;
let token: { authorization: string };

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
  server = await startTestServer({ clock });
  const other = await createOtherFirm(server.store, clock.now());
  [admin, manager, ana] = (await Promise.all(['admin', 'manager', 'ana'].map((n) => signIn(server.url, `${n}@demo.test`)))) as [SignedIn, SignedIn, SignedIn];
  otherAdmin = await signIn(server.url, 'admin@other.test', { password: other.password });
  token = (await createApiToken(server.url, admin, { name: 'admin script' })).auth;
});
afterAll(() => server.close());

const secretOf = (url: string) => url.slice(url.indexOf('#') + 1);
let n = 0;
const invite = async (who: SignedIn = admin, role = 'accountant') => {
  n++;
  const res = await call(server.url, 'POST', '/api/v1/admin/members', { headers: who.auth, body: { name: `Person ${n}`, email: `person${n}@demo.test`, role } });
  return res;
};
const complete = (secret: string, password = 'a-long-enough-password') => call(server.url, 'POST', '/api/v1/links/complete', { body: { token: secret, password } });
const lookup = (secret: string) => call(server.url, 'POST', '/api/v1/links/lookup', { body: { token: secret } });
const members = async () => (await call(server.url, 'GET', '/api/v1/admin/members', { headers: admin.auth })).body.members as { id: string; email: string; role: string; status: string; invitationExpiresAt: string | null }[];

describe('members: who may do what', () => {
  it('admins manage; managers only read the list; accountants, API tokens and other firms are refused', async () => {
    const target = (await invite()).body.member.id as string;
    const endpoints: [string, string, unknown?][] = [
      ['POST', '/api/v1/admin/members', { name: 'X', email: 'x@demo.test', role: 'accountant' }],
      ['POST', `/api/v1/admin/members/${target}/invitation`],
      ['DELETE', `/api/v1/admin/members/${target}/invitation`],
      ['PUT', `/api/v1/admin/members/${ana.user.id}/role`, { role: 'manager' }],
      ['POST', `/api/v1/admin/members/${ana.user.id}/disable`],
      ['POST', `/api/v1/admin/members/${ana.user.id}/enable`],
      ['POST', `/api/v1/admin/members/${ana.user.id}/password-reset`],
    ];
    for (const [method, path, body] of endpoints) {
      expect((await call(server.url, method, path, { headers: ana.auth, body })).status, `accountant ${method} ${path}`).toBe(403);
      expect((await call(server.url, method, path, { headers: manager.auth, body })).status, `manager ${method} ${path}`).toBe(403);
      const viaToken = await call(server.url, method, path, { headers: token, body });
      expect([viaToken.status, viaToken.body.error.code], `token ${method} ${path}`).toEqual([403, 'api_token_forbidden']);
      expect((await call(server.url, method, path, { body })).status, `nobody ${method} ${path}`).toBe(401);
    }
    // Another firm's admin: the member does not exist for them.
    for (const [method, path, body] of endpoints.slice(1)) {
      expect((await call(server.url, method, path, { headers: otherAdmin.auth, body })).status, `other firm ${method} ${path}`).toBe(404);
    }
    expect((await call(server.url, 'GET', '/api/v1/admin/members', { headers: manager.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/admin/members', { headers: ana.auth })).status).toBe(403);
    // Nothing above changed Ana.
    expect((await members()).find((m) => m.id === ana.user.id)).toMatchObject({ role: 'accountant', status: 'active' });
  });
});

describe('invitations', () => {
  it('an invited member exists as "invited", cannot sign in, and uses the link once to set a password and be signed in', async () => {
    const res = await invite(admin, 'manager');
    expect(res.status).toBe(201);
    const { member, link } = res.body;
    expect(member).toMatchObject({ status: 'invited', role: 'manager', activeSessions: 0, invitationExpiresAt: new Date(clock.now() + 7 * DAY_MS).toISOString() });
    expect(link).toMatchObject({ kind: 'invitation', delivery: 'shown', expiresAt: new Date(clock.now() + 7 * DAY_MS).toISOString() });
    expect(link.url).toMatch(new RegExp(`^${server.url}/link#[A-Za-z0-9_-]{43}$`));
    const secret = secretOf(link.url);
    // Kept only as a hash: the secret is in neither the database file nor its WAL (on PostgreSQL: in no row of the links or the audit log), nor in any log line.
    const stored = onPostgres
      ? [Buffer.from(JSON.stringify([await sqlRows(server.store, 'SELECT * FROM member_links'), await sqlRows(server.store, 'SELECT * FROM audit_events')]))]
      : [server.dbFile, `${server.dbFile}-wal`].map((file) => readFileSync(file));
    for (const bytes of stored) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(server.logLines.join('\n')).not.toContain(secret);

    const signInFirst = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: member.email, password: 'a-long-enough-password' } });
    expect(signInFirst.status).toBe(401);

    expect((await lookup(secret)).body).toEqual({ kind: 'invitation', name: member.name, email: member.email, workspaceName: 'Demo firm', expiresAt: link.expiresAt });
    const done = await complete(secret);
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ id: member.id, role: 'manager' });
    expect(done.headers.get('set-cookie')).toMatch(/tab_session=/);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${done.body.token}` } })).status).toBe(200);
    expect((await members()).find((m) => m.id === member.id)).toMatchObject({ status: 'active', invitationExpiresAt: null, activeSessions: 1 });
    // Single use, and the password works from now on.
    expect((await complete(secret, 'another-long-password')).body.error.code).toBe('link_used');
    expect((await lookup(secret)).status).toBe(410);
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: member.email, password: 'a-long-enough-password' } })).status).toBe(200);
    // Accepted: nothing left to re-issue or cancel.
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${member.id}/invitation`, { headers: admin.auth })).status).toBe(409);
    expect((await call(server.url, 'DELETE', `/api/v1/admin/members/${member.id}/invitation`, { headers: admin.auth })).status).toBe(409);
  });

  it('expires after 7 days; a re-issued link replaces the old one', async () => {
    const { member, link } = (await invite()).body;
    const reissued = await call(server.url, 'POST', `/api/v1/admin/members/${member.id}/invitation`, { headers: admin.auth });
    expect(reissued.status).toBe(200);
    expect((await lookup(secretOf(link.url))).status).toBe(404);
    expect((await complete(secretOf(link.url))).status).toBe(404);
    clock.advance(7 * DAY_MS);
    // A week idle ends the sessions too (the default inactivity timeout): sign in again.
    [admin, manager, ana] = (await Promise.all(['admin', 'manager', 'ana'].map((who) => signIn(server.url, `${who}@demo.test`)))) as [SignedIn, SignedIn, SignedIn];
    const expired = await complete(secretOf(reissued.body.url));
    expect([expired.status, expired.body.error.code]).toEqual([410, 'link_expired']);
    expect((await members()).find((m) => m.id === member.id)?.status).toBe('invited');
    const fresh = await call(server.url, 'POST', `/api/v1/admin/members/${member.id}/invitation`, { headers: admin.auth });
    expect((await complete(secretOf(fresh.body.url))).status).toBe(200);
  });

  it('cancelling removes the invited member and their link; the address can be invited again; a taken address is refused', async () => {
    const { member, link } = (await invite()).body;
    expect((await call(server.url, 'DELETE', `/api/v1/admin/members/${member.id}/invitation`, { headers: admin.auth })).status).toBe(204);
    expect((await members()).some((m) => m.id === member.id)).toBe(false);
    expect((await lookup(secretOf(link.url))).status).toBe(404);
    const again = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body: { name: 'Again', email: member.email.toUpperCase(), role: 'accountant' } });
    expect(again.status).toBe(201);
    const taken = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body: { name: 'Dup', email: 'ANA@demo.test', role: 'accountant' } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'conflict']);
    const elsewhere = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body: { name: 'Dup', email: 'admin@other.test', role: 'accountant' } });
    expect(elsewhere.status).toBe(409);
  });

  it('two uses of one link at the same moment: exactly one wins', async () => {
    const { link } = (await invite()).body;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => complete(secretOf(link.url), `password-number-${i}-long`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410).map((r) => r.body.error.code)).toEqual(Array(5).fill('link_used'));
  });

  it('refuses bad invitations and bad link bodies with 400, and never answers 5xx to random input', async () => {
    for (const body of [
      {},
      { name: 'A', email: 'not-an-email', role: 'accountant' },
      { name: '', email: 'a@b.c', role: 'accountant' },
      { name: '   ', email: 'blank@demo.test', role: 'accountant' },
      { name: 'A', email: 'a@b.c', role: 'owner' },
      { name: 'A', email: 'a@b.c', role: 'accountant', extra: 1 },
    ]) {
      const res = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    expect((await complete('whatever', 'short')).status).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 250 }), fc.string({ maxLength: 40 }), async (secret, password) => {
        const looked = await lookup(secret);
        expect([400, 404]).toContain(looked.status);
        const done = await complete(secret, password);
        expect([400, 404]).toContain(done.status);
        expect(done.body.error.code).toMatch(/^(invalid_request|not_found)$/);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.record({ name: fc.string({ maxLength: 210 }), email: fc.string({ maxLength: 40 }), role: fc.constantFrom('admin', 'manager', 'accountant', 'x') }, { requiredKeys: [] }), async (body) => {
        const res = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body });
        expect([201, 400, 409]).toContain(res.status);
        if (res.status === 201) await call(server.url, 'DELETE', `/api/v1/admin/members/${res.body.member.id}/invitation`, { headers: admin.auth });
      }),
      { numRuns: 40 },
    );
  });
});

describe('roles', () => {
  it("a role change is seen on the member's very next request, and their open stream is told", async () => {
    const stream = await openEventStream(server.url, ana.auth);
    expect((await call(server.url, 'GET', '/api/v1/admin/members', { headers: ana.auth })).status).toBe(403);
    const changed = stream.next('account.changed');
    const res = await call(server.url, 'PUT', `/api/v1/admin/members/${ana.user.id}/role`, { headers: admin.auth, body: { role: 'manager' } });
    expect(res.body).toMatchObject({ id: ana.user.id, role: 'manager', status: 'active' });
    expect((await changed).data).toEqual({ type: 'account.changed', userId: ana.user.id });
    expect((await call(server.url, 'GET', '/api/v1/admin/members', { headers: ana.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).body.user.role).toBe('manager');
    // As a manager, Ana's stream now hears Ben's time; back as an accountant, it does not.
    const ben = await signIn(server.url, 'ben@demo.test');
    const client = await call(server.url, 'POST', '/api/v1/clients', { headers: admin.auth, body: { name: 'Roles Ltd', hourlyRateCents: 100, currency: 'EUR' } });
    const entry = (start: number) => ({ id: crypto.randomUUID(), clientId: client.body.id, description: 'x', start: new Date(start).toISOString(), end: new Date(start + 60_000).toISOString(), billable: true });
    const heard = stream.next('time.changed');
    await call(server.url, 'POST', '/api/v1/entries', { headers: ben.auth, body: entry(clock.now() - 3_600_000) });
    expect((await heard).data.userId).toBe(ben.user.id);
    await call(server.url, 'PUT', `/api/v1/admin/members/${ana.user.id}/role`, { headers: admin.auth, body: { role: 'accountant' } });
    const before = stream.events.filter((e) => e.type === 'time.changed').length;
    await call(server.url, 'POST', '/api/v1/entries', { headers: ben.auth, body: entry(clock.now() - 7_200_000) });
    const own = stream.next('time.changed');
    await call(server.url, 'POST', '/api/v1/entries', { headers: ana.auth, body: entry(clock.now() - 10_800_000) });
    expect((await own).data.userId).toBe(ana.user.id);
    expect(stream.events.filter((e) => e.type === 'time.changed').length).toBe(before + 1);
    stream.close();
  });

  it('the last active admin cannot be demoted or deactivated, even by two admins at once', async () => {
    const alone = await call(server.url, 'PUT', `/api/v1/admin/members/${admin.user.id}/role`, { headers: admin.auth, body: { role: 'manager' } });
    expect([alone.status, alone.body.error.code]).toEqual([409, 'last_admin']);
    expect((await call(server.url, 'PUT', `/api/v1/admin/members/${admin.user.id}/role`, { headers: admin.auth, body: { role: 'admin' } })).status).toBe(200);
    for (let round = 0; round < 4; round++) {
      // Make a second admin, then each demotes (or deactivates) the other at the same time.
      const { member, link } = (await invite(admin, 'admin')).body;
      const second = await complete(secretOf(link.url));
      const secondAuth = { authorization: `Bearer ${second.body.token}` };
      const [a, b] = await Promise.all(
        round % 2 === 0
          ? [
              call(server.url, 'PUT', `/api/v1/admin/members/${member.id}/role`, { headers: admin.auth, body: { role: 'accountant' } }),
              call(server.url, 'PUT', `/api/v1/admin/members/${admin.user.id}/role`, { headers: secondAuth, body: { role: 'accountant' } }),
            ]
          : [
              call(server.url, 'POST', `/api/v1/admin/members/${member.id}/disable`, { headers: admin.auth }),
              call(server.url, 'POST', `/api/v1/admin/members/${admin.user.id}/disable`, { headers: secondAuth }),
            ],
      );
      const statuses = [a.status, b.status].sort();
      // One wins; the other is refused (409 last_admin, or 401/403 when its own admin rights ended first).
      expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
      const admins = (await sqlRows(server.store, `SELECT id FROM users WHERE workspace_id = ? AND role = 'admin' AND disabled_at IS NULL AND invited_at IS NULL`, admin.user.workspaceId)) as { id: string }[];
      expect(admins).toHaveLength(1);
      // Put things back so the next round starts from the demo admin.
      if (admins[0]!.id !== admin.user.id) {
        const survivor = secondAuth;
        await call(server.url, 'POST', `/api/v1/admin/members/${admin.user.id}/enable`, { headers: survivor });
        await call(server.url, 'PUT', `/api/v1/admin/members/${admin.user.id}/role`, { headers: survivor, body: { role: 'admin' } });
        admin = await signIn(server.url, 'admin@demo.test');
        await call(server.url, 'PUT', `/api/v1/admin/members/${member.id}/role`, { headers: admin.auth, body: { role: 'accountant' } });
      }
    }
  });
});

describe('deactivation and password resets', () => {
  it('deactivating ends every session and API token of the member at once; reactivating lets them sign in again', async () => {
    const ben1 = await signIn(server.url, 'ben@demo.test');
    const ben2 = await signIn(server.url, 'ben@demo.test');
    const benToken = (await createApiToken(server.url, ben1, { name: 'bens script' })).token;
    const stream = await openEventStream(server.url, ben2.auth);
    const revoked = stream.next('session.revoked');
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${ben1.user.id}/disable`, { headers: admin.auth })).status).toBe(204);
    expect((await revoked).data.reason).toBe('member_disabled');
    for (const headers of [ben1.auth, { authorization: `Bearer ${benToken}` }]) expect((await call(server.url, 'GET', '/api/v1/me', { headers })).status).toBe(401);
    const row = (await call(server.url, 'GET', `/api/v1/admin/audit-events?type=member_disabled&userId=${ben1.user.id}`, { headers: admin.auth })).body.events[0];
    expect(row.detail).toMatchObject({ apiTokensRevoked: 1 });
    expect(row.detail.revoked).toBeGreaterThanOrEqual(2); // these two, and any other of Ben's still open
    expect((await members()).find((m) => m.id === ben1.user.id)?.status).toBe('disabled');
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ben@demo.test', password: 'demo-pass-2026' } })).body.error.code).toBe('account_disabled');
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${ben1.user.id}/password-reset`, { headers: admin.auth })).status).toBe(409);
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${ben1.user.id}/enable`, { headers: admin.auth })).status).toBe(204);
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ben@demo.test', password: 'demo-pass-2026' } })).status).toBe(200);
    // The API token stays revoked: reactivation does not bring old credentials back.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${benToken}` } })).status).toBe(401);
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${admin.user.id}/disable`, { headers: admin.auth })).status).toBe(400);
  });

  it('a reset link shows whose it is; using it ends all their sessions (reason password_reset) and API tokens, sets the password and signs in', async () => {
    const old1 = await signIn(server.url, 'ana@demo.test');
    const anaToken = (await createApiToken(server.url, old1, { name: 'ana script' })).token;
    const stream = await openEventStream(server.url, old1.auth);
    const issued = await call(server.url, 'POST', `/api/v1/admin/members/${old1.user.id}/password-reset`, { headers: admin.auth });
    expect(issued.body).toMatchObject({ kind: 'password_reset', delivery: 'shown', expiresAt: new Date(clock.now() + DAY_MS).toISOString() });
    const secret = secretOf(issued.body.url);
    expect((await lookup(secret)).body).toMatchObject({ kind: 'password_reset', name: 'Ana Accountant', email: 'ana@demo.test' });
    // Issuing changed nothing yet.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: old1.auth })).status).toBe(200);
    const ended = stream.next('session.revoked');
    const done = await complete(secret, 'anas-new-passphrase');
    expect(done.status).toBe(200);
    expect((await ended).data.reason).toBe('password_reset');
    const refused = await call(server.url, 'GET', '/api/v1/me', { headers: old1.auth });
    expect([refused.status, refused.body.error.reason]).toEqual([401, 'password_reset']);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${anaToken}` } })).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${done.body.token}` } })).status).toBe(200);
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' } })).status).toBe(401);
    ana = await signIn(server.url, 'ana@demo.test', { password: 'anas-new-passphrase' });
    const audit = (await call(server.url, 'GET', `/api/v1/admin/audit-events?type=password_reset_completed`, { headers: admin.auth })).body.events[0];
    expect(audit.detail).toMatchObject({ sessionsRevoked: expect.any(Number), apiTokensRevoked: 1 });
    expect(audit.detail.sessionsRevoked).toBeGreaterThanOrEqual(2);
    stream.close();
  });
});
