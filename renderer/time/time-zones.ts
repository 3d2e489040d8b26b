import { canonicalTimeZone, offsetAt } from '../../shared/time/zoned-days.js';

export interface ZoneOption {
  id: string;
  /** "Europe/Berlin (UTC+01:00)": the offset now, which is what people recognise. */
  text: string;
}

/** "+01:00", "-03:30", "+05:45". */
export function offsetText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Every IANA zone this browser knows, by name, with its offset at `now`. `UTC`
 * first (Intl's list may leave it out), and `include` (the saved zone) kept
 * even if the browser's list lacks it.
 */
export function timeZoneOptions(now: number, include: readonly string[] = []): ZoneOption[] {
  let names: string[];
  try {
    names = Intl.supportedValuesOf('timeZone');
  } catch {
    names = [];
  }
  // Today's names (an older ICU lists Asia/Calcutta for Asia/Kolkata), each once.
  const all = [...new Set([...names, ...include].map((n) => canonicalTimeZone(n) ?? n).filter((n) => n !== 'UTC' && n !== 'Etc/UTC'))].sort();
  return ['UTC', ...all].map((id) => ({ id, text: id === 'UTC' ? 'UTC' : `${id.replace(/_/g, ' ')} (UTC${offsetText(offsetAt(now, id))})` }));
}
