import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilPlusDays, daysPeriod, instantOf, parseCivil, shiftWeek, thisWeek, today, weekOf } from './periods.js';
import { localDate, wallClock } from './zoned-days.js';

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham'];

describe('periods in a time zone', () => {
  it('the Berlin case: late on Sunday evening UTC is already Monday in Berlin, and "today" and "this week" follow the zone', () => {
    const now = utc('2026-11-22T23:30:00Z'); // Sunday 23:30 UTC = Monday 00:30 in Berlin
    expect(today(now, 'UTC').date).toBe('2026-11-22');
    expect(today(now, 'Europe/Berlin')).toEqual({ date: '2026-11-23', start: utc('2026-11-22T23:00:00Z'), end: utc('2026-11-23T23:00:00Z') });
    const berlin = thisWeek(now, 'Europe/Berlin');
    expect(berlin.monday).toBe('2026-11-23');
    expect(berlin.todayIndex).toBe(0);
    expect(thisWeek(now, 'UTC').monday).toBe('2026-11-16');
  });

  it('weeks: of any date, shifted, with DST weeks one hour short or long', () => {
    expect(weekOf('2026-11-26', 'UTC')).toMatchObject({ monday: '2026-11-23', from: utc('2026-11-23T00:00:00Z'), to: utc('2026-11-30T00:00:00Z') });
    expect(shiftWeek({ monday: '2026-11-23' }, -1, 'UTC').monday).toBe('2026-11-16');
    expect(shiftWeek({ monday: '2026-12-28' }, 1, 'UTC').monday).toBe('2027-01-04');
    const spring = weekOf('2026-03-29', 'Europe/Berlin');
    expect(spring.to - spring.from).toBe(167 * H);
    const fall = weekOf('2026-10-25', 'Europe/Berlin');
    expect(fall.to - fall.from).toBe(169 * H);
  });

  it('a range of days, both ends included, from local midnight to local midnight', () => {
    expect(daysPeriod('2026-11-01', '2026-11-30', 'America/New_York')).toEqual({ from: utc('2026-11-01T04:00:00Z'), to: utc('2026-12-01T05:00:00Z') });
    expect(civilPlusDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('parses YYYY-MM-DD strictly', () => {
    expect(parseCivil('2026-11-23')).toEqual({ year: 2026, month: 11, day: 23 });
    for (const bad of ['', '2026-2-3', '2026-02-30', '2026-13-01', '23/11/2026', '2026-11-23T00:00']) expect(parseCivil(bad), bad).toBeNull();
  });

  it('turns a typed wall-clock time into the instant, and picks the first of a repeated hour', () => {
    expect(instantOf({ year: 2026, month: 11, day: 23, hour: 9, minute: 30 }, 'Europe/Berlin')).toBe(utc('2026-11-23T08:30:00Z'));
    expect(instantOf({ year: 2026, month: 11, day: 23, hour: 9, minute: 30 }, 'Pacific/Auckland')).toBe(utc('2026-11-22T20:30:00Z'));
    // Berlin repeats 02:00–03:00 on 25 October 2026: the first one is summer time (+02:00).
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(utc('2026-10-25T00:30:00Z'));
    // 02:30 does not exist on 29 March 2026 in Berlin: an hour away, never an error.
    const skipped = instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin');
    expect([utc('2026-03-29T00:30:00Z'), utc('2026-03-29T01:30:00Z')]).toContain(skipped);
  });

  it('property: any instant read as wall-clock time and typed back is the same instant (or the same wall time, in a repeated hour)', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z') / 60_000, max: utc('2099-12-31T00:00:00Z') / 60_000 }), fc.constantFrom(...ZONES), (minutes, zone) => {
        const t = minutes * 60_000;
        const wall = wallClock(t, zone);
        const back = instantOf(wall, zone);
        if (back !== t) {
          expect(wallClock(back, zone)).toEqual(wall);
          expect(back).toBeLessThan(t);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: today holds now, this week holds today, seven days back to back from Monday', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2099-12-31T00:00:00Z') }), fc.constantFrom(...ZONES), (now, zone) => {
        const day = today(now, zone);
        expect(day.start).toBeLessThanOrEqual(now);
        expect(now).toBeLessThan(day.end);
        const week = thisWeek(now, zone);
        expect(week.today).toEqual(day);
        expect(week.days[week.todayIndex]).toEqual(day);
        expect(new Date(`${week.monday}T00:00:00Z`).getUTCDay()).toBe(1);
        for (let i = 1; i < 7; i++) expect(week.days[i]!.start).toBe(week.days[i - 1]!.end);
        expect(weekOf(day.date, zone)).toEqual({ monday: week.monday, days: week.days, from: week.from, to: week.to });
        expect(localDate(week.from, zone)).toEqual(parseCivil(week.monday));
      }),
      { numRuns: 500 },
    );
  });
});
