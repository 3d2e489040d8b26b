import { setBounded } from '../platform/bounded-map.js';

/**
 * This process's memory of failed sign-ins per client address, within a
 * window: only to decide who waits first for the password-hashing pool (the
 * limits themselves are kept in the database). Bounded: past `max`
 * addresses, the oldest is forgotten, which only makes it rank as new again.
 */
export class RecentFailures {
  private readonly byKey = new Map<string, { count: number; windowStart: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly max = 10_000,
  ) {}

  count(key: string, now: number): number {
    const entry = this.byKey.get(key);
    return entry && now - entry.windowStart < this.windowMs ? entry.count : 0;
  }

  add(key: string, now: number): void {
    const entry = this.byKey.get(key);
    if (entry && now - entry.windowStart < this.windowMs) entry.count++;
    else setBounded(this.byKey, key, { count: 1, windowStart: now }, this.max);
  }
}
