import { randomUUID } from 'node:crypto';
import { thisWeek, instantOf, parseCivil } from '../../shared/time/periods.js';
import type { CreateEntryRequest } from '../../shared/api/time.js';
import type { RoundingRule } from '../../shared/billing/rounding.js';
import { DAY_MS, MINUTE_MS } from '../platform/clock.js';
import type { AuditInput, StoredClient, TabStore } from '../store/types.js';
import { DemoActors } from './demo-actors.js';
import { closeFinishedMatters, invoiceTheStory, setUpBilling, storyCalendar, type ClientKey, type DemoMatter, type DemoMatters, type StoryCalendar } from './demo-billing.js';
import { inviteChloe, signInDevices } from './demo-devices.js';
import { DEMO_USERS, seedDemo } from './demo.js';

/**
 * The demo firm `--seed-demo` creates: a story a newcomer can read in a minute
 * (issue #13 item 8, with issue #14's billing). Three clients in three
 * currencies with their matters, rates, rounding and VAT; thirteen weeks (a
 * quarter) of time for Ana, Ben and the manager (some non-billable), billed
 * through real invoices (paid, waiting, voided and re-issued, a draft ready
 * to issue) and one client's work left aging in WIP (demo-billing.ts); Ana's
 * week two weeks ago approved and Ben's last week waiting for approval, Ana's
 * timer running, Ana signed in on three devices, one invitation waiting
 * (demo-devices.ts).
 *
 * Generated relative to `now` in the firm's zone, from a fixed pseudo-random
 * sequence (the same story every time), and only into an EMPTY database. The
 * people act through the product's services (demo-actors.ts), so it works on
 * both stores, obeys every rule a real firm's data obeys, and never mixes
 * itself into a real firm's data.
 *
 * The tests keep their own fixture (the four users of `seedDemo`), so nothing
 * here leaks into their expectations.
 */

/**
 * Bumped whenever the story changes: `npm start` recreates its own demo
 * database when it holds an older one (server/seed/demo-database.ts).
 * 1: the four users only. 2: clients, eight weeks of time, approved and submitted weeks, sessions, an invitation.
 * 3: billing: matters, activities, rates, rounding, VAT; thirteen weeks billed through invoices; WIP aging.
 */
export const DEMO_VERSION = 3;

/** The demo firm's zone: a London firm with clients on both sides of the Atlantic. */
export const DEMO_TIME_ZONE = 'Europe/London';
/** A quarter: long enough for three invoicing rounds and for unbilled work to age past 60 days. */
export const DEMO_WEEKS = 13;
export const DEMO_ADDRESS = '12 Finsbury Square\nLondon EC2A 1AS\nUnited Kingdom';

export const DEMO_CLIENTS: readonly { key: ClientKey; name: string; currency: string; hourlyRateCents: number; rounding?: RoundingRule }[] = [
  { key: 'eur', name: 'Bergmann & Söhne GmbH', currency: 'EUR', hourlyRateCents: 12_000 },
  { key: 'gbp', name: 'Thistle & Crane Ltd', currency: 'GBP', hourlyRateCents: 9_500, rounding: { incrementMinutes: 6, mode: 'up', scope: 'entry' } },
  { key: 'usd', name: 'Hudson Ridge Partners LLC', currency: 'USD', hourlyRateCents: 15_000, rounding: { incrementMinutes: 10, mode: 'nearest', scope: 'entry' } },
];

const NON_BILLABLE_WORK = ['Internal review', 'Training: new VAT rules', 'Client onboarding call', 'Team meeting'];

/** Who works for whom: weights per client. The manager also reviews, which is mostly not billable. */
const PEOPLE: { email: string; clients: Partial<Record<ClientKey, number>>; nonBillable: number }[] = [
  { email: 'ana@demo.test', clients: { eur: 5, gbp: 3, usd: 1 }, nonBillable: 0.12 },
  { email: 'ben@demo.test', clients: { gbp: 4, usd: 4, eur: 1 }, nonBillable: 0.15 },
  { email: 'manager@demo.test', clients: { eur: 2, gbp: 2, usd: 2 }, nonBillable: 0.35 },
];

/** How many weeks of time are written at once (PostgreSQL's pool holds 10 connections). */
const WRITERS = 6;
/** Ana's timer has been running this long when the demo is made. */
const TIMER_RUNNING_MS = 37 * MINUTE_MS;

export type DemoSeedOutcome = { outcome: 'seeded'; entries: number } | { outcome: 'not_empty' };

