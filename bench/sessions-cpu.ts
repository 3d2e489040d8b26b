// CPU per authenticated list, less dependent on the machine's load than req/s (bench/RESULTS.md, 2026-12-02 pg-throughput):
//   npx tsx bench/sessions-cpu.ts [postgres|sqlite] [rounds]      (PostgreSQL: TAB_TEST_PG_URL, as scripts/bench.sh sets it)
// One bench server; rounds of GET /healthz then GET /api/v1/sessions (5 sessions, JWT) under autocannon (10 connections,
// a separate process). Per request: the server process's CPU (process.cpuUsage: this process is the server), the CPU
// of the database cluster's processes (PostgreSQL on this machine: /proc of the postmaster's children; the bench's own cluster), and the statements the
// server sent (every pg.Client query counted). Medians over the rounds, and each round's figures.
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { benchPostgresUrl, insertSessions, startBenchServer } from './fixtures.js';
import { runLoadClient } from './load-client.js';

const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'sqlite';
const rounds = Number(process.argv[3] ?? 5);
const seconds = 2;
if (kind === 'postgres' && !benchPostgresUrl()) throw new Error('PostgreSQL: set TAB_TEST_PG_URL (scripts/postgres-cluster.sh starts a cluster).');

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const server = await startBenchServer(kind);
/** µs of CPU of the database cluster's processes (PostgreSQL on this host: the postmaster's children), or NaN where /proc cannot tell. */
let postmaster = 0;
const statOf = (pid: string | number): string[] => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};
/** Each cluster process's CPU ticks now (an idle connection the pool closes meanwhile takes its ticks along: not counted). */
const clusterTicks = (): Map<number, number> => {
  const ticks = new Map<number, number>();
  if (!postmaster) return ticks;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const fields = statOf(pid);
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster) ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // ended meanwhile
    }
  }
  return ticks;
};
/** µs of CPU the cluster's processes alive at the end spent since `before`. */
const clusterCpuSince = (before: Map<number, number>): number => {
  if (!postmaster) return NaN;
  let ticks = 0;
  for (const [pid, now] of clusterTicks()) ticks += now - (before.get(pid) ?? 0);
  return ticks * 10_000; // USER_HZ = 100
};

try {
  const user = (await server.store.findUserByEmail('ana@demo.test'))!;
  await insertSessions(server.db, { userId: user.id, workspaceId: user.workspaceId, count: 4, cookiePrefix: 'cpu' });
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@demo.test', password: 'demo-pass-2026' }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };

  const measure = async (path: string, headers: Record<string, string>) => {
    const cpu = process.cpuUsage();
    const sent = statements;
    const db = clusterTicks();
    const r = await runLoadClient({ kind: 'autocannon', url: `${server.url}${path}`, headers, seconds, connections: 10 });
    const used = process.cpuUsage(cpu);
    const n = r.reqPerSec * seconds;
    return {
      reqPerSec: Math.round(r.reqPerSec),
      serverUs: (used.user + used.system) / n,
      databaseUs: kind === 'postgres' ? clusterCpuSince(db) / n : 0,
      statementsPerRequest: (statements - sent) / n,
    };
  };
  // Warm-up (JIT, the pool's connections), then the backends this server uses.
  await measure('/healthz', {});
  await measure('/api/v1/sessions', auth);
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: server.location });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    try {
      postmaster = Number(statOf(rows[0]!.pid)[1]);
    } catch {
      // not on this host, or /proc unreadable: the database's CPU stays unknown (NaN)
    }
    await admin.end();
  }
  type Round = Awaited<ReturnType<typeof measure>>;
  const healthz: Round[] = [];
  const sessions: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    healthz.push(await measure('/healthz', {}));
    sessions.push(await measure('/api/v1/sessions', auth));
    const [h, s] = [healthz.at(-1)!, sessions.at(-1)!];
    console.log(
      `round ${round + 1}: healthz ${h.reqPerSec} req/s, ${h.serverUs.toFixed(1)} µs; sessions ${s.reqPerSec} req/s, server ${s.serverUs.toFixed(1)} µs,` +
        ` database ${s.databaseUs.toFixed(1)} µs, ${s.statementsPerRequest.toFixed(3)} statements/request; ratio ${(s.reqPerSec / h.reqPerSec).toFixed(2)}`,
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `${kind} medians: healthz ${median(healthz.map((r) => r.serverUs)).toFixed(1)} µs; sessions server ${median(sessions.map((r) => r.serverUs)).toFixed(1)} µs,` +
      ` database ${median(sessions.map((r) => r.databaseUs)).toFixed(1)} µs, ${median(sessions.map((r) => r.statementsPerRequest)).toFixed(3)} statements/request;` +
      ` ratio ${median(sessions.map((r, i) => r.reqPerSec / healthz[i]!.reqPerSec)).toFixed(2)}`,
  );
} finally {
  await server.close();
}
