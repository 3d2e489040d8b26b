import { amountCents, type Money, type TimeEntry } from '../../shared/api/time.js';

/** Elapsed time as hh:mm:ss (hours grow past 99 rather than wrap). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Hours as the reader writes numbers, to at most two decimals: "7.5 h". */
export function formatHours(hours: number): string {
  return `${hours.toLocaleString(undefined, { minimumFractionDigits: 0, maximumFractionDigits: 2 })} h`;
}

/** A duration as h:mm (what a time sheet shows); shared with the desktop's tray and notifications. */
export { formatDuration } from '../../shared/time/duration.js';

/** Integer cents in a currency, in the reader's locale ("€1,240.00"). */
export function formatMoney(money: Money): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(money.amountCents / 100);
  } catch {
    return `${(money.amountCents / 100).toFixed(2)} ${money.currency}`;
  }
}

export const formatAmounts = (amounts: Money[]) => (amounts.length === 0 ? '—' : amounts.map(formatMoney).join(' · '));

export function formatPercent(share: number): string {
  return share.toLocaleString(undefined, { style: 'percent', maximumFractionDigits: 0 });
}

/** How long an entry lasts; a running one counts up to `now`. */
export const entryDurationMs = (entry: Pick<TimeEntry, 'start' | 'end'>, now: number) =>
  Math.max(0, (entry.end === null ? now : Date.parse(entry.end)) - Date.parse(entry.start));

/** What a billable entry is worth (same rounding as the server: once per entry, half up); null when not billable. */
export function entryAmount(entry: TimeEntry, now: number): Money | null {
  if (!entry.billable) return null;
  return { currency: entry.currency, amountCents: amountCents(entryDurationMs(entry, now), entry.hourlyRateCents) };
}

// ---------------------------------------------------------------- local dates

const pad = (n: number) => String(n).padStart(2, '0');

/** Monday 00:00 (local time) of the week `date` falls in. */
export function startOfWeek(date: Date): Date {
  const sinceMonday = (date.getDay() + 6) % 7;
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() - sinceMonday);
}

/** Midnight `days` calendar days later (DST-safe: calendar arithmetic, not 24 h steps). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** "2026-11-23" of a local date. */
export const dateInputValue = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** A `<input type="date">` value as local midnight; null when empty or malformed. */
export function parseDateInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** An instant as a `<input type="datetime-local">` value, in local time to the minute. */
export function dateTimeInputValue(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${dateInputValue(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) as an ISO instant; null when empty or malformed. */
export function parseDateTimeInput(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).toISOString();
}

/** "Mon 23 Nov" */
export const shortDate = (date: Date) => date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** "09:30" */
export const timeOfDay = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** "23 Nov – 29 Nov 2026" for a week starting at `monday`. */
export function weekLabel(monday: Date): string {
  const sunday = addDays(monday, 6);
  const first = monday.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const last = sunday.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return `${first} – ${last}`;
}
