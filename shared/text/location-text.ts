import type { SessionLocation } from '../api/events.js';

/**
 * A location as people say it: "Lisbon, Portugal"; "Portugal" without a
 * city; the region stands in for a missing city ("California, United
 * States"). Null when nothing is known. The server's alerts and every screen
 * use this one wording.
 */
export function locationText(location: SessionLocation | null | undefined): string | null {
  if (!location) return null;
  const place = location.city ?? location.region;
  const country = location.country ?? location.countryCode;
  if (place && country) return `${place}, ${country}`;
  return place ?? country ?? null;
}
