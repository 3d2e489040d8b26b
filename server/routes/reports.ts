import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  amountCents,
  CSV_COLUMNS,
  CsvQuery,
  type CsvFormat,
  Dashboard,
  formatCents,
  hoursOf,
  MarkBilledRequest,
  MarkBilledResponse,
  RANGE_MAX_MS,
  Summary,
  SummaryQuery,
} from '../../shared/api/time.js';
import { csvPlainField, csvTextField } from '../../shared/csv/csv-fields.js';
import { localDateCache, splitAcrossDays } from '../../shared/time/zoned-days.js';
import { thisWeek } from '../../shared/time/periods.js';
import { authOf, clientIp, requireRole } from '../http/request-context.js';
import type { ExportRow } from '../store/types.js';
import { parseRange, toEntryView } from '../time/time-views.js';
import type { BillableTime } from '../billing/billable-time.js';
import { addMoney, moneyList } from '../billing/summary-service.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** A wall-clock time in a zone as `YYYY-MM-DD HH:mm:ss` (what a spreadsheet reads as a date-time in every locale). */
function localTimeCache(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}

/** A number with a fixed count of decimals, its decimal mark as the format wants. */
const decimal = (value: number, places: number, format: CsvFormat) => {
  const text = value.toFixed(places);
  return format === 'semicolon' ? text.replace('.', ',') : text;
};
const money = (cents: number, format: CsvFormat) => (format === 'semicolon' ? formatCents(cents).replace('.', ',') : formatCents(cents));

/**
 * The entries CSV (issue #14 item 7): UTF-8 with a BOM (so Windows Excel
 * reads "Müller & Söhne" right), CRLF, the separator and decimal mark the
 * reader's Excel expects. `minutes` is the raw duration in minutes (4
 * decimals, next to hours with 4 decimals), so amount = minutes × rate / 60
 * rounded half up to the cent; `billable_minutes` is the rounded time of an
 * entry billed on its own (empty when its rule rounds per day per matter:
 * that time belongs to the day's group, see the summary and invoices).
 */
