import { performance } from 'node:perf_hooks';
import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions, insertUsers } from './fixtures.js';

/**
 * GET /api/v1/sessions latency with 1,000,000 rows in device_sessions: the
 * caller has 5 live sessions among a million others (spread over 1,000 users,
 * a third of them revoked). Sequential requests from a separate client
 * process on one keep-alive connection, so the figure is the server's
 * latency, not queueing.
 */
export async function benchSessionsAtScale(server: BenchServer, totalRows = 1_000_000, samples = 2000) {
  const demo = (await server.store.findUserByEmail('ben@demo.test'))!;
  const started = performance.now();
  const users = await insertUsers(server.db, demo.workspaceId, 1000);
  const perUser = Math.floor((totalRows - 5) / users.length);
  for (const [i, userId] of users.entries()) {
    await insertSessions(server.db, { userId, workspaceId: demo.workspaceId, count: perUser, revokedShare: 0.33, cookiePrefix: `scale-${i}` });
  }
  await insertSessions(server.db, { userId: demo.id, workspaceId: demo.workspaceId, count: 5, cookiePrefix: 'scale-ben' });
  const rows = await server.db.count('device_sessions');
  const seedSeconds = (performance.now() - started) / 1000;

  const headers = { cookie: 'tab_session=scale-ben-0' };
  const url = `${server.url}/api/v1/sessions`;
  const first = (await (await fetch(url, { headers })).json()) as { sessions: unknown[] };
  if (first.sessions.length !== 5) throw new Error(`expected 5 sessions, got ${first.sessions.length}`);
  await server.db.settle();
  const r = await runLoadClient({ kind: 'sequential', url, headers, warmup: 300, samples });
  return { rows, seedSeconds, samples, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
}
