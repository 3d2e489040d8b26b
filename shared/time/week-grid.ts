/**
 * The weekly timesheet grid (issue #14 item 6): rows are client / matter /
 * activity, columns the days Monday to Sunday in the person's zone, a cell
 * the sum of that day's entries of its row. The server builds it (GET
 * /week-grid) and the web client applies typing into a cell with the same
 * rules, so what a cell shows and what typing into it does never disagree.
 *
 * A cell holds the entries that START on its day (an entry across midnight
 * is one piece of work and sits in one cell; the dashboard, which splits it,
 * answers "how long did I work on Tuesday" instead).
 */
import { instantOf, parseCivil, type Week } from './periods.js';

const MINUTE = 60_000;

export interface GridEntry {
  id: string;
  clientId: string;
  matterId: string | null;
  activityId: string | null;
  start: number;
  /** null while the timer runs. */
  end: number | null;
}

export interface GridRowKey {
  clientId: string;
  matterId: string | null;
  activityId: string | null;
}

export interface GridCell {
  date: string;
  /** Sum of the cell's entries; a running one counts up to `now`. */
  ms: number;
  entryIds: string[];
}

export interface GridRow extends GridRowKey {
  key: string;
  cells: GridCell[];
  totalMs: number;
}

export interface WeekGridView {
  rows: GridRow[];
  dayTotalsMs: number[];
  totalMs: number;
}

export const rowKeyOf = (k: GridRowKey): string => `${k.clientId}|${k.matterId ?? ''}|${k.activityId ?? ''}`;

/**
 * The grid of a week's entries, with `extraRows` (e.g. last week's rows,
 * copied) as empty rows when they have no entries. Rows in the order they
 * first appear: extra rows first, then by their first entry.
 */
export function buildWeekGrid(entries: readonly GridEntry[], week: Pick<Week, 'days'>, now: number, extraRows: readonly GridRowKey[] = []): WeekGridView {
  const rows = new Map<string, GridRow>();
  const rowFor = (k: GridRowKey): GridRow => {
    const key = rowKeyOf(k);
    let row = rows.get(key);
    if (!row) {
      row = { key, clientId: k.clientId, matterId: k.matterId, activityId: k.activityId, cells: week.days.map((d) => ({ date: d.date, ms: 0, entryIds: [] })), totalMs: 0 };
      rows.set(key, row);
    }
    return row;
  };
  for (const k of extraRows) rowFor(k);
  const dayTotalsMs = week.days.map(() => 0);
  const sorted = [...entries].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  for (const e of sorted) {
    const day = week.days.findIndex((d) => e.start >= d.start && e.start < d.end);
    if (day < 0) continue;
    const ms = Math.max(0, (e.end ?? Math.max(now, e.start)) - e.start);
    const row = rowFor(e);
    row.cells[day]!.ms += ms;
    row.cells[day]!.entryIds.push(e.id);
    row.totalMs += ms;
    dayTotalsMs[day]! += ms;
  }
  return { rows: [...rows.values()], dayTotalsMs, totalMs: dayTotalsMs.reduce((a, b) => a + b, 0) };
}

/** The hour a day's first typed entry starts at, in the person's zone, when they have no entry that day yet. */
export const GRID_DAY_START_HOUR = 9;

export type CellAction =
  | { kind: 'none' }
  /** An empty cell: one new entry of the typed duration. */
  | { kind: 'create'; start: number; end: number }
  /** A cell backed by exactly one finished entry: that entry's end moves. */
  | { kind: 'set-end'; entryId: string; end: number }
  /** 0 typed over one entry: that entry goes (the web asks first). */
  | { kind: 'delete'; entryId: string }
  /** Several entries: show them as a list rather than guess which to change. */
  | { kind: 'list'; entryIds: string[] }
  /** A running timer's cell: stop the timer instead. */
  | { kind: 'running'; entryId: string };

/**
 * What typing `minutes` into a cell does. `dayEntries`: all the person's
 * entries that start on the cell's day, whatever their row (a new entry
 * starts where the last of them ends, or at 09:00 in `timeZone`).
 */
export function cellAction(cell: Pick<GridCell, 'date' | 'entryIds'>, minutes: number, dayEntries: readonly GridEntry[], timeZone: string): CellAction {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError('minutes is a whole non-negative number');
  if (cell.entryIds.length > 1) return { kind: 'list', entryIds: [...cell.entryIds] };
  if (cell.entryIds.length === 1) {
    const id = cell.entryIds[0]!;
    const entry = dayEntries.find((e) => e.id === id);
    if (!entry) throw new RangeError(`the cell's entry ${id} is not among the day's entries`);
    if (entry.end === null) return { kind: 'running', entryId: id };
    if (minutes === 0) return { kind: 'delete', entryId: id };
    return { kind: 'set-end', entryId: id, end: entry.start + minutes * MINUTE };
  }
  if (minutes === 0) return { kind: 'none' };
  const ends = dayEntries.map((e) => e.end ?? e.start).filter((end) => end !== null);
  const civil = parseCivil(cell.date);
  if (!civil) throw new RangeError(`not a date: ${cell.date}`);
  const start = ends.length > 0 ? Math.max(...ends) : instantOf({ ...civil, hour: GRID_DAY_START_HOUR, minute: 0 }, timeZone);
  return { kind: 'create', start, end: start + minutes * MINUTE };
}
