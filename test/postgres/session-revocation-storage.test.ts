import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { otherConnection } from '../support/test-store.js';

/**
 * PostgreSQL's device_sessions storage (migration 19): a revocation writes
 * only revoked_at, revoked_by and revoke_reason, which no index mentions, and
 * every page keeps room for a new version of each row on it, so revoking every
 * session at once is all HOT updates (no new index entries; the revoke-all
 * bench's UPDATE went from ~15 buffers per row to ~3). An index that names a
 * revocation column, even in its condition, or a fillfactor without the room,
 * fails this test.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('revocations on PostgreSQL are HOT updates', () => {
  it('revoking 2,000 live sessions, pages filled by sign-ins, updates every row in place; the revoke-all then marks each one', async () => {
    const admin = await signIn(server.url, 'admin@demo.test');
    const ana = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Ana’s laptop' });
    const db = await otherConnection(server.dbLocation);
    try {
      // 2,000 more sessions like Ana's (new ids and cookies), as many sign-ins would write them: many full pages.
      await db.run(
        `INSERT INTO device_sessions (id, user_id, workspace_id, cookie_hash, client_kind, label, browser, os, user_agent, ip, created_at,
           last_seen_at, expires_at, idle_timeout_ms, cookie_issued_at, cookie_used_at, last_ip)
         SELECT gen_random_uuid()::text, user_id, workspace_id, sha256(convert_to(g::text || id, 'UTF8')), client_kind, label, browser, os,
           user_agent, ip, created_at + g, last_seen_at, expires_at, idle_timeout_ms, cookie_issued_at, cookie_used_at, last_ip
         FROM device_sessions, generate_series(1, 2000) AS g WHERE id = ?`,
        ana.session.id,
      );
      const now = Date.now();
      const [live] = (await db.run(
        `SELECT count(*)::int AS n FROM device_sessions WHERE revoked_at IS NULL AND expires_at > ? AND last_seen_at + idle_timeout_ms > ?`, now, now,
      )) as { n: number }[];
      expect(live!.n).toBeGreaterThan(2000);

      await db.run('BEGIN');
      await db.run(`UPDATE device_sessions SET revoked_at = ?, revoked_by = ?, revoke_reason = 'workspace_revoked' WHERE revoked_at IS NULL AND expires_at > ? AND last_seen_at + idle_timeout_ms > ?`, now, admin.user.id, now, now);
      const [stats] = (await db.run(`SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = 'device_sessions'`)) as { updated: number; hot: number }[];
      await db.run('ROLLBACK');
      expect(stats!.updated).toBe(live!.n);
      expect(stats!.hot).toBe(stats!.updated);

      // The real path: every session but the admin's ends, each with its own revocation shown.
      const res = await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { password: DEMO_PASSWORD } });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(live!.n - 1);
      const rows = (await db.run(`SELECT revoke_reason AS reason, revoked_by AS by, count(*)::int AS n FROM device_sessions WHERE id <> ? AND expires_at > ? AND last_seen_at + idle_timeout_ms > ? GROUP BY 1, 2`, admin.session.id, now, now)) as { reason: string; by: string; n: number }[];
      expect(rows).toEqual([{ reason: 'workspace_revoked', by: admin.user.id, n: live!.n - 1 }]);
      expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(401);
    } finally {
      await db.close();
    }
  });
});
