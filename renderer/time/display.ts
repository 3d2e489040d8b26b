import type { Clock, DateFormat } from '../../shared/api/auth.js';
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

export interface DisplayOptions {
  /** 12 h or 24 h times; `auto` (default) follows the locale. */
  clock?: Clock;
  /** Order of day, month and year; `auto` (default) follows the locale. */
  dateFormat?: DateFormat;
  /** The reader's locale (tests pin one); the browser's by default. */
  locale?: string;
}

/** The locale whose habits give the chosen date order (month names stay English, like the rest of TAB). */
const DATE_ORDER_LOCALE: Record<DateFormat, string | undefined> = { auto: undefined, dmy: 'en-GB', mdy: 'en-US', ymd: 'en-CA' };

export function createDisplay(timeZone: string, options: DisplayOptions = {}): Display {
  const zone = canonicalTimeZone(timeZone) ?? 'UTC';
  const dateFormat = options.dateFormat ?? 'auto';
  const dateLocale = DATE_ORDER_LOCALE[dateFormat] ?? options.locale;
  // `auto`: the reader's locale's own habit, also where a chosen date order borrows another locale.
  const hourCycle = options.clock === '12h' ? 'h12' : options.clock === '24h' ? 'h23' : new Intl.DateTimeFormat(options.locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  const f = (options_: Intl.DateTimeFormatOptions, tz = zone, locale = dateLocale) => new Intl.DateTimeFormat(locale, { ...options_, timeZone: tz });
  // Year-month-day reads as numbers (2026-11-23), the order in which ISO and Canada write it.
  const ymd = dateFormat === 'ymd';
  const dayParts: Intl.DateTimeFormatOptions = ymd ? { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' } : { weekday: 'short', day: 'numeric', month: 'short' };
  const dateFmt = f(dayParts);
  const timeFmt = f({ hour: '2-digit', minute: '2-digit', hourCycle }, zone, options.locale);
  const dateTimeFmt = f({ ...(ymd ? { year: 'numeric', month: '2-digit', day: '2-digit' } : { year: 'numeric', month: 'short', day: 'numeric' }), hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle });
  const dayFmt = f(dayParts, 'UTC');
  const weekdayShort = f({ weekday: 'short' }, 'UTC');
  const weekdayLong = f({ weekday: 'long' }, 'UTC');
  const monthDay = f(ymd ? { month: '2-digit', day: '2-digit' } : { day: 'numeric', month: 'short' }, 'UTC');
  const monthDayYear = f(ymd ? { year: 'numeric', month: '2-digit', day: '2-digit' } : { day: 'numeric', month: 'short', year: 'numeric' }, 'UTC');
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
