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
