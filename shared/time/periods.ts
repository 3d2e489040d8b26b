/**
 * "Today", "this week" and other periods in a person's time zone: the one
 * definition the server (dashboard, reports) and the clients (lists, week
 * navigation, date pickers) share, so that a figure and the list under it
 * always count the same hours. Weeks run Monday to Sunday; periods are
 * half-open [from, to) ranges of epoch milliseconds.
 */
import { addDays, formatCivil, localDate, localDay, offsetAt, startOfLocalDay, wallClock, weekAround, type CivilDate, type LocalDay } from './zoned-days.js';

export interface Period {
  from: number;
  to: number;
}

export interface Week extends Period {
  /** `YYYY-MM-DD` of its Monday. */
  monday: string;
  /** Monday to Sunday. */
  days: LocalDay[];
}

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` date, or null when malformed or not a real day (2026-02-30). */
export function parseCivil(value: string): CivilDate | null {
  const match = CIVIL.exec(value);
  if (!match) return null;
  const d = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (check.getUTCFullYear() !== d.year || check.getUTCMonth() !== d.month - 1 || check.getUTCDate() !== d.day) return null;
  return d;
}

const asCivil = (date: CivilDate | string): CivilDate => {
  if (typeof date !== 'string') return date;
  const parsed = parseCivil(date);
  if (!parsed) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return parsed;
};

/** Today in the zone: its date and where it starts and ends. */
export function today(now: number, timeZone: string): LocalDay {
  return localDay(localDate(now, timeZone), timeZone);
}

/** The Monday-to-Sunday week that holds a date, in the zone. */
export function weekOf(date: CivilDate | string, timeZone: string): Week {
  const civil = asCivil(date);
  const { days } = weekAround(startOfLocalDay(civil, timeZone), timeZone);
  return { monday: days[0]!.date, days, from: days[0]!.start, to: days[6]!.end };
}

/** The week around `now`, with which of its days is today (0 = Monday). */
export function thisWeek(now: number, timeZone: string): Week & { today: LocalDay; todayIndex: number } {
  const { days, today, todayIndex } = weekAround(now, timeZone);
  return { monday: days[0]!.date, days, from: days[0]!.start, to: days[6]!.end, today, todayIndex };
}

/** The week `weeks` after (negative: before) the given one. */
export function shiftWeek(week: Pick<Week, 'monday'>, weeks: number, timeZone: string): Week {
  return weekOf(addDays(asCivil(week.monday), weeks * 7), timeZone);
}

/** From the start of `first` to the end of `last` (both included), in the zone. */
export function daysPeriod(first: CivilDate | string, last: CivilDate | string, timeZone: string): Period {
  return { from: startOfLocalDay(asCivil(first), timeZone), to: startOfLocalDay(addDays(asCivil(last), 1), timeZone) };
}

/** The date `days` after `date`, as `YYYY-MM-DD`. */
export const civilPlusDays = (date: CivilDate | string, days: number): string => formatCivil(addDays(asCivil(date), days));

export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second?: number;
}

/**
 * The instant a wall-clock time in the zone names (what a person typed into a
 * date-time field). In the hour a DST change repeats, the first of the two;
 * a time the change skips (02:30 on a spring-forward night) lands an hour
 * away, since no such instant exists.
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  // Prefer whichever candidate really shows the wall time asked for (the earlier one when both do).
  const shows = (t: number) => {
    const w = wallClock(t, timeZone);
    return w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute;
  };
  const candidates = [first, second, naive - offsetAt(naive - 86_400_000, timeZone), naive - offsetAt(naive + 86_400_000, timeZone)].filter(shows);
  return candidates.length > 0 ? Math.min(...candidates) : second;
}
