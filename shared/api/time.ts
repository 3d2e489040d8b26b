import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime, literalUnion } from './common.js';
import { CLOCKS, DATE_FORMATS } from './auth.js';
import { ROUNDING_INCREMENTS, ROUNDING_MODES, ROUNDING_SCOPES } from '../billing/rounding.js';

/**
 * Time and billing: clients, time entries, the timer, the dashboard tiles and
 * reports. Money is integer cents with an ISO 4217 currency code; instants are
 * ISO-8601 strings (any offset accepted in requests, UTC `Z` in answers).
 */

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const Uuid = Type.String({ pattern: UUID_PATTERN, description: 'A UUID (any case; answered in lower case)' });
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' });
/** 10,000.00 an hour in any currency: far above any real rate, and keeps cent arithmetic exact. */
export const HOURLY_RATE_MAX_CENTS = 1_000_000;
export const RateCents = Type.Integer({ minimum: 0, maximum: HOURLY_RATE_MAX_CENTS, description: 'Hourly rate in cents' });
export const CLIENT_NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;
/** A finished entry may last at most this long (31 days). */
export const ENTRY_MAX_MS = 31 * 86_400_000;
/** Reports and lists cover at most this long (366 days). */
export const RANGE_MAX_MS = 366 * 86_400_000;
export const ENTRY_LIST_MAX = 5000;
export const MARK_BILLED_MAX = 1000;

export const Money = Type.Object({ currency: CurrencyCode, amountCents: Type.Integer() });
export type Money = Static<typeof Money>;

// ---------------------------------------------------------------- clients

/** A client's (or a matter's) rounding rule: applied when billing; raw times stay stored. */
export const RoundingRule = Type.Object(
  {
    incrementMinutes: literalUnion(ROUNDING_INCREMENTS, { description: 'Minutes: 1, 6, 10, 15 or 30' }),
    mode: literalUnion(ROUNDING_MODES),
    scope: literalUnion(ROUNDING_SCOPES, { description: "'entry': each entry; 'day-per-matter': a person's day on one matter, summed first" }),
  },
  { additionalProperties: false },
);


export const Client = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    hourlyRateCents: Type.Integer({ minimum: 0 }),
    currency: CurrencyCode,
    archived: Type.Boolean(),
    rounding: RoundingRule,
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { $id: 'Client' },
);
export type Client = Static<typeof Client>;

export const ClientList = Type.Object({ clients: Type.Array(Type.Ref('Client')) });
export type ClientList = { clients: Client[] };

export const ClientIdParams = Type.Object({ id: Uuid });

export const CreateClientRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: CLIENT_NAME_MAX }),
    hourlyRateCents: RateCents,
    currency: CurrencyCode,
  },
  { additionalProperties: false },
);
export type CreateClientRequest = Static<typeof CreateClientRequest>;

export const UpdateClientRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: CLIENT_NAME_MAX })),
    hourlyRateCents: Type.Optional(RateCents),
    currency: Type.Optional(CurrencyCode),
    archived: Type.Optional(Type.Boolean()),
    rounding: Type.Optional(RoundingRule),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateClientRequest = Static<typeof UpdateClientRequest>;

export const DeleteClientResponse = Type.Object({
  outcome: literalUnion(['deleted', 'archived'] as const, {
    description: 'A client with time entries is archived instead of deleted, so that no entry loses its client',
  }),
  client: Type.Union([Type.Ref('Client'), Type.Null()]),
});
export type DeleteClientResponse = { outcome: 'deleted' | 'archived'; client: Client | null };

// ---------------------------------------------------------------- time entries

export const TimeEntry = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    clientId: Type.String(),
    matterId: Type.Union([Type.String(), Type.Null()], { description: "The matter (one of the client's), or null" }),
    activityId: Type.Union([Type.String(), Type.Null()]),
    description: Type.String(),
    start: IsoDateTime,
    end: NullableIsoDateTime({ description: 'null while the timer runs' }),
    billable: Type.Boolean(),
    hourlyRateCents: Type.Integer({
      minimum: 0,
      description: 'Snapshot of the rate resolved when written (member on matter, matter, member for client, client, member default), unless given',
    }),
    currency: CurrencyCode,
    billedAt: NullableIsoDateTime({ description: 'Set when billed; billed entries are locked for everyone but admins' }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    changedBy: Type.Optional(
      Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
        description: 'Who last changed the entry when it was not its owner (a manager’s correction); null after the owner’s own edit',
      }),
    ),
  },
  { $id: 'TimeEntry' },
);
export type TimeEntry = Static<typeof TimeEntry>;

export const EntryWarning = Type.Object({
  code: literalUnion(['overlap'] as const),
  message: Type.String(),
  entryIds: Type.Array(Type.String()),
});
export type EntryWarning = Static<typeof EntryWarning>;

export const EntryWriteResponse = Type.Object({
  entry: Type.Ref('TimeEntry'),
  warnings: Type.Array(EntryWarning),
  deleted: Type.Boolean({ description: 'True when this id was deleted before: the write changed nothing and the entry stays deleted' }),
});
export type EntryWriteResponse = { entry: TimeEntry; warnings: EntryWarning[]; deleted: boolean };

