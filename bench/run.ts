import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchPostgresUrl, startBenchServer } from './fixtures.js';
import type { StoreKind } from '../server/store/types.js';
import { benchSessionsThroughput } from './sessions-throughput.js';
import { benchSessionsAtScale } from './sessions-scale.js';
import { benchRevokeToEvent } from './revoke-latency.js';
import { benchRevokeAcrossServers } from './revoke-across-servers.js';
import { benchRevokeAll } from './revoke-all.js';
import { benchTimeFigures } from './time-figures.js';
import { benchDesktopSync } from './desktop-sync.js';
import { benchDesktopStartup } from './desktop-startup.js';
import { benchSignInUnderFlood } from './sign-in-flood.js';
import { benchWritePath } from './write-path.js';
import { benchRefresh } from './refresh-latency.js';
import { benchSignInLocation } from './sign-in-location.js';
import { benchAuditPages, benchMembersList, benchTimeChangedLatency, benchTimesheetWeek } from './firm.js';
import { benchWeekGrid } from './billing.js';
import { benchInvoiceDraftAndIssue, benchWip } from './invoices.js';
import { benchTotpSecondStep } from './two-factor.js';

/**
 * `npm run bench`: every speed and size target, measured in one run on this
 * machine and written to bench/RESULTS.md. Not a test: shared machines are
 * noisy, so targets are reported (and ratios compared within the run), not
 * asserted.
 */
const rows: { what: string; figure: string; target: string; met: boolean | null }[] = [];
// Shared machines: the load at the start and end of the run says how far the figures can be trusted.
const loadAtStart = loadavg()[0]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const record = (what: string, figure: string, target: string, met: boolean | null) => {
  rows.push({ what, figure, target, met });
  console.log(`${met === null ? '  ' : met ? '✔ ' : '✘ '}${what}: ${figure}   (target ${target})`);
};

// `npm run bench -- --only <regex>`: run only the sections whose name matches, print their rows and leave RESULTS.md alone
// (a partial run is for working on one figure; the table in RESULTS.md is always one whole run).
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new RegExp(process.argv[onlyAt + 1] ?? '', 'i') : null;

async function section<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  if (only && !only.test(name)) return undefined;
  console.log(`\n== ${name}`);
  try {
    return await run();
  } catch (error) {
    record(name, `failed: ${(error as Error).message}`, '—', false);
    return undefined;
  }
}

