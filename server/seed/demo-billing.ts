import type { Budget } from '../../shared/api/billing.js';
import type { Invoice } from '../../shared/api/invoices.js';
import type { RoundingRule } from '../../shared/billing/rounding.js';
import { shiftWeek, type Week } from '../../shared/time/periods.js';
import { HOUR_MS, MINUTE_MS } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { DemoActors } from './demo-actors.js';

/**
 * The demo firm's billing (issue #14 as a newcomer should find it): the
 * set-up (matters, activity codes, rates, rounding, VAT) and three months of
 * invoicing done the way the product does it, through its services.
 *
 * The story, by client:
 * - Bergmann & Söhne (EUR) is invoiced every four weeks: INV-…-0001 paid,
 *   INV-…-0003 issued and waiting for payment, and the last four weeks in a
 *   draft ready to issue.
 * - Thistle & Crane (GBP, VAT 20 %, 6-minute rounding up): INV-…-0002 paid;
 *   INV-…-0004 issued without the discount agreed on the management accounts,
 *   so voided (its number kept) and issued again, with a 10 % write-down on
 *   those lines, as INV-…-0005, waiting for payment. Its last weeks are WIP.
 * - Hudson Ridge (USD) has not been invoiced: its engagement letter for the
 *   year is not signed yet, so three months of work wait in WIP, aged across
 *   the 0–30, 31–60 and 61–90 day buckets, and the managers' dashboard shows
 *   "WIP over 60 days".
 */

export type ClientKey = 'eur' | 'gbp' | 'usd';

export const DEMO_ACTIVITIES = ['Accounts preparation', 'Bookkeeping', 'Payroll', 'Tax compliance', 'Advisory'] as const;
type ActivityName = (typeof DEMO_ACTIVITIES)[number];

export interface DemoMatter {
  client: ClientKey;
  code: string;
  name: string;
  /** What is done on it, and under which activity code. */
  work: readonly (readonly [string, ActivityName])[];
  budget?: Budget;
  rounding?: RoundingRule;
  /** A matter rate (the hierarchy's second level). */
  hourlyRateCents?: number;
  /** Closed on the Friday evening of the week this many weeks ago (the return was filed). */
  closedWeeksAgo?: number;
}

export const DEMO_MATTERS: readonly DemoMatter[] = [
  {
    client: 'eur', code: 'ACC-25', name: 'Annual accounts 2025',
    work: [['Annual accounts 2025: fixed assets', 'Accounts preparation'], ['Intercompany reconciliation', 'Accounts preparation'], ['Draft financial statements', 'Accounts preparation']],
  },
  {
    client: 'eur', code: 'PAY-26', name: 'Payroll 2026', rounding: { incrementMinutes: 10, mode: 'up', scope: 'day-per-matter' },
    work: [['Monthly payroll run', 'Payroll'], ['Payroll queries from HR', 'Payroll']],
  },
  {
    client: 'gbp', code: 'CT-25', name: 'Corporation tax return 2025', budget: { minutes: 80 * 60 }, closedWeeksAgo: 5,
    work: [['Corporation tax computation', 'Tax compliance'], ['Capital allowances review', 'Tax compliance']],
  },
  {
    client: 'gbp', code: 'MA-26', name: 'Management accounts 2026',
    work: [['Monthly management accounts', 'Bookkeeping'], ['Bank reconciliations', 'Bookkeeping'], ['Board pack commentary', 'Advisory']],
  },
  {
    client: 'usd', code: 'GAAP-25', name: 'US GAAP reconciliation 2025',
    work: [['US GAAP reconciliation', 'Accounts preparation'], ['Audit support', 'Advisory']],
  },
  {
    client: 'usd', code: 'TP-26', name: 'Transfer pricing memo', budget: { amountCents: 1_500_000 }, hourlyRateCents: 17_500,
    work: [['Transfer pricing memo', 'Advisory'], ['Form 5472 filing', 'Tax compliance']],
  },
];

/** A member's rate for a client (the hierarchy's third level): the manager is billed higher to Hudson Ridge, except on a matter with its own rate. */
export const DEMO_MEMBER_RATES = [{ email: 'manager@demo.test', client: 'usd' as ClientKey, hourlyRateCents: 19_000 }];

/** VAT where the firm charges it: UK VAT on the UK client (the others are outside its scope). */
export const DEMO_TAX: Partial<Record<ClientKey, { rateBp: number; label: string }>> = { gbp: { rateBp: 2_000, label: 'VAT' } };

export const INVOICE_NOTES = 'Payment within 30 days by bank transfer to Demo firm, IBAN GB33 BUKB 2020 1555 5555 55 (an example account), quoting the invoice number.';
export const VOID_REASON = 'Issued without the 10 % discount agreed on the management accounts; replaced by the next invoice.';
export const WRITE_DOWN_REASON = 'First-year discount agreed on the management accounts (10 %)';

/** The matters as made, by code. */
export type DemoMatters = Map<string, { id: string; spec: DemoMatter }>;