function csvOf(rows: ExportRow[], timeZone: string, format: CsvFormat, billable: BillableTime): string {
  const sep = format === 'semicolon' ? ';' : ',';
  const dateOf = localDateCache(timeZone);
  const localOf = localTimeCache(timeZone);
  const lines = [CSV_COLUMNS.join(sep)];
  for (const r of rows) {
    const duration = r.end - r.start;
    const unit = billable.unitOf.get(r.id);
    const ownUnit = unit && unit.entryIds.length === 1 && r.billable ? unit : undefined;
    lines.push(
      [
        csvPlainField(r.id),
        dateOf(r.start),
        new Date(r.start).toISOString(),
        new Date(r.end).toISOString(),
        localOf(r.start),
        localOf(r.end),
        csvPlainField(timeZone),
        csvTextField(r.userEmail),
        csvTextField(r.userName),
        csvTextField(r.clientName),
        csvTextField(r.matterCode),
        csvTextField(r.matterName),
        csvTextField(r.activityName),
        csvTextField(r.description),
        r.billable ? 'yes' : 'no',
        decimal(duration / 60_000, 4, format),
        decimal(duration / 3_600_000, 4, format),
        ownUnit ? String(ownUnit.billableMinutes) : '',
        ownUnit ? decimal(ownUnit.billableMinutes / 60, 4, format) : '',
        money(r.hourlyRateCents, format),
        r.currency,
        money(r.billable ? amountCents(duration, r.hourlyRateCents) : 0, format),
        ownUnit ? money(ownUnit.amountCents, format) : '',
        r.billedAt === null ? '' : new Date(r.billedAt).toISOString(),
      ].join(sep),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/**
 * The dashboard tiles, the manager reports (summary and CSV) and billing.
 * Amounts: duration × hourly rate, rounded half up to the cent once per
 * entry, in integer cents; totals add the rounded amounts.
 */
export const reportRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const tiles = { auth: 'any', scope: 'time:read' } as const;
  const reports = { auth: 'any', scope: 'reports:read' } as const;
  const billing = { auth: 'any', scope: 'billing:write' } as const;

  app.get(
    '/dashboard',
    {
      config: tiles,
      schema: {
        tags: ['dashboard'],
        summary: 'Your tiles: hours today and this week (in your time zone, weeks start Monday), billable share, unbilled amounts, running timer',
        description: 'Unbilled amounts cover the whole workspace for managers and admins, your own entries for accountants. A running timer counts up to now.',
        response: { 200: Dashboard, ...errors(401, 403) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const now = deps.clock.now();
      const timeZone = auth.user.timeZone;
      // The same "this week" the clients list under these figures (shared/time/periods.ts).
      const week = thisWeek(now, timeZone);
      const spans = await deps.store.entrySpans(auth.user.id, week.from, week.to);
      const all = new Array<number>(7).fill(0);
      const billable = new Array<number>(7).fill(0);
      for (const span of spans) {
        const parts = splitAcrossDays(span.start, span.end ?? Math.max(span.start, now), week.days);
        parts.forEach((ms, i) => {
          all[i]! += ms;
          if (span.billable) billable[i]! += ms;
        });
      }
      const weekMs = all.reduce((a, b) => a + b, 0);
      const billableMs = billable.reduce((a, b) => a + b, 0);

      const scopeUser = auth.user.role === 'accountant' ? auth.user.id : null;
      const unbilled = new Map<string, number>();
      for (const t of await deps.store.unbilledTotals(auth.user.workspaceId, scopeUser)) addMoney(unbilled, t.currency, t.amountCents);
      const running = await deps.store.runningEntries(auth.user.workspaceId, scopeUser);
      for (const e of running) {
        if (e.billable && e.billedAt === null) addMoney(unbilled, e.currency, amountCents(Math.max(0, now - e.start), e.hourlyRateCents));
      }
      const mine = scopeUser ? running[0] : running.find((e) => e.userId === auth.user.id);
      return {
        timeZone,
        today: week.today.date,
        hoursToday: hoursOf(all[week.todayIndex]!),
        hoursThisWeek: hoursOf(weekMs),
        billableHoursThisWeek: hoursOf(billableMs),
        billableShareThisWeek: weekMs === 0 ? 0 : Math.round((billableMs / weekMs) * 10_000) / 10_000,
        perDay: week.days.map((d, i) => ({ date: d.date, hours: hoursOf(all[i]!), billableHours: hoursOf(billable[i]!) })),
        unbilledScope: scopeUser ? ('own' as const) : ('workspace' as const),
        unbilledAmounts: moneyList(unbilled),
        runningTimer: mine ? toEntryView(mine) : null,
        ...(scopeUser ? {} : { wipOver60Days: await deps.wip.over60Days(auth.user.workspaceId) }),
      };
    },
  );

  app.get(
    '/reports/summary',
    {
      config: reports,
      schema: {
        tags: ['reports'],
        summary: 'Hours and amounts of finished entries starting in [from, to), by client or by person (managers and admins)',
        querystring: SummaryQuery,
        response: { 200: Summary, ...errors(400, 401, 403) },
      },
    },
    async (request) => deps.summary.summary(authOf(request), request.query),
  );

  app.get(
    '/reports/entries.csv',
    {
      config: reports,
      schema: {
        tags: ['reports'],
        summary: 'Finished entries starting in [from, to) as CSV (managers and admins)',
        description:
          `RFC 4180, UTF-8 with a BOM, CRLF line ends, a header row: ${CSV_COLUMNS.join(', ')}. ` +
          "`format=comma` (default) separates with , and writes 1.5; `format=semicolon` separates with ; and writes 1,5 (Excel in German, French… locales). " +
          '`date`, `start_local` and `end_local` are in your time zone (`time_zone`), `start_utc`/`end_utc` in UTC. `minutes` and `hours` are the raw duration with 4 decimals; ' +
          'rates and amounts are in units with two decimals (amount = minutes × rate / 60 rounded half up to the cent, per entry; 0.00 when not billable). ' +
          "`billable_minutes`/`billable_hours`/`billable_amount`: after the client's or matter's rounding rule, for entries rounded on their own (empty when rounded per day per matter). " +
          'Text cells are guarded against spreadsheet formulas in every locale: where a cell could start under a `,`, `;` or tab separator ' +
          "(the field's start, after each , ; tab or line break, past spaces and quotes), a leading = + - @ (or its full-width form) or ' gets one more ' before it; " +
          'numbers (hours, rates, amounts, negative ones too) are never guarded. See docs/security.md.',
        querystring: CsvQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'The entries', content: { 'text/csv': { schema: Type.String() } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      requireRole(auth, 'admin', 'manager');
      const { from, to } = parseRange(request.query, RANGE_MAX_MS);
      const rows = await deps.store.exportEntries(auth.user.workspaceId, from, to);
      const billable = await deps.billableTime.of(auth.user.workspaceId, rows);
      const name = `tab-entries-${new Date(from).toISOString().slice(0, 10)}-to-${new Date(to).toISOString().slice(0, 10)}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csvOf(rows, auth.user.timeZone, request.query.format ?? 'comma', billable));
    },
  );

  app.post(
    '/billing/mark-billed',
    {
      config: billing,
      schema: {
        tags: ['billing'],
        summary: 'Mark finished entries billed, all or none (managers and admins); idempotent',
        description:
          'Every id must be a finished entry of your workspace (404 / 400 otherwise, and nothing changes). Entries billed before are left as they are. ' +
          'With the workspace setting "require approved weeks before billing", 409 `week_not_approved` when an entry is in a week not approved yet.',
        body: MarkBilledRequest,
        response: { 200: MarkBilledResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => deps.billing.markBilled(authOf(request), request.body.entryIds, clientIp(request), request.body.reference?.trim() || null),
  );
};
