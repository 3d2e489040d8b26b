import { Type, type Static } from '@sinclair/typebox';
import { TimeEntry } from './time.js';

/** The weekly timesheet grid (issue #14 item 6): the caller's own week, rows client / matter / activity (shared/time/week-grid.ts). */

export const WeekGridQuery = Type.Object(
  { week: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Any day of the week (YYYY-MM-DD), in your time zone' }) },
  { additionalProperties: false },
);
export type WeekGridQuery = Static<typeof WeekGridQuery>;

const GridCell = Type.Object({ date: Type.String(), ms: Type.Integer({ minimum: 0 }), entryIds: Type.Array(Type.String()) });

export const WeekGrid = Type.Object({
  timeZone: Type.String(),
  monday: Type.String(),
  days: Type.Array(Type.Object({ date: Type.String(), start: Type.String(), end: Type.String() }), { minItems: 7, maxItems: 7 }),
  rows: Type.Array(
    Type.Object({
      key: Type.String(),
      clientId: Type.String(),
      matterId: Type.Union([Type.String(), Type.Null()]),
      activityId: Type.Union([Type.String(), Type.Null()]),
      cells: Type.Array(GridCell, { minItems: 7, maxItems: 7 }),
      totalMs: Type.Integer({ minimum: 0 }),
    }),
  ),
  dayTotalsMs: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 7, maxItems: 7 }),
  totalMs: Type.Integer({ minimum: 0 }),
  entries: Type.Array(Type.Ref('TimeEntry'), { description: "The week's entries behind the cells, by start" }),
  descriptionRequired: Type.Boolean({ description: 'The workspace requires a description on every entry' }),
});
export type WeekGrid = Omit<Static<typeof WeekGrid>, 'entries'> & { entries: TimeEntry[] };
