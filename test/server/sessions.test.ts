import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { sqlRow } from '../support/sql.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';

describe('GET /api/v1/sessions', () => {
  it("lists only the caller's active sessions, current first, then newest seen first, without secrets", async () => {
    const a = await signIn(server.url, 'ana@demo.test');
    const b = await signIn(server.url, 'ana@demo.test', { userAgent: FIREFOX_WIN });
    const c = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: "Ana's MacBook Pro" });
    await signIn(server.url, 'ben@demo.test'); // someone else's
    const res = await call(server.url, 'GET', '/api/v1/sessions', { headers: b.auth });
    expect(res.status).toBe(200);
    const ids = res.body.sessions.map((s: { id: string }) => s.id);
    expect(ids[0]).toBe(b.session.id);
    expect(ids).toEqual(expect.arrayContaining([a.session.id, c.session.id]));
    expect(res.body.sessions.filter((s: { isCurrent: boolean }) => s.isCurrent)).toHaveLength(1);
    expect(res.body.sessions[0]).toMatchObject({ label: 'Firefox 121, Windows', isCurrent: true });
    const lastSeen = res.body.sessions.slice(1).map((s: { lastSeenAt: string }) => s.lastSeenAt);
    expect([...lastSeen].sort().reverse()).toEqual(lastSeen);
    const text = JSON.stringify(res.body);
    for (const secret of [a.cookie, b.cookie, c.cookie, a.token, c.token]) expect(text).not.toContain(secret);
  });
});

describe('two devices of one user', () => {
  it('one revokes the other, whose very next request is 401 session_revoked', async () => {
    const laptop = await signIn(server.url, 'ben@demo.test');
    const lost = await signIn(server.url, 'ben@demo.test', { client: 'desktop', deviceName: 'Lost laptop' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: lost.auth })).status).toBe(200);

    const del = await call(server.url, 'DELETE', `/api/v1/sessions/${lost.session.id}`, { headers: laptop.auth });
    expect(del.status).toBe(204);

    for (const headers of [lost.auth, { cookie: `tab_session=${lost.cookie}` }]) {
      const next = await call(server.url, 'GET', '/api/v1/sessions', { headers });
      expect(next.status).toBe(401);
      expect(next.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_user' });
    }
    const list = await call(server.url, 'GET', '/api/v1/sessions', { headers: laptop.auth });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).not.toContain(lost.session.id);

    const row = (await sqlRow(server.store, 'SELECT revoked_at, revoked_by, revoke_reason FROM device_sessions WHERE id = ?', lost.session.id))!;
    expect(row).toMatchObject({ revoked_by: laptop.user.id, revoke_reason: 'revoked_by_user' });
    expect(typeof row.revoked_at).toBe('number');
  });

  it('refuses to revoke the current session (400), and answers 404 for unknown, foreign and already revoked ids', async () => {
    const mine = await signIn(server.url, 'ana@demo.test');
    const other = await signIn(server.url, 'ana@demo.test');
    const bens = await signIn(server.url, 'ben@demo.test');

    const current = await call(server.url, 'DELETE', `/api/v1/sessions/${mine.session.id}`, { headers: mine.auth });
    expect(current.status).toBe(400);
    expect(current.body.error.code).toBe('current_session');

    const foreign = await call(server.url, 'DELETE', `/api/v1/sessions/${bens.session.id}`, { headers: mine.auth });
    const unknown = await call(server.url, 'DELETE', '/api/v1/sessions/00000000-0000-4000-8000-000000000000', { headers: mine.auth });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    // Ben's session is untouched.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: bens.auth })).status).toBe(200);

    expect((await call(server.url, 'DELETE', `/api/v1/sessions/${other.session.id}`, { headers: mine.auth })).status).toBe(204);
    const again = await call(server.url, 'DELETE', `/api/v1/sessions/${other.session.id}`, { headers: mine.auth });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it('DELETE /sessions/others revokes every other session and answers how many; 0 when none are left', async () => {
    const keep = await signIn(server.url, 'manager@demo.test');
    const before = await call(server.url, 'GET', '/api/v1/sessions', { headers: keep.auth });
    const others = [await signIn(server.url, 'manager@demo.test'), await signIn(server.url, 'manager@demo.test')];
    const res = await call(server.url, 'DELETE', '/api/v1/sessions/others', { headers: keep.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: before.body.sessions.length - 1 + others.length, apiTokens: 0 });
    for (const o of others) expect((await call(server.url, 'GET', '/api/v1/me', { headers: o.auth })).status).toBe(401);
    const list = await call(server.url, 'GET', '/api/v1/sessions', { headers: keep.auth });
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([keep.session.id]);
    expect((await call(server.url, 'DELETE', '/api/v1/sessions/others', { headers: keep.auth })).body).toEqual({ revoked: 0, apiTokens: 0 });
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write from another site, and allows it from the same origin', async () => {
    const victim = await signIn(server.url, 'ana@demo.test');
    const target = await signIn(server.url, 'ana@demo.test');
    const cookie = { cookie: `tab_session=${victim.cookie}` };
    for (const headers of [
      { ...cookie, origin: 'https://evil.example' },
      { ...cookie, 'sec-fetch-site': 'cross-site' },
      { ...cookie, 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1' },
      { ...cookie, origin: 'null' },
    ]) {
      const res = await call(server.url, 'DELETE', `/api/v1/sessions/${target.session.id}`, { headers });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_rejected');
    }
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: target.auth })).status).toBe(200);
    const host = new URL(server.url).host;
    const same = await call(server.url, 'DELETE', `/api/v1/sessions/${target.session.id}`, {
      headers: { ...cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(204);
  });

  it('does not apply to Bearer-authenticated calls (a page cannot attach a header cross-site)', async () => {
    const a = await signIn(server.url, 'ben@demo.test');
    const b = await signIn(server.url, 'ben@demo.test');
    const res = await call(server.url, 'DELETE', `/api/v1/sessions/${b.session.id}`, { headers: { ...a.auth, origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(204);
  });
});
