import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { secretHash } from '../../server/security/secrets.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /api/v1/events (Server-Sent Events)', () => {
  it('a revoked device receives session.revoked within 1 s of the revoke response, and its stream closes', async () => {
    const laptop = await signIn(server.url, 'ana@demo.test');
    const lost = await signIn(server.url, 'ana@demo.test');
    const stream = await openEventStream(server.url, lost.auth);
    expect(stream.status).toBe(200);
    const waiting = stream.next('session.revoked');
    const res = await call(server.url, 'DELETE', `/api/v1/sessions/${lost.session.id}`, { headers: laptop.auth });
    const respondedAt = performance.now();
    expect(res.status).toBe(204);
    const event = await waiting;
    expect(event.data).toEqual({ type: 'session.revoked', sessionId: lost.session.id, reason: 'revoked_by_user' });
    expect(event.at - respondedAt).toBeLessThan(1000);
    await stream.ended;
    expect(server.hub.size()).toBe(0);
  });

  it('tells the other sessions of the same user that the list changed, on sign-in and on revoke', async () => {
    const a = await signIn(server.url, 'ben@demo.test');
    const stream = await openEventStream(server.url, { cookie: `tab_session=${a.cookie}` });
    const onSignIn = stream.next('sessions.changed');
    const b = await signIn(server.url, 'ben@demo.test');
    expect((await onSignIn).data).toEqual({ type: 'sessions.changed', userId: a.user.id });
    const onRevoke = stream.next('sessions.changed');
    await call(server.url, 'DELETE', `/api/v1/sessions/${b.session.id}`, { headers: a.auth });
    await onRevoke;
    // Someone else's sign-in says nothing to Ben.
    const before = stream.events.length;
    await signIn(server.url, 'manager@demo.test');
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.events.length).toBe(before);
    stream.close();
  });

  it('sends session.revoked with the reason for admin revocations, workspace revoke-all and logout', async () => {
    const admin = await signIn(server.url, 'admin@demo.test');
    const byAdmin = await signIn(server.url, 'ana@demo.test');
    const s1 = await openEventStream(server.url, byAdmin.auth);
    const e1 = s1.next('session.revoked');
    await call(server.url, 'DELETE', `/api/v1/admin/members/${byAdmin.user.id}/sessions/${byAdmin.session.id}`, { headers: admin.auth });
    expect((await e1).data.reason).toBe('revoked_by_admin');

    const everyone = await signIn(server.url, 'manager@demo.test');
    const s2 = await openEventStream(server.url, everyone.auth);
    const e2 = s2.next('session.revoked');
    await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { password: 'demo-pass-2026' } });
    expect((await e2).data.reason).toBe('workspace_revoked');

    const leaving = await signIn(server.url, 'ben@demo.test');
    const s3 = await openEventStream(server.url, leaving.auth);
    const e3 = s3.next('session.revoked');
    await call(server.url, 'POST', '/api/v1/auth/logout', { headers: leaving.auth });
    expect((await e3).data.reason).toBe('signed_out');
    await Promise.all([s1.ended, s2.ended, s3.ended]);
  });

  it('refuses a revoked session with 401, and without credentials with 401', async () => {
    const a = await signIn(server.url, 'ana@demo.test');
    const b = await signIn(server.url, 'ana@demo.test');
    await call(server.url, 'DELETE', `/api/v1/sessions/${b.session.id}`, { headers: a.auth });
    expect((await openEventStream(server.url, b.auth)).status).toBe(401);
    expect((await openEventStream(server.url, {})).status).toBe(401);
  });

  it('tells an idle client that its session expired, without waiting for its next request', async () => {
    // A session made directly in the store, due to expire in 400 ms (no policy allows that little).
    const user = (await server.store.findUserByEmail('ben@demo.test'))!;
    const now = Date.now();
    await server.store.createSession(
      { id: 'short-lived', userId: user.id, workspaceId: user.workspaceId, cookieHash: secretHash('short-lived-cookie'), clientKind: 'web', label: 'web', browser: null, os: null, userAgent: '', ip: '127.0.0.1', createdAt: now, expiresAt: now + 400, idleTimeoutMs: 60_000 },
      null,
      { workspaceId: user.workspaceId, type: 'sign_in', at: now, targetUserId: user.id, sessionId: 'short-lived' },
    );
    const stream = await openEventStream(server.url, { cookie: 'tab_session=short-lived-cookie' });
    expect(stream.status).toBe(200);
    const event = await stream.next('session.revoked', 3000);
    expect(event.data).toEqual({ type: 'session.revoked', sessionId: 'short-lived', reason: 'absolute' });
    await stream.ended;
    const audit = (await sqlRow<{ n: number }>(server.store, `SELECT COUNT(*) AS n FROM audit_events WHERE type = 'session_expired' AND session_id = 'short-lived'`))!;
    expect(audit.n).toBe(1);
  });
});

