import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { weekOf } from './periods.js';
import { buildWeekGrid, cellAction, rowKeyOf, type GridEntry } from './week-grid.js';

const H = 3_600_000;
const M = 60_000;
const ZONE = 'Europe/Berlin';
const week = weekOf('2026-11-30', ZONE); // Monday 30 Nov; Berlin is UTC+1
const at = (iso: string) => Date.parse(iso);
const e = (id: string, start: string, minutes: number | null, over: Partial<GridEntry> = {}): GridEntry => ({
  id,
  clientId: 'c1',
  matterId: 'm1',
  activityId: null,
  start: at(start),
  end: minutes === null ? null : at(start) + minutes * M,
  ...over,
});

describe('buildWeekGrid', () => {
  it('sums each row’s entries per day in the person’s zone, with day and week totals', () => {
    const entries = [
      e('a', '2026-11-30T08:00:00Z', 90), // Monday 09:00 Berlin
      e('b', '2026-11-30T12:00:00Z', 30),
      e('c', '2026-12-01T09:00:00Z', 60, { activityId: 'act' }),
      e('d', '2026-11-29T23:30:00Z', 15), // Monday 00:30 in Berlin (Sunday in UTC)
      e('x', '2026-12-07T09:00:00Z', 60), // next week: left out
    ];
    const grid = buildWeekGrid(entries, week, at('2026-12-02T00:00:00Z'));
    expect(grid.rows.map((r) => r.key)).toEqual(['c1|m1|', 'c1|m1|act']);
    expect(grid.rows[0]!.cells[0]).toEqual({ date: '2026-11-30', ms: 135 * M, entryIds: ['d', 'a', 'b'] });
    expect(grid.rows[1]!.cells[1]!.ms).toBe(H);
    expect(grid.dayTotalsMs.slice(0, 3)).toEqual([135 * M, H, 0]);
    expect(grid.totalMs).toBe(195 * M);
  });

  it('a running entry counts up to now; copied rows appear empty, first', () => {
    const grid = buildWeekGrid([e('r', '2026-12-02T09:00:00Z', null)], week, at('2026-12-02T09:45:00Z'), [{ clientId: 'c2', matterId: null, activityId: null }]);
    expect(grid.rows.map((r) => r.key)).toEqual(['c2||', 'c1|m1|']);
    expect(grid.rows[0]!.totalMs).toBe(0);
    expect(grid.rows[1]!.cells[2]!.ms).toBe(45 * M);
  });

  it('every entry of the week is in exactly one cell, and the totals add up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 6 }), minute: fc.integer({ min: 0, max: 1439 }), len: fc.integer({ min: 1, max: 600 }), row: fc.integer({ min: 0, max: 3 }) }), { maxLength: 40 }),
        (specs) => {
          const entries = specs.map((s, i) => ({
            id: `e${i}`,
            clientId: `c${s.row % 2}`,
            matterId: s.row > 1 ? 'm' : null,
            activityId: null,
            start: week.days[s.day]!.start + s.minute * M,
            end: week.days[s.day]!.start + (s.minute + s.len) * M,
          }));
          const grid = buildWeekGrid(entries, week, 0);
          expect(grid.rows.flatMap((r) => r.cells.flatMap((c) => c.entryIds)).sort()).toEqual(entries.map((x) => x.id).sort());
          expect(grid.totalMs).toBe(entries.reduce((s, x) => s + x.end - x.start, 0));
          for (const row of grid.rows) expect(row.totalMs).toBe(row.cells.reduce((s, c) => s + c.ms, 0));
        },
      ),
    );
  });
});

describe('cellAction: typing into a cell', () => {
  const tuesday = '2026-12-01';
  it('an empty cell on a day without entries: one entry from 09:00 in the person’s zone', () => {
    expect(cellAction({ date: tuesday, entryIds: [] }, 90, [], ZONE)).toEqual({ kind: 'create', start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T09:30:00Z') });
    expect(cellAction({ date: tuesday, entryIds: [] }, 90, [], 'America/New_York')).toEqual({ kind: 'create', start: at('2026-12-01T14:00:00Z'), end: at('2026-12-01T15:30:00Z') });
  });
  it('an empty cell on a day with entries (any row): starts at the end of the last one', () => {
    const day = [e('a', '2026-12-01T08:00:00Z', 60), e('b', '2026-12-01T13:00:00Z', 30, { clientId: 'other' }), e('c', '2026-12-01T10:00:00Z', 60)];
    expect(cellAction({ date: tuesday, entryIds: [] }, 15, day, ZONE)).toEqual({ kind: 'create', start: at('2026-12-01T13:30:00Z'), end: at('2026-12-01T13:45:00Z') });
  });
  it('a cell of one entry: changes its end; 0 deletes it; a running one is left to the timer', () => {
    const one = e('a', '2026-12-01T08:00:00Z', 60);
    expect(cellAction({ date: tuesday, entryIds: ['a'] }, 150, [one], ZONE)).toEqual({ kind: 'set-end', entryId: 'a', end: at('2026-12-01T10:30:00Z') });
    expect(cellAction({ date: tuesday, entryIds: ['a'] }, 0, [one], ZONE)).toEqual({ kind: 'delete', entryId: 'a' });
    expect(cellAction({ date: tuesday, entryIds: ['r'] }, 60, [e('r', '2026-12-01T08:00:00Z', null)], ZONE)).toEqual({ kind: 'running', entryId: 'r' });
  });
  it('a cell of several entries opens them as a list instead of guessing', () => {
    expect(cellAction({ date: tuesday, entryIds: ['a', 'b'] }, 60, [], ZONE)).toEqual({ kind: 'list', entryIds: ['a', 'b'] });
  });
  it('0 in an empty cell does nothing; a negative or fractional minute count is a programming error', () => {
    expect(cellAction({ date: tuesday, entryIds: [] }, 0, [], ZONE)).toEqual({ kind: 'none' });
    expect(() => cellAction({ date: tuesday, entryIds: [] }, -1, [], ZONE)).toThrow(RangeError);
    expect(() => cellAction({ date: tuesday, entryIds: [] }, 1.5, [], ZONE)).toThrow(RangeError);
  });
  it('row keys tell client, matter and activity apart', () => {
    expect(rowKeyOf({ clientId: 'c', matterId: null, activityId: 'a' })).not.toBe(rowKeyOf({ clientId: 'c', matterId: 'a', activityId: null }));
  });
});