export const EntryIdParams = Type.Object({ id: Uuid });

export const CreateEntryRequest = Type.Object(
  {
    id: Uuid,
    clientId: Uuid,
    matterId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: "One of the client's matters; a closed one takes only work that started before it closed (400 matter_closed)" })),
    activityId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    description: Type.String({ maxLength: DESCRIPTION_MAX }),
    start: IsoDateTime,
    end: Type.Union([IsoDateTime, Type.Null()]),
    billable: Type.Boolean(),
    hourlyRateCents: Type.Optional(RateCents),
  },
  { additionalProperties: false },
);
export type CreateEntryRequest = Static<typeof CreateEntryRequest>;

export const UpdateEntryRequest = Type.Object(
  {
    clientId: Type.Optional(Uuid),
    matterId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: "One of the client's matters; a closed one takes only work that started before it closed (400 matter_closed)" })),
    activityId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX })),
    start: Type.Optional(IsoDateTime),
    end: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
    billable: Type.Optional(Type.Boolean()),
    hourlyRateCents: Type.Optional(RateCents),
  },
  { additionalProperties: false },
);
export type UpdateEntryRequest = Static<typeof UpdateEntryRequest>;

export const EntryQuery = Type.Object(
  {
    from: IsoDateTime,
    to: IsoDateTime,
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ENTRY_LIST_MAX, default: 1000 })),
  },
  { additionalProperties: false },
);
export type EntryQuery = Static<typeof EntryQuery>;

export const EntryList = Type.Object({
  entries: Type.Array(Type.Ref('TimeEntry')),
  truncated: Type.Boolean({ description: 'True when more entries matched than `limit`' }),
});
export type EntryList = { entries: TimeEntry[]; truncated: boolean };

// ---------------------------------------------------------------- timer

export const StartTimerRequest = Type.Object(
  {
    id: Type.Optional(Uuid),
    clientId: Uuid,
    matterId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: "One of the client's matters; a closed one takes only work that started before it closed (400 matter_closed)" })),
    activityId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    description: Type.String({ maxLength: DESCRIPTION_MAX }),
    billable: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type StartTimerRequest = Static<typeof StartTimerRequest>;

export const StartTimerResponse = Type.Object({
  entry: Type.Ref('TimeEntry'),
  stopped: Type.Union([Type.Ref('TimeEntry'), Type.Null()], { description: 'The timer that was running before, now stopped' }),
});
export type StartTimerResponse = { entry: TimeEntry; stopped: TimeEntry | null };

export const StopTimerRequest = Type.Object(
  { id: Type.Optional(Uuid) },
  { additionalProperties: false, description: 'With `id`, stops only that entry (a replayed stop never stops a newer timer)' },
);
export type StopTimerRequest = Static<typeof StopTimerRequest>;

export const StopTimerResponse = Type.Object({ entry: Type.Ref('TimeEntry') });
export type StopTimerResponse = { entry: TimeEntry };

// ---------------------------------------------------------------- dashboard and reports

export const DayHours = Type.Object({
  date: Type.String({ description: 'YYYY-MM-DD in your time zone' }),
  hours: Type.Number(),
  billableHours: Type.Number(),
});

export const Dashboard = Type.Object({
  timeZone: Type.String(),
  today: Type.String({ description: 'YYYY-MM-DD in your time zone' }),
  hoursToday: Type.Number({ description: 'Your hours today, to 0.01 h; a running timer counts up to now' }),
  hoursThisWeek: Type.Number({ description: 'Your hours this week (Monday to Sunday), to 0.01 h' }),
  billableHoursThisWeek: Type.Number(),
  billableShareThisWeek: Type.Number({ minimum: 0, maximum: 1, description: 'Billable / all hours this week; 0 with no hours' }),
  perDay: Type.Array(DayHours, { description: 'Monday to Sunday of this week' }),
  unbilledScope: literalUnion(['workspace', 'own'] as const),
  unbilledAmounts: Type.Array(Money, { description: 'Billable, not yet billed, per currency' }),
  runningTimer: Type.Union([Type.Ref('TimeEntry'), Type.Null()]),
  wipOver60Days: Type.Optional(Type.Array(Money, { description: 'Managers and admins: unbilled work whose day is more than 60 days back (workspace zone), per currency' })),
});
export type Dashboard = Omit<Static<typeof Dashboard>, 'runningTimer'> & { runningTimer: TimeEntry | null };

export const GROUP_BY = ['client', 'user'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const SummaryQuery = Type.Object(
  { from: IsoDateTime, to: IsoDateTime, groupBy: Type.Optional(literalUnion(GROUP_BY, { default: 'client' })) },
  { additionalProperties: false },
);
export type SummaryQuery = Static<typeof SummaryQuery>;

export const SummaryGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  entries: Type.Integer({ minimum: 0 }),
  hours: Type.Number(),
  billableHours: Type.Number(),
  roundedHours: Type.Number({ description: "Billable hours after the clients' and matters' rounding rules (raw time is kept): what an invoice bills" }),
  amounts: Type.Array(Money, { description: 'Billable amount per currency' }),
  unbilledAmounts: Type.Array(Money),
});
export type SummaryGroup = Static<typeof SummaryGroup>;

