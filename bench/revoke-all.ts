import { performance } from 'node:perf_hooks';
import type { BenchServer } from './fixtures.js';
import { insertSessions, insertUsers } from './fixtures.js';

/**
 * POST /api/v1/admin/sessions/revoke-all for a workspace with 100,000 active
 * sessions (1,000 members × 100). The request time includes the password
 * re-check (scrypt, ~tens of ms by design); the store time is the UPDATE alone.
 */
export async function benchRevokeAll(server: BenchServer, sessions = 100_000) {
  const admin = (await server.store.findUserByEmail('admin@demo.test'))!;
  const users = await insertUsers(server.db, admin.workspaceId, 1000);
  const perUser = Math.ceil(sessions / users.length);
  for (const [i, userId] of users.entries()) await insertSessions(server.db, { userId, workspaceId: admin.workspaceId, count: perUser, cookiePrefix: `all-${i}` });
  await server.db.settle();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-pass-2026' }),
  });
  const { token } = (await login.json()) as { token: string };
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/admin/sessions/revoke-all`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ password: 'demo-pass-2026' }),
  });
  const { revoked } = (await res.json()) as { revoked: number };
  const requestMs = performance.now() - t0;
  if (res.status !== 200 || revoked < sessions) throw new Error(`revoke-all answered ${res.status}, revoked ${revoked}`);
  return { activeSessions: revoked, requestMs };
}