/** Activities, matters, rates, tax: Billing › Set-up as the admin leaves it at the start of the story. */
export async function setUpBilling(actors: DemoActors, admin: AuthContext, clients: Map<ClientKey, string>, at: number): Promise<{ matters: DemoMatters; activities: Map<string, string> }> {
  const { billingSetup, invoices } = actors.at(at);
  const activities = new Map<string, string>();
  for (const name of DEMO_ACTIVITIES) activities.set(name, (await billingSetup.createActivity(admin, { name }, null)).id);
  const matters: DemoMatters = new Map();
  for (const spec of DEMO_MATTERS) {
    const matter = await billingSetup.createMatter(admin, { clientId: clients.get(spec.client)!, code: spec.code, name: spec.name, budget: spec.budget ?? null, rounding: spec.rounding ?? null }, null);
    matters.set(spec.code, { id: matter.id, spec });
    if (spec.hourlyRateCents !== undefined) await billingSetup.setRate(admin, { matterId: matter.id, hourlyRateCents: spec.hourlyRateCents }, null);
  }
  for (const rate of DEMO_MEMBER_RATES) {
    const user = (await actors.store.findUserByEmail(rate.email))!;
    await billingSetup.setRate(admin, { userId: user.id, clientId: clients.get(rate.client)!, hourlyRateCents: rate.hourlyRateCents }, null);
  }
  for (const [key, tax] of Object.entries(DEMO_TAX)) await invoices.setClientTax(admin, clients.get(key as ClientKey)!, tax, null);
  return { matters, activities };
}

/** The story's calendar: weeks back from this one, days (0 is Monday) and hours in the firm's zone, never past now. */
export function storyCalendar(week: Week, timeZone: string, now: number) {
  const weekAgo = (weeksAgo: number) => shiftWeek(week, -weeksAgo, timeZone);
  return {
    weekAgo,
    /** Local midnight plus hours: on a DST Sunday that is an hour off, harmlessly. */
    moment: (weeksAgo: number, day: number, hour: number, minute = 0) => Math.min(now, weekAgo(weeksAgo).days[day]!.start + hour * HOUR_MS + minute * MINUTE_MS),
    dayOf: (weeksAgo: number, day: number) => weekAgo(weeksAgo).days[day]!.date,
  };
}
export type StoryCalendar = ReturnType<typeof storyCalendar>;

/** Closes the matters whose work is done, each when it was done (after its work is recorded: a closed matter takes no new work). */
export async function closeFinishedMatters(actors: DemoActors, admin: AuthContext, matters: DemoMatters, calendar: StoryCalendar): Promise<void> {
  for (const { id, spec } of matters.values()) {
    if (spec.closedWeeksAgo === undefined) continue;
    await actors.at(calendar.moment(spec.closedWeeksAgo, 4, 18)).billingSetup.updateMatter(admin, id, { closed: true }, null);
  }
}

/**
 * Three months of invoicing by the manager, in the order it happened, so the
 * numbers come out in sequence (INV-<year>-0001 to 0005; a year's turn in the
 * firm's zone starts a new sequence, as it does in the product).
 */
export async function invoiceTheStory(actors: DemoActors, manager: AuthContext, clients: Map<ClientKey, string>, matters: DemoMatters, calendar: StoryCalendar): Promise<void> {
  const { weekAgo, moment, dayOf } = calendar;
  /** A draft of the client's unbilled work from the Monday `oldest` weeks ago to the Sunday `newest` weeks ago. */
  const draft = (client: ClientKey, oldest: number, newest: number) =>
    actors.invoices.createDraft(manager, { clientId: clients.get(client)!, firstDay: weekAgo(oldest).monday, lastDay: dayOf(newest, 6), notes: INVOICE_NOTES }, null);
  const issue = (invoice: Invoice) => actors.invoices.issue(manager, invoice.id, {}, null);

  // Weeks 12 to 9 ago, invoiced on the Tuesday after; both paid within a fortnight.
  actors.at(moment(8, 1, 10));
  const bergmann1 = await issue(await draft('eur', 12, 9));
  actors.at(moment(8, 1, 10, 5));
  const thistle1 = await issue(await draft('gbp', 12, 9));
  await actors.at(moment(6, 4, 16)).invoices.markPaid(manager, bergmann1.id, dayOf(6, 4), null);
  await actors.at(moment(5, 0, 11)).invoices.markPaid(manager, thistle1.id, dayOf(5, 0), null);

  // Weeks 8 to 5 ago: Bergmann's waits for payment; Thistle & Crane's is issued without its discount, voided the next
  // morning and issued again with a write-down on the management accounts' lines.
  actors.at(moment(4, 1, 10));
  await issue(await draft('eur', 8, 5));
  actors.at(moment(4, 1, 10, 5));
  const wrong = await issue(await draft('gbp', 8, 5));
  await actors.at(moment(4, 2, 9, 30)).invoices.void(manager, wrong.id, VOID_REASON, null);
  const again = await draft('gbp', 8, 5);
  const managementAccounts = matters.get('MA-26')!.id;
  const lineAdjustments = again.lines
    .filter((line) => line.matterId === managementAccounts)
    .map((line) => ({ position: line.position, adjustment: { kind: 'percent' as const, value: -1_000, reason: WRITE_DOWN_REASON } }));
  await issue(await actors.at(moment(4, 2, 9, 40)).invoices.updateDraft(manager, again.id, { lineAdjustments }, null));

  // The last four weeks of Bergmann & Söhne, drafted this Monday morning: ready to issue.
  actors.at(moment(0, 0, 9, 30));
  await draft('eur', 4, 1);
}
