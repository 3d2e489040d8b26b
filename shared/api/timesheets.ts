import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime, literalUnion } from './common.js';
import { CurrencyCode, TimeEntry } from './time.js';

/**
 * Team timesheets (issue #13 item 4): a member's week, Monday to Sunday, as
 * rows per client and days as columns, and its approval. The days are the
 * VIEWER's (their zone, the shared helpers of shared/time/periods.ts); a
 * week is submitted and approved in its member's zone, and locks the
 * member's entries that start in it.
 */

export const WEEK_STATUSES = ['open', 'submitted', 'approved'] as const;
export type WeekStatus = (typeof WEEK_STATUSES)[number];

export const WeekParams = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 64 }),
    monday: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD of the week’s Monday' }),
  },
  { additionalProperties: false },
);
export type WeekParams = Static<typeof WeekParams>;

const PersonRef = Type.Object({ id: Type.String(), name: Type.String() });
const DayDurations = Type.Array(Type.Integer({ minimum: 0 }), { minItems: 7, maxItems: 7, description: 'Milliseconds, Monday to Sunday' });

export const TimesheetRow = Type.Object({
  clientId: Type.String(),
  clientName: Type.String(),
  currency: CurrencyCode,
  days: DayDurations,
  totalMs: Type.Integer({ minimum: 0 }),
  billableMs: Type.Integer({ minimum: 0 }),
});
export type TimesheetRow = Static<typeof TimesheetRow>;

export const WeekApproval = Type.Object({
  status: literalUnion(WEEK_STATUSES),
  submittedAt: NullableIsoDateTime(),
  approvedAt: NullableIsoDateTime(),
  approvedBy: Type.Union([PersonRef, Type.Null()]),
  changedAfterApprovalAt: NullableIsoDateTime({ description: 'A write made offline landed in the approved week; it waits for approval again' }),
  /** Whether the caller may reopen it now: the approving manager within a day, or an admin. */
  canReopen: Type.Boolean(),
});
export type WeekApproval = Static<typeof WeekApproval>;

export const TimesheetWeek = Type.Object({
  member: PersonRef,
  monday: Type.String(),
  timeZone: Type.String({ description: 'The viewer’s zone: the days and totals are counted in it' }),
  days: Type.Array(Type.String(), { minItems: 7, maxItems: 7, description: 'YYYY-MM-DD, Monday to Sunday' }),
  rows: Type.Array(TimesheetRow, { description: 'One per client, by name; an entry counts on the day it starts' }),
  dayTotals: DayDurations,
  totalMs: Type.Integer({ minimum: 0 }),
  billableMs: Type.Integer({ minimum: 0 }),
  timerRunning: Type.Boolean({ description: 'A running timer counts up to now, and the week cannot be approved' }),
  approval: WeekApproval,
  entries: Type.Array(Type.Ref('TimeEntry')),
});
export type TimesheetWeek = Omit<Static<typeof TimesheetWeek>, 'entries'> & { entries: TimeEntry[] };

export const WeekQueueItem = Type.Object({
  member: PersonRef,
  monday: Type.String(),
  submittedAt: IsoDateTime,
  changedAfterApprovalAt: NullableIsoDateTime(),
});
export const WeekQueue = Type.Object({ weeks: Type.Array(WeekQueueItem) });
export type WeekQueue = Static<typeof WeekQueue>;

export const UnbillRequest = Type.Object({ entryIds: Type.Array(Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
export type UnbillRequest = Static<typeof UnbillRequest>;
export const UnbillResponse = Type.Object({
  unbilled: Type.Integer({ minimum: 0 }),
  notBilled: Type.Integer({ minimum: 0, description: 'Entries that were not billed (left unchanged)' }),
});
export type UnbillResponse = Static<typeof UnbillResponse>;
