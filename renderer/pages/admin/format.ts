import { relativeTime } from '../../../shared/time/relative-time.js';

export const ROLE_NAMES = { admin: 'Admin', manager: 'Manager', accountant: 'Accountant' } as const;

export const lastSeenText = (at: string | null, now: number) => (at === null ? 'Never' : relativeTime(at, now));

