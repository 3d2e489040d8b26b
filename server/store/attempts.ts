/**
 * What the throttles count: attempts under a key (a sign-in's email, its
 * client address, a user's password re-check). An attempt is reserved before
 * the password is checked, so that attempts running at the same time all
 * count; one that succeeds is forgotten, one that fails stays as a failure.
 */
export interface AttemptStore {
  /**
   * Reserves one attempt under each key, or none: if any key already has
   * `limit` attempts after `since`, nothing is written and the answer names
   * that key and when its oldest attempt leaves the window. Serialized per
   * key on every server, so concurrent reservations never pass a limit.
   */
  reserveAttempts(limits: readonly AttemptLimit[], since: number, at: number): Promise<AttemptReservation>;
  /** Forgets the given reserved attempts (they did not fail), and every attempt under `clearKeys` (a success clears them). */
  forgetAttempts(ids: readonly number[], clearKeys?: readonly string[]): Promise<void>;
}

export interface AttemptLimit {
  key: string;
  limit: number;
}

export type AttemptReservation =
  /** `earlier[i]`: attempts under `limits[i].key` in the window before this one. */
  | { ok: true; ids: number[]; earlier: number[] }
  | { ok: false; key: string; oldestAt: number };
