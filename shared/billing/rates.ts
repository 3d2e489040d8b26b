/**
 * Which hourly rate an entry is billed at: the first level that has one, in
 * the order an accounting firm expects (issue #14 item 2). The server
 * snapshots the result on the entry when it is made, so a later rate change
 * applies to new entries only; the renderer shows the same answer before
 * saving, and the invoice keeps the snapshot.
 */

/** From the most specific level to the least. */
export const RATE_LEVELS = ['member-on-matter', 'matter', 'member-for-client', 'client', 'member-default'] as const;
export type RateLevel = (typeof RATE_LEVELS)[number];

/** Each level's hourly rate in integer cents, or null/undefined where that level has none. */
export type RateCandidates = Partial<Record<RateLevel, number | null>>;

export interface ResolvedRate {
  hourlyRateCents: number;
  /** Where the rate came from; 'none' when no level has one (the entry is billed at 0). */
  level: RateLevel | 'none';
}

export function resolveRate(candidates: RateCandidates): ResolvedRate {
  for (const level of RATE_LEVELS) {
    const cents = candidates[level];
    if (cents !== null && cents !== undefined) return { hourlyRateCents: cents, level };
  }
  return { hourlyRateCents: 0, level: 'none' };
}

/**
 * A client's stored rate as a candidate: clients have always had a rate
 * column that cannot be empty, so 0 is how a client says "no rate of my own,
 * use the member's default" (an unpaid client's entries are non-billable,
 * not billed at 0).
 */
export function clientRateCandidate(clientHourlyRateCents: number): number | null {
  return clientHourlyRateCents > 0 ? clientHourlyRateCents : null;
}
