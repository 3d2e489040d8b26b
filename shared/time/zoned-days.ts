/**
 * Local days in an IANA time zone, with no dependency beyond Intl: where a
 * local day starts and ends as UTC instants (correct across DST changes, also
 * where a change skips midnight), the Monday-to-Sunday week around an instant,
 * and how much of an interval falls in each day.
 *
 * Days are half-open ranges [start, end) in epoch milliseconds.
 */

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export interface LocalDay {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** IANA names only (e.g. `Europe/Paris`, `UTC`, `Etc/GMT+5`); no bare offsets like `+02:00`. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * Zones IANA renamed whose old name some ICU versions (Node 20's among them)
 * still answer as canonical: TAB stores and shows today's name.
 */
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
};

/** The canonical spelling of an IANA time zone (today's name for a renamed one), or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  if (name.length > 64 || !ZONE_NAME.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return RENAMED[resolved] ?? resolved;
  } catch {
    return null;
  }
}

/** Wall-clock fields of an instant in a zone. */
export function wallClock(ms: number, timeZone: string): CivilDate & { hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

export function localDate(ms: number, timeZone: string): CivilDate {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich), to the second. */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const civilKey = (d: CivilDate) => d.year * 10_000 + d.month * 100 + d.day;

export function formatCivil(d: CivilDate): string {
  const y = String(d.year).padStart(4, '0');
  return `${y}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The local date (YYYY-MM-DD) of instants in one zone, remembered per quarter
 * hour: every zone offset in use is a multiple of 15 minutes, so one date per
 * bucket is exact, and a report over thousands of entries formats each
 * quarter hour once.
 */
export function localDateCache(timeZone: string): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    const bucket = Math.floor(ms / 900_000);
    let date = cache.get(bucket);
    if (date === undefined) {
      date = formatCivil(localDate(bucket * 900_000, timeZone));
      cache.set(bucket, date);
    }
    return date;
  };
}

/** The civil date `days` after `d` (negative goes back). */
export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export function isoWeekday(d: CivilDate): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
}

/**
 * The first instant of a local day: local midnight, or where a DST change
 * skips midnight, the first instant that shows that date.
 */
export function startOfLocalDay(d: CivilDate, timeZone: string): number {
  const target = civilKey(d);
  const naive = Date.UTC(d.year, d.month - 1, d.day);
  // Two rounds settle the offset in every case but a change right at midnight.
  let t = naive - offsetAt(naive, timeZone);
  t = naive - offsetAt(t, timeZone);
  const before = civilKey(localDate(t - 1, timeZone));
  if (civilKey(localDate(t, timeZone)) === target && before < target) return t;
  // Fallback: binary search the first instant whose local date is >= the target.
  let lo = naive - 36 * 3_600_000;
  let hi = naive + 36 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (civilKey(localDate(mid, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function localDay(d: CivilDate, timeZone: string): LocalDay {
  return { date: formatCivil(d), start: startOfLocalDay(d, timeZone), end: startOfLocalDay(addDays(d, 1), timeZone) };
}

/** Today and the Monday-to-Sunday week that contains `now`, in the zone. */
export function weekAround(now: number, timeZone: string): { today: LocalDay; todayIndex: number; days: LocalDay[] } {
  const today = localDate(now, timeZone);
  const todayIndex = isoWeekday(today);
  const monday = addDays(today, -todayIndex);
  const starts = Array.from({ length: 8 }, (_, i) => startOfLocalDay(addDays(monday, i), timeZone));
  const days = Array.from({ length: 7 }, (_, i) => ({ date: formatCivil(addDays(monday, i)), start: starts[i]!, end: starts[i + 1]! }));
  return { today: days[todayIndex]!, todayIndex, days };
}

/** How many ms of [start, end) fall in each day. */
export function splitAcrossDays(start: number, end: number, days: readonly Pick<LocalDay, 'start' | 'end'>[]): number[] {
  return days.map((day) => Math.max(0, Math.min(end, day.end) - Math.max(start, day.start)));
}
