import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['1:30', 90],
    ['0:05', 5],
    ['10:00', 600],
    ['1.5', 90],
    ['1,5', 90],
    ['.25', 15],
    ['2', 120],
    ['0.1', 6],
    ['1h30', 90],
    ['1h 30m', 90],
    ['1H30M', 90],
    ['2h', 120],
    ['90m', 90],
    ['90 min', 90],
    ['45 minutes', 45],
    ['  1:30  ', 90],
    ['0', 0],
  ])('%j is %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each(['', ' ', 'abc', '1:60', '1:5', '-1', '1.5.2', 'h', 'm', '1h60', '1:30:00', '1..5', '1e3', '١:٣٠'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('every h:mm, decimal, XhYY and Nm spelling of a number of minutes reads back as that number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 * 60 + 59 }), (minutes) => {
        const h = Math.floor(minutes / 60);
        const m = minutes % 60;
        expect(parseDuration(formatDuration(minutes * 60_000))).toBe(minutes);
        expect(parseDuration(`${h}:${String(m).padStart(2, '0')}`)).toBe(minutes);
        expect(parseDuration(`${h}h${m}`)).toBe(minutes);
        expect(parseDuration(`${h}h ${m}m`)).toBe(minutes);
        expect(parseDuration(`${minutes}m`)).toBe(minutes);
        // Decimal hours with 4 places round to the same minute (a minute is 0.0167 h).
        expect(parseDuration((minutes / 60).toFixed(4))).toBe(minutes);
        expect(parseDuration((minutes / 60).toFixed(4).replace('.', ','))).toBe(minutes);
      }),
    );
  });

  it('never throws and answers null or a non-negative whole number for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseDuration(text);
        expect(result === null || (Number.isInteger(result) && result >= 0)).toBe(true);
      }),
    );
  });
});
