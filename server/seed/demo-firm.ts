import { randomUUID } from 'node:crypto';
import { shiftWeek, thisWeek, instantOf, parseCivil, type Week } from '../../shared/time/periods.js';
import { DAY_MS, MINUTE_MS } from '../platform/clock.js';
import { hashPassword } from '../security/password.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import { describeDevice } from '../sessions/device-label.js';
import type { AuditInput, StoredClient, StoredEntry, StoredUser, TabStore } from '../store/types.js';
import { DEMO_USERS, seedDemo } from './demo.js';

/**
 * The demo firm `--seed-demo` creates: a story a newcomer can read in a minute
 * (issue #13 item 8). Three clients in three currencies, eight weeks of time
 * for Ana, Ben and the manager (some non-billable, the older weeks billed),
 * Ana's week two weeks ago approved and Ben's last week waiting for approval,
 * Ana's timer running, Ana signed in on three devices, one invitation waiting.
 *
 * Generated relative to `now` in the firm's zone, from a fixed pseudo-random
 * sequence (the same story every time), and only into an EMPTY database: it
 * goes through the store's interfaces like any other write, so it works on
 * both stores, and it never mixes itself into a real firm's data.
 *
 * The tests keep their own fixture (the four users of `seedDemo`), so nothing
 * here leaks into their expectations.
 */

/**
 * Bumped whenever the story changes: `npm start` recreates its own demo
 * database when it holds an older one (server/seed/demo-marker.ts).
 * 1: the four users only. 2: clients, eight weeks of time, approved and submitted weeks, sessions, an invitation.
 */
export const DEMO_VERSION = 2;

/** The demo firm's zone: a London firm with clients on both sides of the Atlantic. */
export const DEMO_TIME_ZONE = 'Europe/London';
export const DEMO_WEEKS = 8;

export const DEMO_CLIENTS = [
  { key: 'eur', name: 'Bergmann & Söhne GmbH', currency: 'EUR', hourlyRateCents: 12_000, work: ['Annual accounts 2025', 'VAT return Q3', 'Payroll run', 'Intercompany reconciliation'] },
  { key: 'gbp', name: 'Thistle & Crane Ltd', currency: 'GBP', hourlyRateCents: 9_500, work: ['Corporation tax return', 'Management accounts', 'Bookkeeping', 'Year-end close'] },
  { key: 'usd', name: 'Hudson Ridge Partners LLC', currency: 'USD', hourlyRateCents: 15_000, work: ['US GAAP reconciliation', 'Form 5472 filing', 'Audit support', 'Transfer pricing memo'] },
] as const;
type ClientKey = (typeof DEMO_CLIENTS)[number]['key'];

const NON_BILLABLE_WORK = ['Internal review', 'Training: new VAT rules', 'Client onboarding call', 'Team meeting'];

/** Who works for whom: weights per client. The manager also reviews, which is mostly not billable. */
const PEOPLE: { email: string; clients: Partial<Record<ClientKey, number>>; nonBillable: number }[] = [
  { email: 'ana@demo.test', clients: { eur: 5, gbp: 3, usd: 1 }, nonBillable: 0.12 },
  { email: 'ben@demo.test', clients: { gbp: 4, usd: 4, eur: 1 }, nonBillable: 0.15 },
  { email: 'manager@demo.test', clients: { eur: 2, gbp: 2, usd: 2 }, nonBillable: 0.35 },
];

/** Weeks this many weeks old and older are billed (Mark billed by the admin, one step per week). */
const BILLED_FROM_WEEKS_AGO = 4;
/** Ana's timer has been running this long when the demo is made. */
const TIMER_RUNNING_MS = 37 * MINUTE_MS;

export const DEMO_INVITEE = { email: 'chloe@demo.test', name: 'Chloe Chen', role: 'accountant' as const };

/** Ana's devices; the addresses are from the documentation ranges (RFC 5737), so they are nobody's. */
const LONDON = { city: 'London', region: 'England', country: 'United Kingdom', countryCode: 'GB' };
const ANA_DEVICES = [
  {
    clientKind: 'desktop' as const,
    deviceName: 'Ana’s MacBook Pro',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) TAB/0.1.0 Chrome/140.0.0.0 Electron/45.0.0 Safari/537.36',
    ip: '203.0.113.24',
    signedInAgo: 9 * DAY_MS,
    seenAgo: 2 * MINUTE_MS,
  },
  {
    clientKind: 'web' as const,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
    ip: '198.51.100.77',
    signedInAgo: 3 * DAY_MS,
    seenAgo: 5 * 60 * MINUTE_MS,
  },
  {
    clientKind: 'web' as const,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    ip: '203.0.113.91',
    signedInAgo: 26 * 60 * MINUTE_MS,
    seenAgo: 40 * MINUTE_MS,
  },
];

export type DemoSeedOutcome = { outcome: 'seeded'; entries: number } | { outcome: 'not_empty' };

