import { FormatRegistry } from '@sinclair/typebox';

/**
 * String formats the TypeBox schemas of `shared/api` use, as plain functions.
 * The server checks them with ajv-formats; everything else that validates
 * against the same schemas with TypeBox (the desktop's IPC arguments) registers
 * these, so a value is judged the same way on both sides of the pipe.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/i;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * An RFC 3339 instant with an existing calendar date and clock time:
 * seconds required, a fraction optional, `Z` or a `±hh:mm` offset.
 * (Date.parse would roll 2026-02-30 over to March; this refuses it.)
 */
export function isDateTime(value: string): boolean {
  if (value.length > 40) return false;
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours = '00', offsetMinutes = '00'] = match.slice(1).map((part) => part ?? '00') as string[];
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = m === 2 && isLeapYear(y) ? 29 : DAYS[m - 1]!;
  if (d > daysInMonth) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  return Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59;
}

export const SHARED_FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  'date-time': isDateTime,
};

/** Makes TypeBox's Value.Check know the shared formats (idempotent). */
export function registerSharedFormats(): void {
  for (const [name, check] of Object.entries(SHARED_FORMATS)) if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
}