/** Seeds the demo firm into an empty database; answers 'not_empty' (and writes nothing) otherwise. */
export async function seedDemoFirm(store: TabStore, now: number): Promise<DemoSeedOutcome> {
  if ((await store.listWorkspaces()).length > 0) return { outcome: 'not_empty' };
  const week = thisWeek(now, DEMO_TIME_ZONE);
  const calendar = storyCalendar(week, DEMO_TIME_ZONE, now);
  const firstDay = calendar.weekAgo(DEMO_WEEKS - 1).from;
  await seedDemo(store, firstDay - 7 * DAY_MS);
  const admin = (await store.findUserByEmail('admin@demo.test'))!;
  const setUpAt = firstDay - 3 * DAY_MS;
  const byAdmin = (type: AuditInput['type'], detail: Record<string, unknown>): AuditInput => ({ workspaceId: admin.workspaceId, type, at: setUpAt, actorUserId: admin.id, detail });

  // The firm's details for its invoices and its zone; everyone works in London time.
  const settings = (await store.getWorkspaceSettings(admin.workspaceId))!;
  await store.setWorkspaceSettings(admin.workspaceId, { ...settings, address: DEMO_ADDRESS, timeZone: DEMO_TIME_ZONE }, byAdmin('workspace_settings_changed', { fields: ['address', 'timeZone'] }));
  for (const { email } of DEMO_USERS) await store.setUserTimeZone((await store.findUserByEmail(email))!.id, DEMO_TIME_ZONE);

  // Clients as the Clients page adds them (that page's route writes through the store, with this audit row).
  const clients = new Map<ClientKey, string>();
  for (const client of DEMO_CLIENTS) {
    const stored: StoredClient = {
      id: randomUUID(), workspaceId: admin.workspaceId, name: client.name, hourlyRateCents: client.hourlyRateCents, currency: client.currency,
      archivedAt: null, createdAt: setUpAt, updatedAt: setUpAt, ...(client.rounding ? { rounding: client.rounding } : {}),
    };
    await store.createClient(stored, byAdmin('client_created', { name: client.name, hourlyRateCents: client.hourlyRateCents, currency: client.currency }));
    clients.set(client.key, stored.id);
  }

  const actors = new DemoActors(store);
  const adminAuth = await actors.as('admin@demo.test');
  const { matters, activities } = await setUpBilling(actors, adminAuth, clients, setUpAt);
  let entries = await recordTime(store, clients, matters, activities, calendar, now - TIMER_RUNNING_MS);
  await closeFinishedMatters(actors, adminAuth, matters, calendar);
  await submitAndApprove(actors, calendar);
  await invoiceTheStory(actors, await actors.as('manager@demo.test'), clients, matters, calendar);

  // Ana's timer, on the annual accounts, started 37 minutes ago.
  const accounts = matters.get('ACC-25')!;
  await actors.at(now - TIMER_RUNNING_MS).entries.startTimer(await actors.as('ana@demo.test'), {
    clientId: clients.get('eur')!, matterId: accounts.id, activityId: activities.get(accounts.spec.work[0]![1])!, description: accounts.spec.work[0]![0], billable: true,
  });
  entries += 1;

  await signInDevices(store, (await store.findUserByEmail('ana@demo.test'))!, now);
  await inviteChloe(store, admin, now);
  return { outcome: 'seeded', entries };
}

/**
 * Thirteen weeks of Monday-to-Friday time for Ana, Ben and the manager, each
 * entry saved by its owner when it ended (the entry service resolves its rate
 * from the hierarchy). Billable work goes on one of the client's matters open
 * at the time, under that work's activity code; non-billable time on no matter.
 * Nothing ends after `cutoff` (Ana's timer starts then; nobody else works now).
 */
async function recordTime(store: TabStore, clients: Map<ClientKey, string>, matters: DemoMatters, activities: Map<string, string>, calendar: StoryCalendar, cutoff: number): Promise<number> {
  const random = mulberry32(20261202);
  const closesAt = (m: DemoMatter) => (m.closedWeeksAgo === undefined ? Infinity : calendar.moment(m.closedWeeksAgo, 4, 18));
  // The whole plan is drawn first, in one order, so the story is the same however its writing is spread.
  const weeks = new Map<string, { email: string; at: number; body: CreateEntryRequest }[]>();
  for (let weeksAgo = DEMO_WEEKS - 1; weeksAgo >= 0; weeksAgo -= 1) {
    const days = calendar.weekAgo(weeksAgo).days.slice(0, 5); // Monday to Friday
    for (const person of PEOPLE) {
      const week: { email: string; at: number; body: CreateEntryRequest }[] = [];
      weeks.set(`${person.email} ${weeksAgo}`, week);
      for (const day of days) {
        for (const block of dayPlan(day.date, random)) {
          if (block.end > cutoff) break;
          const nonBillable = random() < person.nonBillable;
          const key = pick(weighted(person.clients), random);
          const open = [...matters.values()].filter((m) => m.spec.client === key && block.start < closesAt(m.spec));
          const matter = pick(open, random);
          const [description, activity] = nonBillable ? [pick(NON_BILLABLE_WORK, random), null] : pick(matter.spec.work, random);
          week.push({
            email: person.email,
            at: block.end,
            body: {
              id: randomUUID(),
              clientId: clients.get(key)!,
              matterId: nonBillable ? null : matter.id,
              activityId: activity === null ? null : activities.get(activity)!,
              description,
              start: new Date(block.start).toISOString(),
              end: new Date(block.end).toISOString(),
              billable: !nonBillable,
            },
          });
        }
      }
    }
  }
  // A person's week is written in order, on its own clock; several weeks at once, so that PostgreSQL spreads the
  // writes over its pool's connections (a round trip per query adds up over 500 entries; SQLite takes them in turn).
  const queue = [...weeks.values()];
  const writer = async () => {
    for (let week = queue.shift(); week; week = queue.shift()) {
      if (week.length === 0) continue;
      const actors = new DemoActors(store);
      const auth = await actors.as(week[0]!.email);
      for (const entry of week) await actors.at(entry.at).entries.create(auth, entry.body);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return [...weeks.values()].reduce((sum, week) => sum + week.length, 0);
}

/** Team timesheets: Ana's week two weeks ago approved by the manager; Ben's last week submitted, waiting in the queue. */
async function submitAndApprove(actors: DemoActors, calendar: StoryCalendar): Promise<void> {
  const manager = await actors.as('manager@demo.test');
  for (const [email, weeksAgo, approve] of [['ana@demo.test', 2, true], ['ben@demo.test', 1, false]] as const) {
    const member = await actors.as(email);
    const { monday } = calendar.weekAgo(weeksAgo);
    // Submitted on the Friday evening of the week, approved the Monday after.
    await actors.at(calendar.moment(weeksAgo, 4, 18)).timesheets.submit(member, member.user.id, monday, null);
    if (approve) await actors.at(calendar.moment(weeksAgo - 1, 0, 10)).timesheets.approve(manager, member.user.id, monday, null);
  }
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