/** Seeds the demo firm into an empty database; answers 'not_empty' (and writes nothing) otherwise. */
export async function seedDemoFirm(store: TabStore, now: number): Promise<DemoSeedOutcome> {
  if ((await store.listWorkspaces()).length > 0) return { outcome: 'not_empty' };
  await seedDemo(store, now - DEMO_WEEKS * 7 * DAY_MS);
  const users = new Map<string, StoredUser>();
  for (const { email } of DEMO_USERS) users.set(email, (await store.findUserByEmail(email))!);
  const admin = users.get('admin@demo.test')!;
  const workspaceId = admin.workspaceId;
  const byAdmin = (type: AuditInput['type'], at: number, detail: Record<string, unknown>, targetUserId: string | null = null): AuditInput => ({
    workspaceId,
    type,
    at,
    actorUserId: admin.id,
    targetUserId,
    detail,
  });

  const settings = (await store.getWorkspaceSettings(workspaceId))!;
  await store.setWorkspaceSettings(
    workspaceId,
    { ...settings, address: '12 Finsbury Square\nLondon EC2A 1AS\nUnited Kingdom', timeZone: DEMO_TIME_ZONE },
    byAdmin('workspace_settings_changed', now - DEMO_WEEKS * 7 * DAY_MS, { fields: ['address', 'timeZone'] }),
  );
  for (const user of users.values()) await store.setUserTimeZone(user.id, DEMO_TIME_ZONE);

  const clients = new Map<ClientKey, StoredClient>();
  for (const client of DEMO_CLIENTS) {
    const at = now - DEMO_WEEKS * 7 * DAY_MS;
    const stored = await store.createClient(
      { id: randomUUID(), workspaceId, name: client.name, hourlyRateCents: client.hourlyRateCents, currency: client.currency, archivedAt: null, createdAt: at, updatedAt: at },
      byAdmin('client_created', at, { name: client.name, hourlyRateCents: client.hourlyRateCents, currency: client.currency }),
    );
    clients.set(client.key, stored);
  }

  const random = mulberry32(20261202);
  const week = thisWeek(now, DEMO_TIME_ZONE);
  const timerStart = now - TIMER_RUNNING_MS;
  const billable: string[][] = [];
  let entries = 0;
  for (let weeksAgo = DEMO_WEEKS - 1; weeksAgo >= 0; weeksAgo -= 1) {
    const days = shiftWeek(week, -weeksAgo, DEMO_TIME_ZONE).days.slice(0, 5); // Monday to Friday
    const toBill: string[] = [];
    for (const person of PEOPLE) {
      const user = users.get(person.email)!;
      // Today's entries end before Ana's timer started (a person has one thing going at a time).
      const cutoff = person.email === 'ana@demo.test' ? timerStart : now;
      for (const day of days) {
        for (const block of dayPlan(day.date, random)) {
          if (block.end > cutoff) break;
          const nonBillable = random() < person.nonBillable;
          const client = clients.get(pick(weighted(person.clients), random))!;
          const spec = DEMO_CLIENTS.find((c) => c.key === keyOf(clients, client))!;
          const entry: StoredEntry = {
            id: randomUUID(),
            workspaceId,
            userId: user.id,
            clientId: client.id,
            description: nonBillable ? pick(NON_BILLABLE_WORK, random) : pick(spec.work, random),
            start: block.start,
            end: block.end,
            billable: !nonBillable,
            hourlyRateCents: client.hourlyRateCents,
            currency: client.currency,
            billedAt: null,
            createdAt: block.end,
            updatedAt: block.end,
            deletedAt: null,
            version: 1,
          };
          await store.insertEntry(entry);
          entries += 1;
          if (entry.billable && weeksAgo >= BILLED_FROM_WEEKS_AGO) toBill.push(entry.id);
        }
      }
    }
    if (toBill.length > 0) billable.push(toBill);
  }
  // Billed at the end of the week after: the way a firm runs its billing.
  for (const [index, ids] of billable.entries()) {
    const weeksAgo = DEMO_WEEKS - 1 - index;
    const at = Math.min(now, shiftWeek(week, -weeksAgo + 1, DEMO_TIME_ZONE).days[4]!.start + 17 * 60 * MINUTE_MS);
    await store.markBilled(workspaceId, ids, at, byAdmin('entries_billed', at, {}));
  }

  const ana = users.get('ana@demo.test')!;
  const spec = DEMO_CLIENTS[0];
  await store.startTimer(
    {
      id: randomUUID(),
      workspaceId,
      userId: ana.id,
      clientId: clients.get(spec.key)!.id,
      description: spec.work[0],
      start: timerStart,
      end: null,
      billable: true,
      hourlyRateCents: spec.hourlyRateCents,
      currency: spec.currency,
      billedAt: null,
      createdAt: timerStart,
      updatedAt: timerStart,
      deletedAt: null,
      version: 1,
    },
    timerStart,
  );
  entries += 1;

  await submitAndApprove(store, users, week, now);
  await signInDevices(store, ana, now);
  await inviteChloe(store, admin, now);
  return { outcome: 'seeded', entries };
}

