import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../server/platform/clock.js';
import { today } from '../shared/time/periods.js';
import type { BenchServer } from './fixtures.js';
import { insertSessions, insertUsers } from './fixtures.js';
import { runLoadClient } from './load-client.js';
import { insertEntries } from './time-figures.js';

/**
 * Issue #14 items 4 and 5: an invoice drafted from 10,000 entries and issued
 * (each timed end to end over HTTP, five rounds: draft, issue, void), and the
 * WIP report over 500,000 entries (sequential requests).
 */

async function managerSession(server: BenchServer, prefix: string) {
  const manager = (await server.store.findUserByEmail('manager@demo.test'))!;
  await insertSessions(server.db, { userId: manager.id, workspaceId: manager.workspaceId, count: 1, cookiePrefix: prefix });
  const cookie = `tab_session=${prefix}-0`;
  return { manager, read: { cookie }, write: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchInvoiceDraftAndIssue(server: BenchServer, entries = 10_000, rounds = 5) {
  const me = await managerSession(server, `inv-${randomUUID().slice(0, 8)}`);
  const workspaceId = me.manager.workspaceId;
  const now = Date.now();
  const client = await server.store.createClient({ id: randomUUID(), workspaceId, name: 'Invoice Bench AG', hourlyRateCents: 15_000, currency: 'EUR', archivedAt: null, createdAt: now, updatedAt: now });
  const users = await insertUsers(server.db, workspaceId, 20);
  // 20 people × 500 entries, going back ~36 days; a fifth not billable (never on an invoice).
  const inserted = await insertEntries(server.db, { workspaceId, userIds: users, clientIds: [{ id: client.id, rate: 15_000, currency: 'EUR' }], perUser: Math.ceil(entries / 0.8 / users.length), now, billedAfterDays: null });
  await server.db.settle();
  const body = JSON.stringify({ clientId: client.id, firstDay: today(now - 60 * DAY_MS, 'UTC').date, lastDay: today(now, 'UTC').date });
  const draftMs: number[] = [];
  const issueMs: number[] = [];
  let onInvoice = 0;
  for (let round = 0; round < rounds; round++) {
    let t = performance.now();
    const drafted = await fetch(`${server.url}/api/v1/invoices`, { method: 'POST', headers: me.write, body });
    const draft = (await drafted.json()) as { id: string; lines: { entries: number }[] };
    draftMs.push(performance.now() - t);
    if (drafted.status !== 201) throw new Error(`draft: ${drafted.status} ${JSON.stringify(draft).slice(0, 200)}`);
    onInvoice = draft.lines.reduce((n, l) => n + l.entries, 0);
    t = performance.now();
    const issued = await fetch(`${server.url}/api/v1/invoices/${draft.id}/issue`, { method: 'POST', headers: me.write, body: '{}' });
    await issued.arrayBuffer();
    issueMs.push(performance.now() - t);
    if (issued.status !== 200) throw new Error(`issue: ${issued.status}`);
    const voided = await fetch(`${server.url}/api/v1/invoices/${draft.id}/void`, { method: 'POST', headers: me.write, body: JSON.stringify({ reason: 'bench' }) });
    if (voided.status !== 200) throw new Error(`void: ${voided.status}`);
  }
  return { inserted, onInvoice, rounds, draftMedianMs: median(draftMs), draftMaxMs: Math.max(...draftMs), issueMedianMs: median(issueMs), issueMaxMs: Math.max(...issueMs) };
}

export async function benchWip(server: BenchServer, entries = 500_000, samples = 500) {
  const me = await managerSession(server, `wip-${randomUUID().slice(0, 8)}`);
  const workspaceId = me.manager.workspaceId;
  const now = Date.now();
  const clients = [];
  for (const [i, currency] of ['EUR', 'GBP', 'USD', 'EUR', 'CHF'].entries()) {
    clients.push(await server.store.createClient({ id: randomUUID(), workspaceId, name: `WIP client ${i}`, hourlyRateCents: 10_000 + i * 1_000, currency, archivedAt: null, createdAt: now, updatedAt: now }));
  }
  const users = await insertUsers(server.db, workspaceId, 50);
  // As the dashboard bench: work older than 60 days billed, the rest (about 40,000 entries) unbilled.
  const inserted = await insertEntries(server.db, { workspaceId, userIds: users, clientIds: clients.map((c) => ({ id: c.id, rate: c.hourlyRateCents, currency: c.currency })), perUser: entries / users.length, now, billedAfterDays: 60 });
  await server.db.settle();
  const url = `${server.url}/api/v1/billing/wip`;
  const first = (await (await fetch(url, { headers: me.read })).json()) as { rows?: unknown[] };
  if (!first.rows || first.rows.length === 0) throw new Error(`WIP: ${JSON.stringify(first).slice(0, 200)}`);
  const r = await runLoadClient({ kind: 'sequential', url, headers: me.read, warmup: 100, samples });
  return { inserted, samples, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
}
