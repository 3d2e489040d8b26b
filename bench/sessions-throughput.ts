import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions } from './fixtures.js';

export interface ThroughputResult {
  healthz: { reqPerSec: number; p99Ms: number };
  sessions: { reqPerSec: number; p99Ms: number };
  ratio: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const r = await runLoadClient({ kind: 'autocannon', url, headers, seconds, connections: 10 });
  return { reqPerSec: r.reqPerSec, p99Ms: r.p99Ms };
}

/**
 * Authenticated GET /api/v1/sessions (a user with 5 sessions; JWT verified,
 * the account's version read from the database, the session checked, the list
 * built) against unauthenticated GET /healthz on the same server, one after
 * the other in the same run. Nothing is written during the run, so after the
 * first request the account's rows come from its snapshot: the steady state of
 * a device polling its list.
 */
export async function benchSessionsThroughput(server: BenchServer, seconds = 8): Promise<ThroughputResult> {
  const user = (await server.store.findUserByEmail('ana@demo.test'))!;
  await insertSessions(server.db, { userId: user.id, workspaceId: user.workspaceId, count: 4, cookiePrefix: 'throughput' });
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@demo.test', password: 'demo-pass-2026' }),
  });
  const { token } = (await login.json()) as { token: string };
  const check = await (await fetch(`${server.url}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } })).json() as { sessions: unknown[] };
  if (check.sessions.length !== 5) throw new Error(`expected 5 sessions, got ${check.sessions.length}`);

  // Both warmed up the same way (JIT, connection pools) before either is measured.
  const sessionsAuth = { authorization: `Bearer ${token}` };
  await load(`${server.url}/healthz`, {}, 2);
  await load(`${server.url}/api/v1/sessions`, sessionsAuth, 2);
  const healthz = await load(`${server.url}/healthz`, {}, seconds);
  const sessions = await load(`${server.url}/api/v1/sessions`, sessionsAuth, seconds);
  return { healthz, sessions, ratio: sessions.reqPerSec / healthz.reqPerSec };
}
