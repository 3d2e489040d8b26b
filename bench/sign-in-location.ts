/**
 * What locating a session costs a sign-in. One server, sequential sign-ins,
 * alternating between two kinds: from a new public address every time
 * (X-Forwarded-For through `--trust-proxy loopback`), so every one misses the
 * location cache and walks the database's tree (the worst case), and from a
 * private address, which is never looked up. Same process, same moment, same
 * everything else: the difference is the lookup. The lookup alone is also
 * timed in this process on a cold cache.
 *
 * The bench user's password is hashed with scrypt N=2^10 instead of 2^15 (the
 * parameters travel with each hash): the production KDF's tens of
 * milliseconds, and their variance on a shared machine, would hide a
 * difference of microseconds. It adds the same to both kinds.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes, randomInt, scryptSync } from 'node:crypto';
import { openDefaultGeoIpDatabase } from '../server/geoip/geoip-database.js';
import { GeoIpLocator } from '../server/geoip/locator.js';
import { percentile, startBenchServer, type BenchServer } from './fixtures.js';

export interface SignInLocationResult {
  samples: number;
  withLookup: { p50Ms: number; p99Ms: number };
  withoutLookup: { p50Ms: number; p99Ms: number };
  p99DifferenceMs: number;
  located: number;
  lookup: { samples: number; p50Us: number; p99Us: number };
}

/** A public IPv4 address (first octet 1–223, not 10, 100, 127, 169, 172, 192, 198, 203), new each time. */
const randomPublicIp = () => {
  let first: number;
  do first = randomInt(1, 224);
  while ([10, 100, 127, 169, 172, 192, 198, 203].includes(first));
  return `${first}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
};

async function signIn(server: BenchServer, ip: string): Promise<{ ms: number; located: boolean }> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email: 'ana@demo.test', password: 'demo-pass-2026' }),
  });
  const body = (await res.json()) as { session?: { location: unknown } };
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  return { ms, located: body.session?.location != null };
}

function cheapHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function benchSignInLocation(samples = 1000): Promise<SignInLocationResult> {
  const server = await startBenchServer('sqlite', { trustProxy: ['loopback'] });
  await server.store.kysely.updateTable('users').set({ password_hash: cheapHash('demo-pass-2026') }).where('email', '=', 'ana@demo.test').execute();
  const privateIp = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  try {
    for (let i = 0; i < 20; i++) await signIn(server, i % 2 ? randomPublicIp() : privateIp()); // warm-up
    const withTimes: number[] = [];
    const withoutTimes: number[] = [];
    let locatedCount = 0;
    for (let i = 0; i < samples; i++) {
      // Alternate which goes first, so that neither always follows the other.
      for (const looked of i % 2 === 0 ? [true, false] : [false, true]) {
        const result = await signIn(server, looked ? randomPublicIp() : privateIp());
        if (looked) {
          withTimes.push(result.ms);
          if (result.located) locatedCount++;
        } else withoutTimes.push(result.ms);
      }
    }
    withTimes.sort((a, b) => a - b);
    withoutTimes.sort((a, b) => a - b);

    const locator = new GeoIpLocator(await openDefaultGeoIpDatabase());
    const addresses = Array.from({ length: 20_000 }, randomPublicIp);
    for (const a of addresses.slice(0, 2000)) locator.locate(a); // JIT warm-up; these are cached, the rest are not
    const lookupTimes: number[] = [];
    for (const address of addresses.slice(2000)) {
      const t0 = performance.now();
      locator.locate(address);
      lookupTimes.push((performance.now() - t0) * 1000);
    }
    lookupTimes.sort((a, b) => a - b);

    const withLookup = { p50Ms: percentile(withTimes, 50), p99Ms: percentile(withTimes, 99) };
    const withoutLookup = { p50Ms: percentile(withoutTimes, 50), p99Ms: percentile(withoutTimes, 99) };
    return {
      samples,
      withLookup,
      withoutLookup,
      p99DifferenceMs: withLookup.p99Ms - withoutLookup.p99Ms,
      located: locatedCount,
      lookup: { samples: lookupTimes.length, p50Us: percentile(lookupTimes, 50), p99Us: percentile(lookupTimes, 99) },
    };
  } finally {
    await server.close();
  }
}
