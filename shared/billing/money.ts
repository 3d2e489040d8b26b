/**
 * Money is integer cents. An amount is rounded half up to the cent ONCE per
 * billing unit (an entry, or a day-per-matter group), and every total adds
 * rounded amounts (README, "Money").
 */

/** minutes × hourly rate, half up to the cent. Exact for any realistic input (integer arithmetic below 2^53). */
export function amountForMinutes(minutes: number, hourlyRateCents: number): number {
  if (!Number.isInteger(minutes) || !Number.isInteger(hourlyRateCents)) throw new RangeError('minutes and cents are integers');
  const product = minutes * hourlyRateCents;
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 30) / 60);
}

/** Raw time (milliseconds) × hourly rate, half up to the cent: what an unbilled entry is worth (WIP stays at raw time). */
export function amountForMs(ms: number, hourlyRateCents: number): number {
  return Math.floor((ms * hourlyRateCents + 1_800_000) / 3_600_000);
}

/** A percentage of an amount (write-up/down, tax), rounded half away from zero to the cent once. `percent` may have up to 4 decimals. */
export function percentOf(amountCents: number, percent: number): number {
  const basisPoints = Math.round(percent * 10_000); // percent × 10^4
  const product = amountCents * basisPoints; // cents × percent × 10^4; divide by 100 × 10^4
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 500_000) / 1_000_000);
}
