import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions } from './fixtures.js';

export interface ThroughputResult {
  healthz: { reqPerSec: number; p99Ms: number };
  /** Five sessions, four of them with a location (Lisbon, Portugal). */
  sessions: { reqPerSec: number; p99Ms: number };
  /** The same list, no location in any row: what the list cost before issue #16. */
  sessionsWithoutLocations: { reqPerSec: number; p99Ms: number };
  ratio: number;
  ratioWithoutLocations: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const r = await runLoadClient({ kind: 'autocannon', url, headers, seconds, connections: 10 });
  return { reqPerSec: r.reqPerSec, p99Ms: r.p99Ms };
}

/** A user with 5 live sessions (4 inserted, 1 signed in), and that session's JWT. */
async function userWithFiveSessions(server: BenchServer, email: string, withoutLocation: boolean): Promise<Record<string, string>> {
  const user = (await server.store.findUserByEmail(email))!;
  await insertSessions(server.db, { userId: user.id, workspaceId: user.workspaceId, count: 4, cookiePrefix: `throughput-${email}`, withoutLocation });
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-pass-2026' }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const check = (await (await fetch(`${server.url}/api/v1/sessions`, { headers: auth })).json()) as { sessions: { location: unknown }[] };
  if (check.sessions.length !== 5) throw new Error(`expected 5 sessions, got ${check.sessions.length}`);
  const located = check.sessions.filter((s) => s.location !== null).length;
  if (located !== (withoutLocation ? 0 : 4)) throw new Error(`expected ${withoutLocation ? 0 : 4} sessions with a location, got ${located}`);
  return auth;
}

/**
 * Authenticated GET /api/v1/sessions (a user with 5 sessions; JWT verified,
 * the account's version read from the database, the session checked, its
 * address compared with the last one, the list built) against unauthenticated
 * GET /healthz on the same server, one after the other in the same run; and
 * the same list for a user whose rows have no location, so that the cost of
 * locations in the rows is measured within one run. Nothing is written during
 * the run, so after the first request the account's rows come from its
 * snapshot: the steady state of a device polling its list.
 */
export async function benchSessionsThroughput(server: BenchServer, seconds = 9, rounds = 3): Promise<ThroughputResult> {
  const located = await userWithFiveSessions(server, 'ana@demo.test', false);
  const plain = await userWithFiveSessions(server, 'ben@demo.test', true);

  // Everything warmed up the same way (JIT, connection pools) before anything is measured.
  await load(`${server.url}/healthz`, {}, 2);
  await load(`${server.url}/api/v1/sessions`, located, 2);
  await load(`${server.url}/api/v1/sessions`, plain, 2);
  // Short runs in turn, in rounds, so that a change in the machine's load (it is shared) falls on all three alike.
  const runs = { healthz: [] as Run[], plain: [] as Run[], located: [] as Run[] };
  const each = seconds / rounds;
  for (let round = 0; round < rounds; round++) {
    runs.healthz.push(await load(`${server.url}/healthz`, {}, each));
    runs.plain.push(await load(`${server.url}/api/v1/sessions`, plain, each));
    runs.located.push(await load(`${server.url}/api/v1/sessions`, located, each));
  }
  const healthz = combined(runs.healthz);
  const sessionsWithoutLocations = combined(runs.plain);
  const sessions = combined(runs.located);
  return {
    healthz,
    sessions,
    sessionsWithoutLocations,
    ratio: sessions.reqPerSec / healthz.reqPerSec,
    ratioWithoutLocations: sessionsWithoutLocations.reqPerSec / healthz.reqPerSec,
  };
}

type Run = { reqPerSec: number; p99Ms: number };
/** Mean throughput of equal-length runs; the worst p99 among them. */
const combined = (runs: Run[]): Run => ({
  reqPerSec: runs.reduce((sum, r) => sum + r.reqPerSec, 0) / runs.length,
  p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
});
