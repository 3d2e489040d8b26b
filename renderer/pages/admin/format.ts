import { relativeTime } from '../../../shared/time/relative-time.js';

export const ROLE_NAMES = { admin: 'Admin', manager: 'Manager', accountant: 'Accountant' } as const;

export const lastSeenText = (at: string | null, now: number) => (at === null ? 'Never' : relativeTime(at, now));

/** A date and time in the reader's locale, to the second (audit entries). */
export const dateTimeText = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
