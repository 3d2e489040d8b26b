import { MINUTE_MS, type Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import type { TabStore } from '../store/types.js';

/** Every throttle's window. */
export const ATTEMPT_WINDOW_MS = 15 * MINUTE_MS;
/** Failed sign-ins per email, per address (across emails), and failed password re-checks per user, within the window. */
export const SIGN_IN_LIMIT_PER_EMAIL = 10;
export const SIGN_IN_LIMIT_PER_ADDRESS = 50;
export const REAUTH_LIMIT_PER_USER = 10;

export const throttleKeys = {
  signInEmail: (email: string) => `sign-in:${email}`,
  signInAddress: (ip: string) => `sign-in-ip:${ip}`,
  reauth: (userId: string) => `reauth:${userId}`,
};

/** A sign-in's two limits (its email's failures, its address's), the password step's and the two-factor step's alike. */
export const signInLimits = (email: string, ip: string): ThrottleLimit[] => [
  { key: throttleKeys.signInEmail(email), limit: SIGN_IN_LIMIT_PER_EMAIL, what: 'failed sign-ins for this email' },
  { key: throttleKeys.signInAddress(ip), limit: SIGN_IN_LIMIT_PER_ADDRESS, what: 'failed sign-ins from your network' },
];

export interface ThrottleLimit {
  key: string;
  limit: number;
  /** What the 429 says is limited, e.g. "failed sign-ins for this email". */
  what: string;
}

/** A reserved attempt: it counts as a failure unless it is forgotten. */
export class Attempt {
  constructor(
    private readonly store: TabStore,
    private readonly ids: number[],
    /** Attempts under each limit's key before this one, in the window. */
    readonly earlier: number[],
  ) {}

  /** It succeeded: it was not a failure, and the failures under `clearKeys` are cleared. */
  succeeded(clearKeys: string[] = []): Promise<void> {
    return this.store.forgetAttempts(this.ids, clearKeys);
  }

  /** It never got to the password check (the server was busy): it does not count. */
  abandoned(): Promise<void> {
    return this.store.forgetAttempts(this.ids);
  }
}

/**
 * The throttles of sign-in and of password re-checks. An attempt is reserved
 * BEFORE the password is checked, under every key that limits it, in one
 * serialized step: N attempts at once count N, so a burst cannot get more
 * checks than the limit however it is timed. A failed attempt stays as a
 * failure for the window; one that succeeds is forgotten.
 */
export class AttemptThrottle {
  constructor(private readonly deps: { store: TabStore; clock: Clock }) {}

  async reserve(limits: ThrottleLimit[]): Promise<Attempt> {
    const now = this.deps.clock.now();
    const result = await this.deps.store.reserveAttempts(limits, this.since(now), now);
    if (result.ok) return new Attempt(this.deps.store, result.ids, result.earlier);
    throw this.refusal(limits, result, now);
  }

  /** The window's start for a count made `now`. */
  since(now: number): number {
    return now - ATTEMPT_WINDOW_MS;
  }

  /** The 429 for a count over `key`'s limit (also answered by the two-factor step's own count, server/mfa/login-challenges.ts). */
  refusal(limits: ThrottleLimit[], over: { key: string; oldestAt: number }, now: number): HttpError {
    const retryAfter = Math.max(1, Math.ceil((over.oldestAt + ATTEMPT_WINDOW_MS - now) / 1000));
    const what = limits.find((l) => l.key === over.key)?.what ?? 'attempts';
    return new HttpError('too_many_attempts', `Too many ${what}. Try again in ${retryAfter} seconds.`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }
}
