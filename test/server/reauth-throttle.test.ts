import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
afterEach(() => server?.close());

/** The three password re-checks, each as a request with the given password. */
const rechecks = {
  password_change: (who: SignedIn, password: string) =>
    call(server.url, 'POST', '/api/v1/me/password', { headers: who.auth, body: { currentPassword: password, newPassword: 'another-long-password', signOutOtherSessions: false } }),
  workspace_revoke_all: (who: SignedIn, password: string) => call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: who.auth, body: { password } }),
  api_token_create: (who: SignedIn, password: string) =>
    call(server.url, 'POST', '/api/v1/api-tokens', { headers: who.auth, body: { name: 'x', scopes: ['time:read'], currentPassword: password } }),
};

async function reauthAudit(admin: SignedIn, userId: string) {
  const res = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=reauth_failed&userId=${userId}&limit=200`, { headers: admin.auth });
  return res.body.events as { actorUserId: string; sessionId: string; ip: string; detail: { action: string } }[];
}

describe('password re-checks: throttled per user, audited', () => {
  it('40 parallel wrong re-checks: at most 10 × 403, the rest 429 with Retry-After; the right password inside the burst is refused too', async () => {
    const clock = new ManualClock(Date.now());
    server = await startTestServer({ clock });
    const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
    let burstAnswered = false;
    const burst = Promise.all(Array.from({ length: 40 }, (_, i) => rechecks.workspace_revoke_all(admin, `guess-${i}`))).then((a) => ((burstAnswered = true), a));
    await vi.waitFor(async () => expect((await sqlRow<{ n: number }>(server.store, `SELECT COUNT(*) AS n FROM auth_attempts WHERE key = ?`, `reauth:${admin.user.id}`))!.n).toBe(10), {
      interval: 2,
      timeout: 20_000,
    });
    const right = await rechecks.workspace_revoke_all(admin, 'demo-pass-2026');
    expect(burstAnswered).toBe(false);
    const answers = await burst;
    expect(answers.filter((a) => a.status === 403)).toHaveLength(10);
    for (const a of answers.filter((x) => x.status === 403)) expect(a.body.error.code).toBe('reauth_failed');
    expect(answers.filter((a) => a.status === 429)).toHaveLength(30);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nobody was signed out: the right password never got through.
    const ana = await signIn(server.url, 'ana@demo.test');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);

    const audit = await reauthAudit(admin, admin.user.id);
    expect(audit).toHaveLength(10);
    expect(audit[0]).toMatchObject({ actorUserId: admin.user.id, sessionId: admin.session.id, ip: '127.0.0.1', detail: { action: 'workspace_revoke_all' } });
    expect(JSON.stringify(audit)).not.toMatch(/guess-/);

    clock.advance(15 * MINUTE_MS + 1000);
    expect((await rechecks.workspace_revoke_all(admin, 'demo-pass-2026')).status).toBe(200);
  });

  it('every re-check counts against the same limit, whichever action and session it comes from, and is audited with its action', async () => {
    server = await startTestServer();
    const admin = await signIn(server.url, 'admin@demo.test');
    const other = await signIn(server.url, 'admin@demo.test');
    const order = ['password_change', 'workspace_revoke_all', 'api_token_create'] as const;
    for (let i = 0; i < 10; i++) {
      const res = await rechecks[order[i % 3]!](i % 2 ? admin : other, 'wrong');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('reauth_failed');
    }
    for (const action of order) expect((await rechecks[action](admin, 'demo-pass-2026')).status).toBe(429);
    // Another user's re-checks are their own.
    const manager = await signIn(server.url, 'manager@demo.test');
    expect((await rechecks.api_token_create(manager, 'demo-pass-2026')).status).toBe(201);
    const audit = await reauthAudit(admin, admin.user.id);
    expect(audit.map((e) => e.detail.action).sort()).toEqual([...Array(3).fill('api_token_create'), ...Array(4).fill('password_change'), ...Array(3).fill('workspace_revoke_all')].sort());
  });

  it('a right password clears the failures (as a successful sign-in does)', async () => {
    server = await startTestServer();
    const ana = await signIn(server.url, 'ana@demo.test');
    for (let i = 0; i < 9; i++) expect((await rechecks.api_token_create(ana, 'wrong')).status).toBe(403);
    expect((await rechecks.api_token_create(ana, 'demo-pass-2026')).status).toBe(201);
    for (let i = 0; i < 9; i++) expect((await rechecks.api_token_create(ana, 'wrong')).status).toBe(403);
    expect((await rechecks.api_token_create(ana, 'demo-pass-2026')).status).toBe(201);
  });
});