/** Team timesheets: Ana's week two weeks ago approved by the manager; Ben's last week submitted, waiting in the queue. */
async function submitAndApprove(store: TabStore, users: Map<string, StoredUser>, week: Week, now: number): Promise<void> {
  const manager = users.get('manager@demo.test')!;
  const audit = (type: AuditInput['type'], actor: StoredUser, target: StoredUser, at: number, monday: string): AuditInput => ({
    workspaceId: actor.workspaceId,
    type,
    at,
    actorUserId: actor.id,
    targetUserId: target.id,
    detail: { week: monday },
  });
  for (const [email, weeksAgo, approve] of [['ana@demo.test', 2, true], ['ben@demo.test', 1, false]] as const) {
    const member = users.get(email)!;
    const { monday, from, to } = shiftWeek(week, -weeksAgo, DEMO_TIME_ZONE);
    // Submitted on the Friday evening of the week, approved the Monday after.
    const submittedAt = Math.min(now, from + 4 * DAY_MS + 18 * 60 * MINUTE_MS);
    await store.submitWeek({ workspaceId: member.workspaceId, userId: member.id, monday, from, to, at: submittedAt }, audit('week_submitted', member, member, submittedAt, monday));
    if (approve) {
      const approvedAt = Math.min(now, to + 10 * 60 * MINUTE_MS);
      await store.approveWeek(member.id, monday, manager.id, approvedAt, audit('week_approved', manager, member, approvedAt, monday));
    }
  }
}

/** Ana on her desktop, her phone and a browser: sessions nobody can use (their cookies are thrown away), to show and revoke. */
async function signInDevices(store: TabStore, ana: StoredUser, now: number): Promise<void> {
  const policy = await store.getSessionPolicy(ana.workspaceId);
  for (const device of ANA_DEVICES) {
    const createdAt = now - device.signedInAgo;
    const id = randomUUID();
    const described = describeDevice(device.clientKind, device.userAgent, 'deviceName' in device ? device.deviceName : undefined);
    await store.createSession(
      {
        id,
        userId: ana.id,
        workspaceId: ana.workspaceId,
        cookieHash: secretHash(randomSecret()),
        clientKind: device.clientKind,
        ...described,
        userAgent: device.userAgent,
        ip: device.ip,
        createdAt,
        expiresAt: createdAt + policy.absoluteTimeoutDays * DAY_MS,
        idleTimeoutMs: policy.inactivityTimeoutMinutes * MINUTE_MS,
        location: LONDON,
      },
      policy.maxConcurrentSessions,
      {
        workspaceId: ana.workspaceId,
        type: 'sign_in',
        at: createdAt,
        actorUserId: ana.id,
        targetUserId: ana.id,
        sessionId: id,
        ip: device.ip,
        detail: { method: 'password', client: device.clientKind, label: described.label, location: LONDON },
      },
    );
    await store.touchSession(id, now - device.seenAgo, { lastIp: device.ip, location: LONDON });
  }
}

/** One invitation waiting: its link is not kept anywhere (an admin makes a new one from Members to hand it over). */
async function inviteChloe(store: TabStore, admin: StoredUser, now: number): Promise<void> {
  const at = now - 2 * DAY_MS;
  await store.inviteMember(
    {
      workspaceId: admin.workspaceId,
      ...DEMO_INVITEE,
      passwordHash: await hashPassword(randomSecret()),
      now: at,
      link: { id: randomUUID(), kind: 'invitation', tokenHash: secretHash(randomSecret()), createdBy: admin.id, createdAt: at, expiresAt: at + 7 * DAY_MS },
    },
    {
      workspaceId: admin.workspaceId,
      type: 'member_invited',
      at,
      actorUserId: admin.id,
      detail: { ...DEMO_INVITEE, expiresAt: new Date(at + 7 * DAY_MS).toISOString() },
    },
  );
}

/** A working day: 2 to 4 blocks from about 9:00, with a lunch break, on 15-minute marks. */
function dayPlan(date: string, random: () => number): { start: number; end: number }[] {
  const civil = parseCivil(date)!;
  const at = (minutes: number) => instantOf({ ...civil, hour: Math.floor(minutes / 60), minute: minutes % 60 }, DEMO_TIME_ZONE);
  const blocks: { start: number; end: number }[] = [];
  let minute = 9 * 60 + 15 * Math.floor(random() * 3);
  const count = 2 + Math.floor(random() * 3);
  for (let i = 0; i < count; i += 1) {
    const length = 15 * (4 + Math.floor(random() * 9)); // 1 to 3 hours
    if (minute + length > 18 * 60) break;
    blocks.push({ start: at(minute), end: at(minute + length) });
    minute += length + (minute < 12 * 60 && minute + length >= 12 * 60 ? 45 : 15);
  }
  return blocks;
}

function weighted(weights: Partial<Record<ClientKey, number>>): ClientKey[] {
  return Object.entries(weights).flatMap(([key, weight]) => Array<ClientKey>(weight ?? 0).fill(key as ClientKey));
}

function keyOf(clients: Map<ClientKey, StoredClient>, client: StoredClient): ClientKey {
  for (const [key, value] of clients) if (value.id === client.id) return key;
  throw new Error('unknown demo client');
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A small seeded generator: the same demo every time (Math.random would change the story on each run). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
