import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { AUDIT_EVENT_TYPES } from '../shared/api/admin.js';
import { runLoadClient } from './load-client.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions, insertUsers, percentile } from './fixtures.js';
import { DAY_MS } from '../server/platform/clock.js';

/**
 * Issue #13's figures: how soon another device hears of a time change, and
 * the members list and audit log at a big firm's size.
 */

/** A session of a demo user the benchmark can act as (cookie), and its CSRF-proof headers for writes. */
async function sessionOf(server: BenchServer, userId: string, workspaceId: string, prefix: string) {
  await insertSessions(server.db, { userId, workspaceId, count: 1, cookiePrefix: prefix });
  const cookie = `tab_session=${prefix}-0`;
  return { read: { cookie }, write: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' } };
}

/**
 * `time.changed` latency: a manager's device holds its event stream open;
 * Ana's device writes an entry; the samples are from the write being sent to
 * the event on the manager's stream, and from the write's response to the
 * event (negative: the event was on the wire before the answer, since the
 * server announces a change as soon as it is committed).
 */
export async function benchTimeChangedLatency(server: BenchServer, samples = 300) {
  const ana = (await server.store.findUserByEmail('ana@demo.test'))!;
  const manager = (await server.store.findUserByEmail('manager@demo.test'))!;
  const writer = await sessionOf(server, ana.id, ana.workspaceId, `tc-ana-${randomUUID().slice(0, 8)}`);
  const watcher = await sessionOf(server, manager.id, manager.workspaceId, `tc-mgr-${randomUUID().slice(0, 8)}`);
  const client = await server.store.createClient({ id: randomUUID(), workspaceId: ana.workspaceId, name: 'Bench Ltd', hourlyRateCents: 10000, currency: 'EUR', archivedAt: null, createdAt: Date.now(), updatedAt: Date.now() });

  const controller = new AbortController();
  const stream = await fetch(`${server.url}/api/v1/events`, { headers: watcher.read, signal: controller.signal });
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('connected')) text += decoder.decode((await reader.read()).value);
  const waiters = new Map<string, (at: number) => void>();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      const at = performance.now();
      text += decoder.decode(value);
      let split;
      while ((split = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, split);
        text = text.slice(split + 2);
        const id = /"entryId":"([^"]+)"/.exec(block)?.[1];
        if (id) waiters.get(id)?.(at);
      }
    }
  })();

  const fromSend: number[] = [];
  const fromResponse: number[] = [];
  const start = Date.now() - samples * 3_600_000;
  for (let i = 0; i < samples + 20; i++) {
    const id = randomUUID();
    const arrived = new Promise<number>((resolve) => waiters.set(id, resolve));
    const body = JSON.stringify({ id, clientId: client.id, description: 'bench', start: new Date(start + i * 3_600_000).toISOString(), end: new Date(start + i * 3_600_000 + 1_800_000).toISOString(), billable: true });
    const sentAt = performance.now();
    const res = await fetch(`${server.url}/api/v1/entries`, { method: 'POST', headers: writer.write, body });
    await res.arrayBuffer();
    const answeredAt = performance.now();
    if (res.status !== 201) throw new Error(`entry write answered ${res.status}`);
    const at = await arrived;
    waiters.delete(id);
    if (i < 20) continue; // warm-up
    fromSend.push(at - sentAt);
    fromResponse.push(at - answeredAt);
  }
  controller.abort();
  fromSend.sort((a, b) => a - b);
  fromResponse.sort((a, b) => a - b);
  return {
    samples,
    fromSend: { p50Ms: percentile(fromSend, 50), p99Ms: percentile(fromSend, 99), maxMs: fromSend.at(-1)! },
    fromResponse: { p50Ms: percentile(fromResponse, 50), p99Ms: percentile(fromResponse, 99) },
  };
}

/** GET /api/v1/admin/members for a firm of `members` people, each signed in on two devices. */
export async function benchMembersList(server: BenchServer, members = 500, samples = 2000) {
  const admin = (await server.store.findUserByEmail('admin@demo.test'))!;
  const users = await insertUsers(server.db, admin.workspaceId, members - 4);
  for (const [i, userId] of users.entries()) await insertSessions(server.db, { userId, workspaceId: admin.workspaceId, count: 2, cookiePrefix: `ml-${i}` });
  const me = await sessionOf(server, admin.id, admin.workspaceId, `ml-admin-${randomUUID().slice(0, 8)}`);
  await server.db.settle();
  const url = `${server.url}/api/v1/admin/members`;
  const first = (await (await fetch(url, { headers: me.read })).json()) as { members: unknown[] };
  if (first.members.length !== members) throw new Error(`expected ${members} members, got ${first.members.length}`);
  const r = await runLoadClient({ kind: 'sequential', url, headers: me.read, warmup: 200, samples });
  return { members, samples, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
}

/**
 * The audit log with 1,000,000 events (1,000 people, every type, a year of
 * history): a page of 100 rows newest first, by person, by type, and for one
 * week in the middle of the year.
 */
export async function benchAuditPages(server: BenchServer, events = 1_000_000, samples = 1000) {
  const admin = (await server.store.findUserByEmail('admin@demo.test'))!;
  const started = performance.now();
  const users = await insertUsers(server.db, admin.workspaceId, 1000);
  const end = Date.now();
  const begin = end - 365 * DAY_MS;
  const step = (end - begin) / events;
  // The detail column is JSON text in SQLite and jsonb in PostgreSQL: both take this text.
  const columns = ['workspace_id', 'type', 'at', 'actor_user_id', 'target_user_id', 'ip', 'detail'];
  for (let from = 0; from < events; from += 100_000) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(events, from + 100_000); i++) {
      rows.push([admin.workspaceId, AUDIT_EVENT_TYPES[i % AUDIT_EVENT_TYPES.length], Math.floor(begin + i * step), users[i % users.length], users[(i * 7) % users.length], '203.0.113.7', '{"reason":"bench"}']);
    }
    await server.db.insert('audit_events', columns, rows);
  }
  const me = await sessionOf(server, admin.id, admin.workspaceId, `al-admin-${randomUUID().slice(0, 8)}`);
  await server.db.settle();
  const seedSeconds = (performance.now() - started) / 1000;

  const mid = begin + 180 * DAY_MS;
  const pages: Record<string, string> = {
    newest: 'limit=100',
    person: `limit=100&userId=${users[123]}`,
    type: 'limit=100&type=member_role_changed',
    week: `limit=100&from=${new Date(mid).toISOString()}&to=${new Date(mid + 7 * DAY_MS).toISOString()}`,
  };
  const results: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const [name, qs] of Object.entries(pages)) {
    const url = `${server.url}/api/v1/admin/audit-events?${qs}`;
    const first = (await (await fetch(url, { headers: me.read })).json()) as { events: unknown[] };
    if (first.events.length !== 100) throw new Error(`${name}: expected 100 events, got ${first.events.length}`);
    const r = await runLoadClient({ kind: 'sequential', url, headers: me.read, warmup: 100, samples });
    results[name] = { p50Ms: r.p50Ms, p99Ms: r.p99Ms };
  }
  return { events, seedSeconds, samples, pages: results as Record<keyof typeof pages, { p50Ms: number; p99Ms: number }> };
}