export const Summary = Type.Object({
  from: IsoDateTime,
  to: IsoDateTime,
  groupBy: literalUnion(GROUP_BY),
  groups: Type.Array(SummaryGroup),
  totals: Type.Object({
    entries: Type.Integer({ minimum: 0 }),
    hours: Type.Number(),
    billableHours: Type.Number(),
    roundedHours: Type.Number(),
    amounts: Type.Array(Money),
    unbilledAmounts: Type.Array(Money),
  }),
});
export type Summary = Static<typeof Summary>;

/** "comma, decimal point" (English Excel) or "semicolon, decimal comma" (German, French… Excel). */
export const CSV_FORMATS = ['comma', 'semicolon'] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

export const CsvQuery = Type.Object(
  {
    from: IsoDateTime,
    to: IsoDateTime,
    format: Type.Optional(literalUnion(CSV_FORMATS, { default: 'comma', description: "'comma': , and 1.5; 'semicolon': ; and 1,5" })),
  },
  { additionalProperties: false },
);
export type CsvQuery = Static<typeof CsvQuery>;

export const CSV_COLUMNS = [
  'entry_id',
  'date',
  'start_utc',
  'end_utc',
  'start_local',
  'end_local',
  'time_zone',
  'user_email',
  'user_name',
  'client',
  'matter_code',
  'matter',
  'activity',
  'description',
  'billable',
  'minutes',
  'hours',
  'billable_minutes',
  'billable_hours',
  'hourly_rate',
  'currency',
  'amount',
  'billable_amount',
  'billed_at_utc',
] as const;

export const MarkBilledRequest = Type.Object(
  {
    entryIds: Type.Array(Uuid, { minItems: 1, maxItems: MARK_BILLED_MAX }),
    reference: Type.Optional(Type.String({ maxLength: 200, description: "Free text kept with the entries and the audit row, e.g. the other system's invoice number" })),
  },
  { additionalProperties: false },
);
export type MarkBilledRequest = Static<typeof MarkBilledRequest>;

export const MarkBilledResponse = Type.Object({
  billed: Type.Integer({ minimum: 0, description: 'Entries billed by this call' }),
  alreadyBilled: Type.Integer({ minimum: 0, description: 'Entries that were billed before (left unchanged)' }),
});
export type MarkBilledResponse = Static<typeof MarkBilledResponse>;

export const UpdateMeRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' })),
    clock: Type.Optional(literalUnion(CLOCKS)),
    dateFormat: Type.Optional(literalUnion(DATE_FORMATS)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeRequest = Static<typeof UpdateMeRequest>;

// ---------------------------------------------------------------- money and durations

/** Hours to 0.01, rounded half up, from exact milliseconds. */
export function hoursOf(ms: number): number {
  return Math.round(ms / 36_000) / 100;
}

/**
 * The amount of an entry, in cents: duration × hourly rate, rounded half up to
 * the cent once per entry (totals are sums of these rounded amounts).
 */
export function amountCents(durationMs: number, hourlyRateCents: number): number {
  return Number((BigInt(Math.max(0, Math.trunc(durationMs))) * BigInt(hourlyRateCents) + 1_800_000n) / 3_600_000n);
}

/** Cents as currency units with two decimals, e.g. 123456 → "1234.56". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- entry times

/** Instants TAB accepts: 2000-01-01 to 2100-01-01 UTC (keeps amounts far from integer limits). */
export const EARLIEST_INSTANT_MS = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(2100, 0, 1);

export interface EntryTimesProblem {
  code: 'invalid_request' | 'invalid_range';
  message: string;
}

/**
 * What is wrong with an entry's start and end (epoch ms; end null while
 * running), or null: both within the years TAB accepts, a finished entry ends
 * after it starts and within 31 days. The desktop's local queue answers with
 * these before the server has seen the entry, so it says what the server would.
 */
export function entryTimesProblem(start: number, end: number | null): EntryTimesProblem | null {
  for (const [field, ms] of [['start', start], ['end', end]] as const) {
    if (ms !== null && (!Number.isFinite(ms) || ms < EARLIEST_INSTANT_MS || ms >= LATEST_INSTANT_MS)) {
      return { code: 'invalid_request', message: `Invalid ${field}: must be between 2000 and 2100.` };
    }
  }
  if (end === null) return null;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (end <= start) return { code: 'invalid_range', message: `\`end\` (${iso(end)}) must be after \`start\` (${iso(start)}).` };
  if (end - start > ENTRY_MAX_MS) {
    return { code: 'invalid_range', message: '`end` must be within 31 days of `start`; split longer work into several entries.' };
  }
  return null;
}
