import { describe, expect, it } from 'vitest';
import { addDays, dateTimeInputValue, formatDuration, formatElapsed, parseDateTimeInput, startOfWeek } from './format.js';

describe('time formatting', () => {
  it('shows elapsed time as hh:mm:ss', () => {
    expect(formatElapsed(0)).toBe('00:00:00');
    expect(formatElapsed(999)).toBe('00:00:00');
    expect(formatElapsed(61_000)).toBe('00:01:01');
    expect(formatElapsed(3_600_000 * 2 + 59 * 60_000 + 59_000)).toBe('02:59:59');
    expect(formatElapsed(3_600_000 * 123)).toBe('123:00:00');
    expect(formatElapsed(-5000)).toBe('00:00:00');
  });

  it('shows durations as h:mm', () => {
    expect(formatDuration(90 * 60_000)).toBe('1:30');
    expect(formatDuration(29_000)).toBe('0:00');
  });

  it('finds Monday of the week in local time, Sunday included', () => {
    expect(startOfWeek(new Date(2026, 10, 23, 15))).toEqual(new Date(2026, 10, 23)); // a Monday
    expect(startOfWeek(new Date(2026, 10, 29, 23, 59))).toEqual(new Date(2026, 10, 23)); // its Sunday
    expect(addDays(new Date(2026, 10, 23), 7)).toEqual(new Date(2026, 10, 30));
  });

  it('round-trips datetime-local values through ISO instants', () => {
    const iso = parseDateTimeInput('2026-11-23T09:30')!;
    expect(new Date(iso)).toEqual(new Date(2026, 10, 23, 9, 30));
    expect(dateTimeInputValue(iso)).toBe('2026-11-23T09:30');
    expect(parseDateTimeInput('')).toBeNull();
    expect(parseDateTimeInput('23/11/2026')).toBeNull();
  });
});
