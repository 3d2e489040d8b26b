const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "Just now", "5 min ago", "3 hr ago", "1 day ago", "2 days ago": the wording of
 * the Active sessions card. Always rounds down, so a session seen 59 s ago is
 * "Just now" and one seen 23 h 59 min ago is "23 hr ago". A time in the future
 * (clock skew between client and server) reads as "Just now".
 */
export function relativeTime(then: Date | string | number, now: Date | number): string {
  const thenMs = new Date(then).getTime();
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const elapsed = nowMs - thenMs;
  if (!Number.isFinite(elapsed) || elapsed < MINUTE) return 'Just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} hr ago`;
  const days = Math.floor(elapsed / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}