async function withServer<T>(kind: StoreKind, fn: (server: Awaited<ReturnType<typeof startBenchServer>>) => Promise<T>, options?: Parameters<typeof startBenchServer>[1]): Promise<T> {
  const server = await startBenchServer(kind, options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

// Every store-dependent figure on both stores: SQLite, then PostgreSQL on the cluster scripts/bench.sh starts.
const kinds: StoreKind[] = benchPostgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!benchPostgresUrl()) record('PostgreSQL rows', 'not measured: no PostgreSQL here (scripts/bench.sh starts one where it is installed)', '—', null);
for (const kind of kinds) {
  const on = kind === 'sqlite' ? '[SQLite]' : '[PostgreSQL]';
  const throughput = await section(`${on} GET /api/v1/sessions vs /healthz`, () => withServer(kind, (s) => benchSessionsThroughput(s)));
  if (throughput) {
    record(`${on} GET /healthz`, `${fmt(throughput.healthz.reqPerSec, 0)} req/s, p99 ${throughput.healthz.p99Ms} ms`, '—', null);
    record(`${on} GET /api/v1/sessions (5 sessions, JWT)`, `${fmt(throughput.sessions.reqPerSec, 0)} req/s, p99 ${throughput.sessions.p99Ms} ms`, '—', null);
    record(`${on} GET /api/v1/sessions, same 5 sessions without locations (same run)`, `${fmt(throughput.sessionsWithoutLocations.reqPerSec, 0)} req/s, p99 ${throughput.sessionsWithoutLocations.p99Ms} ms`, '—', null);
    record(`${on} sessions / healthz throughput ratio (4 of 5 rows with a location)`, fmt(throughput.ratio, 2), '≥ 0.5', throughput.ratio >= 0.5);
    record(
      `${on} the same ratio without locations in the rows (same run)`,
      fmt(throughput.ratioWithoutLocations, 2),
      'with locations ≥ 95 % of it',
      throughput.ratio >= 0.95 * throughput.ratioWithoutLocations,
    );
  }

  const scale = await section(`${on} GET /api/v1/sessions with 1,000,000 session rows`, () => withServer(kind, (s) => benchSessionsAtScale(s)));
  if (scale) {
    record(`${on} list latency with ${scale.rows.toLocaleString('en')} rows (${scale.samples} sequential requests)`, `p50 ${fmt(scale.p50Ms, 2)} ms, p99 ${fmt(scale.p99Ms, 2)} ms`, 'p99 < 5 ms', scale.p99Ms < 5);
  }

  const latency = await section(`${on} revoke → session.revoked over SSE`, () => withServer(kind, (s) => benchRevokeToEvent(s)));
  if (latency) {
    record(`${on} revoke-to-event latency (${latency.samples} samples)`, `p50 ${fmt(latency.p50Ms, 2)} ms, p99 ${fmt(latency.p99Ms, 2)} ms, max ${fmt(latency.maxMs, 2)} ms`, '< 1 s', latency.maxMs < 1000);
  }

  if (kind === 'postgres') {
    const across = await section(`${on} revoke on server A → session.revoked on server B's stream (LISTEN/NOTIFY)`, () => benchRevokeAcrossServers());
    if (across) {
      record(`${on} revoke on A → event on B, two servers on one database (${across.samples} samples)`, `p50 ${fmt(across.p50Ms, 2)} ms, p99 ${fmt(across.p99Ms, 2)} ms, max ${fmt(across.maxMs, 2)} ms`, 'p99 < 50 ms', across.p99Ms < 50);
    }
  }

  const revokeAll = await section(`${on} revoke-all with 100,000 active sessions`, () => withServer(kind, (s) => benchRevokeAll(s)));
  if (revokeAll) {
    record(`${on} revoke-all (${revokeAll.activeSessions.toLocaleString('en')} active sessions, incl. password re-check)`, `${fmt(revokeAll.requestMs, 0)} ms`, '< 1 s', revokeAll.requestMs < 1000);
  }

  for (const billedAfterDays of [60, null] as const) {
    const label = billedAfterDays === null ? 'nothing ever billed' : `entries older than ${billedAfterDays} days billed`;
    const time = await section(`${on} dashboard and summary, 50 users × 500,000 entries (${label})`, () => withServer(kind, (s) => benchTimeFigures(s, { billedAfterDays })));
    if (time) {
      const scope = `${time.users} users, ${time.entries.toLocaleString('en')} entries, ${label}`;
      record(`${on} GET /api/v1/dashboard as a manager (${scope})`, `p50 ${fmt(time.dashboard.p50Ms, 2)} ms, p99 ${fmt(time.dashboard.p99Ms, 2)} ms`, 'p99 < 50 ms', time.dashboard.p99Ms < 50);
      record(`${on} GET /api/v1/reports/summary, 30 days by client (${scope})`, `p50 ${fmt(time.summaryByClient.p50Ms, 2)} ms, p99 ${fmt(time.summaryByClient.p99Ms, 2)} ms`, 'p99 < 50 ms', time.summaryByClient.p99Ms < 50);
      record(`${on} GET /api/v1/reports/summary, 30 days by person (${scope})`, `p50 ${fmt(time.summaryByUser.p50Ms, 2)} ms, p99 ${fmt(time.summaryByUser.p99Ms, 2)} ms`, 'p99 < 50 ms', time.summaryByUser.p99Ms < 50);
    }
  }

  const timeChanged = await section(`${on} entry write → time.changed on a manager’s stream`, () => withServer(kind, (s) => benchTimeChangedLatency(s)));
  if (timeChanged) {
    record(
      `${on} time.changed latency, write sent → event on another session's stream (${timeChanged.samples} samples)`,
      `p50 ${fmt(timeChanged.fromSend.p50Ms, 2)} ms, p99 ${fmt(timeChanged.fromSend.p99Ms, 2)} ms, max ${fmt(timeChanged.fromSend.maxMs, 2)} ms`,
      '—',
      null,
    );
    record(
      `${on} time.changed latency, write answered → event (negative: the event arrived first)`,
      `p50 ${fmt(timeChanged.fromResponse.p50Ms, 2)} ms, p99 ${fmt(timeChanged.fromResponse.p99Ms, 2)} ms`,
      '—',
      null,
    );
  }

  const refresh = await section(`${on} POST /api/v1/auth/refresh (a rotation each time)`, () => withServer(kind, (s) => benchRefresh(s)));
  if (refresh) {
    record(`${on} refresh latency (${refresh.samples} sequential refreshes, each with the cookie the last one answered)`, `p50 ${fmt(refresh.p50Ms, 2)} ms, p99 ${fmt(refresh.p99Ms, 2)} ms`, 'p99 < 20 ms', refresh.p99Ms < 20);
  }

  const membersList = await section(`${on} GET /api/v1/admin/members for 500 members`, () => withServer(kind, (s) => benchMembersList(s)));
  if (membersList) {
    record(`${on} members list, ${membersList.members} members with 2 sessions each (${membersList.samples} sequential requests)`, `p50 ${fmt(membersList.p50Ms, 2)} ms, p99 ${fmt(membersList.p99Ms, 2)} ms`, 'p99 < 20 ms', membersList.p99Ms < 20);
  }

  const timesheetWeek = await section(`${on} GET /api/v1/timesheets/:userId/weeks/:monday with 60 entries`, () => withServer(kind, (s) => benchTimesheetWeek(s)));
  if (timesheetWeek) {
    record(`${on} team week view, a member with ${timesheetWeek.entries} entries that week (${timesheetWeek.samples} sequential requests)`, `p50 ${fmt(timesheetWeek.p50Ms, 2)} ms, p99 ${fmt(timesheetWeek.p99Ms, 2)} ms`, 'p99 < 20 ms', timesheetWeek.p99Ms < 20);
  }

  const weekGrid = await section(`${on} GET /api/v1/week-grid with 60 entries`, () => withServer(kind, (s) => benchWeekGrid(s)));
  if (weekGrid) {
    record(`${on} weekly grid, ${weekGrid.entries} entries in ${weekGrid.rows} rows (${weekGrid.samples} sequential requests)`, `p50 ${fmt(weekGrid.p50Ms, 2)} ms, p99 ${fmt(weekGrid.p99Ms, 2)} ms`, 'p99 < 20 ms', weekGrid.p99Ms < 20);
  }

  const invoice = await section(`${on} invoice draft and issue from 10,000 entries`, () => withServer(kind, (s) => benchInvoiceDraftAndIssue(s)));
  if (invoice) {
    record(`${on} invoice draft from ${invoice.onInvoice} entries (POST /api/v1/invoices, median of ${invoice.rounds})`, `median ${fmt(invoice.draftMedianMs, 1)} ms, max ${fmt(invoice.draftMaxMs, 1)} ms`, '< 300 ms', invoice.draftMedianMs < 300);
    record(`${on} invoice issue of ${invoice.onInvoice} entries (POST /api/v1/invoices/:id/issue, median of ${invoice.rounds})`, `median ${fmt(invoice.issueMedianMs, 1)} ms, max ${fmt(invoice.issueMaxMs, 1)} ms`, '< 500 ms', invoice.issueMedianMs < 500);
  }
  const wip = await section(`${on} WIP report on 500,000 entries`, () => withServer(kind, (s) => benchWip(s)));
  if (wip) {
    record(`${on} WIP report, ${wip.inserted} entries (GET /api/v1/billing/wip, ${wip.samples} sequential requests)`, `p50 ${fmt(wip.p50Ms, 2)} ms, p99 ${fmt(wip.p99Ms, 2)} ms`, 'p99 < 50 ms', wip.p99Ms < 50);
  }

  const totp = await section(`${on} POST /api/v1/auth/login/mfa (TOTP second step)`, () => withServer(kind, (s) => benchTotpSecondStep(s)));
  if (totp) {
    record(`${on} sign-in's TOTP second step (${totp.samples} sequential requests, each another member)`, `p50 ${fmt(totp.p50Ms, 2)} ms, p99 ${fmt(totp.p99Ms, 2)} ms`, 'p99 < 20 ms', totp.p99Ms < 20);
  }

  const audit = await section(`${on} audit log pages with 1,000,000 events`, () => withServer(kind, (s) => benchAuditPages(s)));
  if (audit) {
    const label: Record<string, string> = { newest: 'newest first', person: 'one person (actor or target)', type: 'one type', week: 'one week mid-year' };
    for (const [name, r] of Object.entries(audit.pages)) {
      record(`${on} audit log page of 100 rows out of ${audit.events.toLocaleString('en')} events, ${label[name]}`, `p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms`, 'p99 < 20 ms', r.p99Ms < 20);
    }
  }
}

const flood = await section('sign-in under a flood of bad sign-ins', () => withServer('sqlite', (s) => benchSignInUnderFlood(s), { trustProxy: ['loopback'] }));
if (flood) {
  const statuses = Object.entries(flood.flood.byStatus).map(([status, n]) => `${n} × ${status}`).join(', ');
  record(
    `legitimate sign-in (${flood.samples} over 20 s) during 50 concurrent bad sign-ins from 50 addresses (flood: ${statuses})`,
    `p50 ${fmt(flood.p50Ms, 0)} ms, p99 ${fmt(flood.p99Ms, 0)} ms, ${flood.failures} failed`,
    'p99 < 2 s, none failed',
    flood.p99Ms < 2000 && flood.failures === 0,
  );
}

// The write path against Kysely compiling every query anew (the store's reference mode), alternately in one run: ratios, not absolutes, on a shared machine.
const writePath = await section('[SQLite] POST /api/v1/entries in-process, fixed queries compiled once vs anew', () => benchWritePath());
if (writePath) {
  const { once, eachTime } = writePath;
  record(
    `[SQLite] POST /api/v1/entries in-process (${writePath.rounds} alternating rounds × ${writePath.count}), compiled once vs anew`,
    `p50 ${fmt(once.p50Ms, 2)} vs ${fmt(eachTime.p50Ms, 2)} ms; CPU ${fmt(once.cpuUsPerRequest, 0)} vs ${fmt(eachTime.cpuUsPerRequest, 0)} µs/request (ratio ${fmt(writePath.cpuRatio, 2)})`,
    'ratio < 1',
    writePath.cpuRatio < 1,
  );
}

const signInLocation = await section('sign-in with the location lookup vs without', () => benchSignInLocation());
if (signInLocation) {
  const { withLookup: w, withoutLookup: wo } = signInLocation;
  record(
    `sign-in (${signInLocation.samples} sequential of each kind, interleaved, one server) from a new public address each time (${signInLocation.located} located, every lookup a cache miss) vs from a private address (no lookup)`,
    `with p50 ${fmt(w.p50Ms, 1)} ms, p99 ${fmt(w.p99Ms, 1)} ms; without p50 ${fmt(wo.p50Ms, 1)} ms, p99 ${fmt(wo.p99Ms, 1)} ms; p99 difference ${fmt(signInLocation.p99DifferenceMs, 2)} ms`,
    'p99 difference < 1 ms',
    signInLocation.p99DifferenceMs < 1,
  );
  record(
    `the lookup alone (${signInLocation.lookup.samples.toLocaleString('en')} new public addresses, cold cache, in process)`,
    `p50 ${fmt(signInLocation.lookup.p50Us, 1)} µs, p99 ${fmt(signInLocation.lookup.p99Us, 1)} µs`,
    '< 1 ms',
    signInLocation.lookup.p99Us < 1000,
  );
}

const sync = await section('desktop: drain 1,000 queued entries', () => benchDesktopSync(1000));
if (sync) record(`desktop sync of ${sync.entries.toLocaleString('en')} queued entries on loopback`, `${fmt(sync.seconds, 2)} s (CPU ${fmt(sync.cpuSeconds, 2)} s)`, '< 5 s', sync.seconds < 5);
const syncReference = await section('desktop: drain 1,000 queued entries, queries compiled anew (reference)', () => benchDesktopSync(1000, { fixedQueries: 'compile-each-time' }));
if (syncReference) record(`desktop sync of ${syncReference.entries.toLocaleString('en')} queued entries, queries compiled anew (reference)`, `${fmt(syncReference.seconds, 2)} s (CPU ${fmt(syncReference.cpuSeconds, 2)} s)`, '—', null);

if (existsSync(resolve(import.meta.dirname, '../dist/renderer/index.html'))) {
  const desktop = await section('desktop main process in the stand-in run (not a real cold start)', () => benchDesktopStartup(5, 1000));
  if (desktop) {
    const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
    record(
      'desktop main process: start → window shown, stand-in electron in Node (NOT a real cold start: no Chromium), median of 5',
      `${fmt(desktop.medianShownMs, 0)} ms (${desktop.shownMs.map((m) => fmt(m, 0)).join(', ')})`,
      '—',
      null,
    );
    record(
      `desktop main process memory after ${desktop.writes.toLocaleString('en')} writes through window.tab and their sync (${fmt(desktop.syncSeconds, 1)} s)`,
      `rss ${mb(desktop.baseline.rss)} → ${mb(desktop.afterSync.rss)}, heap ${mb(desktop.baseline.heapUsed)} → ${mb(desktop.afterSync.heapUsed)}`,
      '—',
      null,
    );
  }
} else {
  record('desktop main process (stand-in run)', 'not measured: run `npm run build:renderer` first', '—', null);
}

const budgetModule = resolve(import.meta.dirname, 'renderer-budget.ts');
if (existsSync(budgetModule) && existsSync(resolve(import.meta.dirname, '../dist/renderer/index.html'))) {
  const budget = await section('renderer budgets (dist/renderer, Chromium)', async () => {
    const { measureRendererBudget } = (await import('./renderer-budget.js')) as { measureRendererBudget: () => Promise<{ jsGzipKB: number; cssGzipKB: number; dashboardMedianMs: number }> };
    return measureRendererBudget();
  });
  if (budget) {
    record('dashboard JavaScript (gzip)', `${fmt(budget.jsGzipKB)} KB`, '≤ 300 KB', budget.jsGzipKB <= 300);
    record('dashboard CSS (gzip)', `${fmt(budget.cssGzipKB)} KB`, '≤ 80 KB', budget.cssGzipKB <= 80);
    record('dashboard with sessions card rendered (median of 10 loads)', `${fmt(budget.dashboardMedianMs, 0)} ms`, '≤ 500 ms', budget.dashboardMedianMs <= 500);
  }
} else {
  record('renderer budgets', 'not measured: run `npm run build:renderer` first', '—', null);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpus().length} × ${cpu}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, ${platform()} ${release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const table = ['| measurement | figure | target | met |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.what} | ${r.figure} | ${r.target} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`)];
const doc = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts); every figure below comes from one run.

- Date: ${date}
- Machine: ${machine}; 1-minute load average ${fmt(loadAtStart)} at the start of the run, ${fmt(loadavg()[0]!)} at its end (on 2 cores: above 2, other work shared the machine)
- Server: the real Fastify app on a fresh SQLite file (WAL) for each section, and again on a fresh PostgreSQL database (rows marked [PostgreSQL]; a local PostgreSQL 15 cluster started by scripts/bench.sh with fsync off, on the same 2 cores as server and load client), loopback, request logging off. Load comes from a separate client process (bench/load-client.ts): autocannon with 10 connections for throughput, sequential requests on one keep-alive connection for latencies. On 2 cores the server gets one core and the client the other, so \`/healthz\` is bound by the client: the throughput ratio compares a client-bound baseline with a server-bound endpoint. Both endpoints are warmed up for 2 s first. Nothing is written during the sessions run, so after its first request the account's rows come from the kept snapshot; its version is still read from the database on every request.

${table.join('\n')}
`;
// Notes written by hand below the marker (measurements of one change, comparisons run alone) survive a new run.
const NOTES_MARKER = '<!-- Notes below this line are kept by npm run bench. -->';
if (only) {
  console.log(`\n--only ${only.source}: bench/RESULTS.md left as it was`);
  process.exit(rows.some((r) => r.met === false) ? 1 : 0);
}
const resultsPath = resolve(import.meta.dirname, 'RESULTS.md');
const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
const notes = previous.includes(NOTES_MARKER) ? previous.slice(previous.indexOf(NOTES_MARKER)) : `${NOTES_MARKER}\n`;
writeFileSync(resultsPath, `${doc}\n${notes}`);
console.log(`\nWrote bench/RESULTS.md`);
process.exit(rows.some((r) => r.met === false) ? 1 : 0);
