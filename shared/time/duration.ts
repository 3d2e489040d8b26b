/** A duration as h:mm, what a time sheet shows ("0:25", "10:03"); rounded to the minute. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
