import { ABSOLUTE_TIMEOUT_DAYS, INACTIVITY_TIMEOUT_MINUTES, MAX_CONCURRENT_SESSIONS_LIMIT, type SessionPolicy } from '../../../../shared/api/admin.js';

/** Only the values the server accepts, in words. */
export const INACTIVITY_OPTIONS = INACTIVITY_TIMEOUT_MINUTES.map((minutes) => ({ value: minutes, text: durationText(minutes) }));
export const ABSOLUTE_OPTIONS = ABSOLUTE_TIMEOUT_DAYS.map((days) => ({ value: days, text: days === 1 ? '1 day' : `${days} days` }));

const COMMON_LIMITS = [1, 2, 3, 5, 10, 20, 50, MAX_CONCURRENT_SESSIONS_LIMIT];

/** "No limit" plus a handful of limits, and the current one if someone set another allowed value. */
export function concurrentOptions(current: number | null): { value: string; text: string }[] {
  const limits = new Set(COMMON_LIMITS);
  if (current !== null && current >= 1 && current <= MAX_CONCURRENT_SESSIONS_LIMIT) limits.add(current);
  return [
    { value: 'none', text: 'No limit' },
    ...[...limits].sort((a, b) => a - b).map((n) => ({ value: String(n), text: n === 1 ? '1 device per member' : `${n} devices per member` })),
  ];
}

export function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  if (minutes < 1440) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  const days = minutes / 1440;
  return days === 1 ? '1 day' : `${days} days`;
}

/** True when a session always reaches its absolute timeout first, so the inactivity timeout can never end it. */
export const inactivityOutlastsAbsolute = (policy: Pick<SessionPolicy, 'inactivityTimeoutMinutes' | 'absoluteTimeoutDays'>) =>
  policy.inactivityTimeoutMinutes > policy.absoluteTimeoutDays * 1440;
