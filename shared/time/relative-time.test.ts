import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.js';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime (the Active sessions card wording)', () => {
  it.each([
    [0, 'Just now'],
    [59 * SECOND, 'Just now'],
    [60 * SECOND, '1 min ago'],
    [59 * MINUTE, '59 min ago'],
    [59 * MINUTE + 59 * SECOND, '59 min ago'],
    [60 * MINUTE, '1 hr ago'],
    [23 * HOUR, '23 hr ago'],
    [24 * HOUR - SECOND, '23 hr ago'],
    [24 * HOUR, '1 day ago'],
    [47 * HOUR, '1 day ago'],
    [48 * HOUR, '2 days ago'],
    [30 * 24 * HOUR, '30 days ago'],
  ])('%i ms ago reads "%s"', (elapsed, expected) => {
    expect(relativeTime(ago(elapsed), NOW)).toBe(expected);
  });

  it('accepts a Date, an ISO string or epoch ms for both arguments', () => {
    expect(relativeTime(new Date(NOW - 2 * HOUR), new Date(NOW))).toBe('2 hr ago');
    expect(relativeTime(NOW - 5 * MINUTE, NOW)).toBe('5 min ago');
  });

  it('reads a time in the future (clock skew) or an unparseable one as "Just now"', () => {
    expect(relativeTime(ago(-5 * MINUTE), NOW)).toBe('Just now');
    expect(relativeTime('not a date', NOW)).toBe('Just now');
  });
});
