import { describe, expect, it } from 'vitest';
import { createDisplay } from './display.js';

describe('display in the profile’s time zone (not the computer’s)', () => {
  const at = '2026-11-22T23:30:00.000Z'; // Sunday 23:30 in UTC, Monday 00:30 in Berlin

  it('shows the same instant as the zone reads it', () => {
    const utc = createDisplay('UTC', { locale: 'en-GB' });
    const berlin = createDisplay('Europe/Berlin', { locale: 'en-GB' });
    expect(utc.date(at)).toBe('Sun 22 Nov');
    expect(berlin.date(at)).toBe('Mon 23 Nov');
    expect(utc.time(at)).toBe('23:30');
    expect(berlin.time(at)).toBe('00:30');
    expect(berlin.dateOf(at)).toBe('2026-11-23');
    expect(berlin.dateTime(at)).toMatch(/23 Nov 2026,? 00:30:00/);
  });

  it('reads calendar dates as dates, whatever the zone', () => {
    for (const zone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
      const d = createDisplay(zone, { locale: 'en-US' });
      expect(d.day('2026-11-23')).toBe('Mon, Nov 23');
      expect(d.weekday('2026-11-29')).toBe('Sun');
      expect(d.weekday('2026-11-29', 'long')).toBe('Sunday');
      expect(d.weekLabel('2026-12-28')).toBe('Dec 28 – Jan 3, 2027');
    }
  });

  it('turns datetime-local values into instants in the zone and back', () => {
    const berlin = createDisplay('Europe/Berlin');
    expect(berlin.parseInput('2026-11-23T09:30')).toBe('2026-11-23T08:30:00.000Z');
    expect(berlin.inputValue('2026-11-23T08:30:00.000Z')).toBe('2026-11-23T09:30');
    expect(createDisplay('America/New_York').parseInput('2026-11-23T09:30')).toBe('2026-11-23T14:30:00.000Z');
    expect(berlin.inputValue(null)).toBe('');
    for (const bad of ['', '23/11/2026 09:30', '2026-11-23', '2026-02-30T10:00', '2026-11-23T24:00']) expect(berlin.parseInput(bad), bad).toBeNull();
  });

  it('follows the profile’s clock and date order, whatever the locale', () => {
    const at = '2026-11-23T14:05:09.000Z';
    const us24 = createDisplay('UTC', { locale: 'en-US', clock: '24h' });
    expect(us24.time(at)).toBe('14:05');
    const gb12 = createDisplay('UTC', { locale: 'en-GB', clock: '12h' });
    expect(gb12.time(at)).toMatch(/^02:05\s?pm$/i);
    expect(createDisplay('UTC', { locale: 'en-US', dateFormat: 'dmy' }).date(at)).toBe('Mon 23 Nov');
    expect(createDisplay('UTC', { locale: 'en-GB', dateFormat: 'mdy' }).date(at)).toBe('Mon, Nov 23');
    const iso = createDisplay('UTC', { locale: 'en-US', dateFormat: 'ymd', clock: '24h' });
    expect(iso.date(at)).toBe('Mon, 2026-11-23');
    expect(iso.dateTime(at)).toBe('2026-11-23, 14:05:09');
    expect(iso.weekLabel('2026-12-28')).toBe('12-28 – 2027-01-03');
    // "auto" keeps the locale's clock even when the date order borrows another locale's.
    expect(createDisplay('UTC', { locale: 'en-GB', dateFormat: 'mdy' }).dateTime(at)).toMatch(/14:05:09/);
  });

  it('falls back to UTC for a zone Intl does not know', () => {
    expect(createDisplay('Mars/Olympus').timeZone).toBe('UTC');
  });
});
