import type { About } from '../../shared/api/about.js';
import type { SessionLocation } from '../../shared/api/events.js';
import { setBounded } from '../platform/bounded-map.js';
import type { GeoIpDatabase } from './geoip-database.js';
import { publicAddressFamily } from './public-address.js';

/** Recent addresses and their answers: a few MB at most, and a firm's devices come from far fewer addresses. */
export const LOCATION_CACHE_MAX = 10_000;

/**
 * Where an address is, from a local database: synchronous, no I/O (the
 * database is in memory), never a network call. Private, loopback and
 * reserved addresses are null without a lookup. Answers (null ones too) are
 * kept per address in a bounded memory, so a device that keeps its address
 * costs one Map read, and changing addresses cost one tree walk each.
 */
export interface Locator {
  locate(address: string): SessionLocation | null;
  readonly about: About['locationData'];
}

export class GeoIpLocator implements Locator {
  private readonly recent = new Map<string, SessionLocation | null>();
  /** Tree walks done (not cache hits): for tests and the benchmark. */
  lookups = 0;

  constructor(
    private readonly database: GeoIpDatabase,
    private readonly max = LOCATION_CACHE_MAX,
  ) {}

  get about() {
    return this.database.about;
  }

  locate(address: string): SessionLocation | null {
    const kept = this.recent.get(address);
    if (kept !== undefined) return kept;
    const unmapped = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
    const family = publicAddressFamily(unmapped);
    let location: SessionLocation | null = null;
    if (family !== 0) {
      this.lookups++;
      location = this.database.lookup(unmapped, family);
    }
    setBounded(this.recent, address, location, this.max);
    return location;
  }
}

/** `--geoip-db off`: no locations at all. */
export const NO_LOCATIONS: Locator = {
  locate: () => null,
  about: { name: 'none', builtAt: null, credit: null },
};
