import { instantOf, parseCivil } from '../../shared/time/periods.js';
import { canonicalTimeZone, formatCivil, localDate, wallClock } from '../../shared/time/zoned-days.js';

/**
 * How dates and times read on screen, in the signed-in person's time zone
 * (their profile's, not the computer's): every list, label and date field of
 * the renderer goes through one of these, so a Berlin laptop showing a UTC
 * profile's entries shows them in UTC, like the figures above them.
 */
export interface Display {
  readonly timeZone: string;
  /** An instant's date: "Mon, Nov 23". */
  date(at: string | number): string;
  /** An instant's time of day: "09:30 AM" / "09:30". */
  time(at: string | number): string;
  /** An instant to the second, with the year: audit rows. */
  dateTime(at: string | number): string;
  /** A calendar date (`YYYY-MM-DD`): "Mon, Nov 23". */
  day(date: string): string;
  /** A calendar date's weekday: "Mon" (or "Monday"). */
  weekday(date: string, width?: 'short' | 'long'): string;
  /** A week from its Monday: "Nov 23 – Nov 29, 2026". */
  weekLabel(monday: string): string;
  /** `YYYY-MM-DD` of an instant in the zone. */
  dateOf(at: string | number): string;
  /** An instant as a `<input type="datetime-local">` value in the zone, to the minute; '' for null. */
  inputValue(at: string | number | null): string;
  /** A `datetime-local` value (wall-clock time in the zone) as an ISO instant; null when empty or malformed. */
  parseInput(value: string): string | null;
}

/** The computer's own zone: what the Profile page offers, and the fallback before the profile is known. */
export function browserTimeZone(): string {
  try {
    return canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const DATE_TIME_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A calendar date as an instant that reads as that date in UTC (for formatting with `timeZone: 'UTC'`). */
function civilNoon(date: string): Date {
  const d = parseCivil(date);
  if (!d) return new Date(NaN);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, 12));
}

export function createDisplay(timeZone: string, locale?: string): Display {
  const zone = canonicalTimeZone(timeZone) ?? 'UTC';
  const f = (options: Intl.DateTimeFormatOptions, tz = zone) => new Intl.DateTimeFormat(locale, { ...options, timeZone: tz });
  const dateFmt = f({ weekday: 'short', day: 'numeric', month: 'short' });
  const timeFmt = f({ hour: '2-digit', minute: '2-digit' });
  const dateTimeFmt = f({ year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dayFmt = f({ weekday: 'short', day: 'numeric', month: 'short' }, 'UTC');
  const weekdayShort = f({ weekday: 'short' }, 'UTC');
  const weekdayLong = f({ weekday: 'long' }, 'UTC');
  const monthDay = f({ day: 'numeric', month: 'short' }, 'UTC');
  const monthDayYear = f({ day: 'numeric', month: 'short', year: 'numeric' }, 'UTC');
  const instant = (at: string | number) => new Date(at);

  return {
    timeZone: zone,
    date: (at) => dateFmt.format(instant(at)),
    time: (at) => timeFmt.format(instant(at)),
    dateTime: (at) => dateTimeFmt.format(instant(at)),
    day: (date) => dayFmt.format(civilNoon(date)),
    weekday: (date, width = 'short') => (width === 'short' ? weekdayShort : weekdayLong).format(civilNoon(date)),
    weekLabel(monday) {
      const start = parseCivil(monday);
      if (!start) return monday;
      const sunday = new Date(Date.UTC(start.year, start.month - 1, start.day + 6, 12));
      return `${monthDay.format(civilNoon(monday))} – ${monthDayYear.format(sunday)}`;
    },
    dateOf: (at) => formatCivil(localDate(instant(at).getTime(), zone)),
    inputValue(at) {
      if (at === null || at === '') return '';
      const w = wallClock(instant(at).getTime(), zone);
      return `${formatCivil(w)}T${pad(w.hour)}:${pad(w.minute)}`;
    },
    parseInput(value) {
      const match = DATE_TIME_INPUT.exec(value);
      if (!match) return null;
      const date = parseCivil(`${match[1]}-${match[2]}-${match[3]}`);
      const hour = Number(match[4]);
      const minute = Number(match[5]);
      const second = Number(match[6] ?? 0);
      if (!date || hour > 23 || minute > 59 || second > 59) return null;
      return new Date(instantOf({ ...date, hour, minute, second }, zone)).toISOString();
    },
  };
}
