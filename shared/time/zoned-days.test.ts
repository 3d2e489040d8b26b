import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, localDay, splitAcrossDays, startOfLocalDay, weekAround } from './zoned-days.js';

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);

describe('zoned days', () => {
  it('validates and canonicalises IANA names, refusing offsets and junk', () => {
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Pacific/Auckland')).toBe('Pacific/Auckland');
    // Today's name, not an old alias some ICU versions answer.
    expect(canonicalTimeZone('asia/kolkata')).toBe('Asia/Kolkata');
    for (const bad of ['', '+02:00', 'Mars/Olympus', 'Europe/', '../etc', 'x'.repeat(80), 'UTC\n']) expect(canonicalTimeZone(bad), bad).toBeNull();
  });

  it('finds local midnight as a UTC instant', () => {
    expect(startOfLocalDay({ year: 2026, month: 11, day: 23 }, 'UTC')).toBe(utc('2026-11-23T00:00:00Z'));
    expect(startOfLocalDay({ year: 2026, month: 11, day: 23 }, 'Pacific/Auckland')).toBe(utc('2026-11-22T11:00:00Z'));
    expect(startOfLocalDay({ year: 2026, month: 11, day: 23 }, 'America/New_York')).toBe(utc('2026-11-23T05:00:00Z'));
  });

  it('gives DST-change days their real length', () => {
    // New York springs forward on 8 March 2026 (23 h) and falls back on 1 November 2026 (25 h).
    const spring = localDay({ year: 2026, month: 3, day: 8 }, 'America/New_York');
    expect(spring.end - spring.start).toBe(23 * H);
    const fall = localDay({ year: 2026, month: 11, day: 1 }, 'America/New_York');
    expect(fall.end - fall.start).toBe(25 * H);
    // Auckland falls back on 5 April 2026 (25 h) and springs forward on 27 September 2026 (23 h).
    expect(localDay({ year: 2026, month: 4, day: 5 }, 'Pacific/Auckland')).toMatchObject({ start: utc('2026-04-04T11:00:00Z'), end: utc('2026-04-05T12:00:00Z') });
    const nz = localDay({ year: 2026, month: 9, day: 27 }, 'Pacific/Auckland');
    expect(nz.end - nz.start).toBe(23 * H);
  });

  it('handles a DST change that skips midnight (America/Santiago, 6 September 2026)', () => {
    const day = localDay({ year: 2026, month: 9, day: 6 }, 'America/Santiago');
    // 00:00 does not exist that day: the day starts at 01:00 local (-03), i.e. 04:00 UTC.
    expect(new Date(day.start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(day.end - day.start).toBe(23 * H);
  });

  it('weeks start on Monday in the user zone', () => {
    // 2026-11-23 09:00 UTC is Monday 22:00 in Auckland but still Monday 04:00 in New York.
    const now = utc('2026-11-23T09:00:00Z');
    const nz = weekAround(now, 'Pacific/Auckland');
    expect(nz.today.date).toBe('2026-11-23');
    expect(nz.todayIndex).toBe(0);
    expect(nz.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    // 2026-11-23 03:00 UTC is Sunday 22:00 in New York: the week is the previous one.
    const ny = weekAround(utc('2026-11-23T03:00:00Z'), 'America/New_York');
    expect(ny.today.date).toBe('2026-11-22');
    expect(ny.todayIndex).toBe(6);
    expect(ny.days[0]!.date).toBe('2026-11-16');
    // The week of the spring change lasts 167 hours.
    const dst = weekAround(utc('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(dst.days[6]!.end - dst.days[0]!.start).toBe(167 * H);
    for (let i = 1; i < 7; i++) expect(dst.days[i]!.start).toBe(dst.days[i - 1]!.end);
  });

  it('splits an interval across midnight by its own parts', () => {
    const week = weekAround(utc('2026-03-08T12:00:00Z'), 'America/New_York');
    // Sat 7 March 23:00 EST to Sun 8 March 04:00 EDT: 1 h on Saturday, 3 real hours on Sunday.
    const parts = splitAcrossDays(utc('2026-03-08T04:00:00Z'), utc('2026-03-08T08:00:00Z'), week.days);
    expect(parts).toEqual([0, 0, 0, 0, 0, 1 * H, 3 * H]);
    // Back-to-back with the boundary: ends exactly at midnight, nothing on the next day.
    const sat = week.days[5]!;
    expect(splitAcrossDays(sat.start, sat.end, week.days)).toEqual([0, 0, 0, 0, 0, 24 * H, 0]);
  });
});
