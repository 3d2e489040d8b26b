/** A duration as h:mm, what a time sheet shows ("0:25", "10:03"); rounded to the minute. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

const CLOCK = /^(\d{1,4}):([0-5]\d)$/;
const DECIMAL_HOURS = /^(\d{0,4})(?:[.,](\d{1,4}))?$/;
const HOURS_MINUTES = /^(?:(\d{1,4})\s*h(?:rs?|ours?)?)?\s*(?:(\d{1,6})\s*m(?:in(?:utes?|s)?)?)?$/;
const HOURS_THEN_BARE_MINUTES = /^(\d{1,4})\s*h\s*([0-5]?\d)$/;

/**
 * A typed duration in whole minutes, or null when it is not one. What a
 * time sheet accepts (issue #14 item 6), the same on every side:
 * `1:30` (h:mm), `1.5` or `1,5` (decimal hours, rounded to the minute),
 * `1h30`, `1h 30m`, `2h`, `90m`, `90 min`. Spaces around are ignored, case
 * too. `0`, `0:00` parse as 0: whether zero is allowed is the caller's rule.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  let match = CLOCK.exec(t);
  if (match) return Number(match[1]) * 60 + Number(match[2]);
  match = DECIMAL_HOURS.exec(t);
  if (match && (match[1] !== '' || match[2] !== undefined)) {
    const hours = Number(`${match[1] || '0'}.${match[2] ?? '0'}`);
    return Math.round(hours * 60);
  }
  match = HOURS_THEN_BARE_MINUTES.exec(t);
  if (match) return Number(match[1]) * 60 + Number(match[2]);
  match = HOURS_MINUTES.exec(t);
  if (match && (match[1] !== undefined || match[2] !== undefined)) {
    return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  }
  return null;
}
