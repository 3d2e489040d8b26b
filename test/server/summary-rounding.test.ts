import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { DAY_MS, ManualClock } from '../../server/platform/clock.js';
import { BillableTimeService } from '../../server/billing/billable-time.js';
import { SummaryService } from '../../server/billing/summary-service.js';
import { ROUNDING_INCREMENTS, ROUNDING_MODES, ROUNDING_SCOPES, type RoundingRule } from '../../shared/billing/rounding.js';

/**
 * The summary's rounded minutes (per-entry rules summed in SQL, day-per-matter
 * groups in JS) against billableTime() over every entry read out, on both
 * stores: random rules on clients and matters, random entries (odd
 * milliseconds, half-increment ties, not billable, deleted, running), random
 * workspace zones with :30 and :45 offsets.
 */
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
let server: TestServer;
let workspaceId: string;
let userIds: string[];
beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(NOW) });
  workspaceId = (await server.store.findUserByEmail('manager@demo.test'))!.workspaceId;
  userIds = (await server.store.listUsers(workspaceId)).map((u) => u.id);
});
afterAll(() => server.close());

const rule = fc.record({ incrementMinutes: fc.constantFrom(...ROUNDING_INCREMENTS), mode: fc.constantFrom(...ROUNDING_MODES), scope: fc.constantFrom(...ROUNDING_SCOPES) }) as fc.Arbitrary<RoundingRule>;
const MINUTE = 60_000;
// Durations around the increments' halves and wholes, and anything up to 10 hours.
const duration = fc.oneof(
  fc.integer({ min: 1, max: 10 * 3_600_000 }),
  // k whole increments plus half of one (the ties of 'nearest'), a millisecond either side.
  fc.tuple(fc.constantFrom(0.5, 3, 5, 7.5, 15), fc.nat(20), fc.integer({ min: -1, max: 1 })).map(([half, k, d]) => Math.max(1, (2 * half * k + half) * MINUTE + d)),
  fc.tuple(fc.constantFrom(0.5, 3, 5, 7.5, 15), fc.nat(20)).map(([half, k]) => (2 * half * k + half) * MINUTE),
);
const entry = fc.record({
  client: fc.nat(2), matter: fc.nat(2), user: fc.nat(10), dayOffset: fc.integer({ min: 0, max: 9 }), at: fc.integer({ min: 0, max: DAY_MS - 1 }), duration,
  billable: fc.boolean(), rate: fc.integer({ min: 0, max: 40_000 }), state: fc.constantFrom('finished', 'finished', 'finished', 'deleted', 'running'),
});

describe('summary rounded minutes in SQL', () => {
  it('equal billableTime() over the entries, by client and by person, on random rules and entries', async () => {
    const summary = new SummaryService({ store: server.store });
    const billable = new BillableTimeService({ store: server.store });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(rule, fc.array(fc.option(rule), { minLength: 2, maxLength: 2 })), { minLength: 3, maxLength: 3 }),
        fc.array(entry, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Europe/London'),
        async (rules, entries, timeZone) => {
          const base = NOW - (++run * 12 + 12) * DAY_MS;
          const settings = (await server.store.getWorkspaceSettings(workspaceId))!;
          await server.store.setWorkspaceSettings(workspaceId, { ...settings, timeZone }, { workspaceId, type: 'workspace_settings_changed', at: NOW });
          const clients = [];
          for (const [clientRule, matterRules] of rules) {
            const id = randomUUID();
            await server.store.createClient({ id, workspaceId, name: `R ${id}`, hourlyRateCents: 10_000, currency: 'EUR', archivedAt: null, createdAt: NOW, updatedAt: NOW, rounding: clientRule });
            const matters: (string | null)[] = [null];
            for (const [i, matterRule] of matterRules.entries()) {
              const matterId = randomUUID();
              await server.store.createMatter({ id: matterId, workspaceId, clientId: id, code: `M${i}`, name: 'M', billingType: 'hourly', fixedFeeCents: null, budgetMinutes: null, budgetCents: null, rounding: matterRule, closedAt: null, createdAt: NOW, updatedAt: NOW });
              matters.push(matterId);
            }
            clients.push({ id, matters });
          }
          // One user's entries may not overlap a running one of theirs: at most one running entry each.
          const running = new Set<string>();
          for (const e of entries) {
            const c = clients[e.client]!;
            const userId = userIds[e.user % userIds.length]!;
            const start = base + e.dayOffset * DAY_MS + e.at;
            const run = e.state === 'running' && !running.has(userId);
            if (run) running.add(userId);
            expect(await server.store.insertEntry({
              id: randomUUID(), workspaceId, userId, clientId: c.id, matterId: c.matters[e.matter]!, description: 'W', start, end: run ? null : start + e.duration,
              billable: e.billable, hourlyRateCents: e.rate, currency: 'EUR', billedAt: null, createdAt: NOW, updatedAt: NOW, deletedAt: e.state === 'deleted' ? NOW : null, version: 1,
            })).toBe('inserted');
          }
          const from = base + DAY_MS / 3;
          const to = base + 9 * DAY_MS;
          const { units } = await billable.of(workspaceId, await server.store.exportEntries(workspaceId, from, to));
          for (const groupBy of ['client', 'user'] as const) {
            const expected = new Map<string, number>();
            for (const u of units) {
              const key = groupBy === 'client' ? u.clientId : u.userId;
              expected.set(key, (expected.get(key) ?? 0) + u.billableMinutes);
            }
            const got = await summary.roundedMinutes(workspaceId, from, to, groupBy);
            expect(new Map([...got].filter(([, m]) => m !== 0))).toEqual(new Map([...expected].filter(([, m]) => m !== 0)));
          }
          // Running timers stop for the next run (one running entry per user).
          for (const userId of running) {
            const open = (await server.store.runningEntries(workspaceId, userId))[0];
            if (open) await server.store.updateEntry({ ...open, end: open.start + 1, version: open.version + 1 }, open.version);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
