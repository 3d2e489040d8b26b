import { createHook } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultGeoIpFiles, GeoIpDatabaseError, openDefaultGeoIpDatabase, openGeoIpDatabase } from '../../server/geoip/geoip-database.js';
import { GeoIpLocator } from '../../server/geoip/locator.js';
import { parseServerArgs } from '../../server/cli/args.js';
import { SPAWN_TEST_TIMEOUT, spawnServer } from '../support/server-process.js';
import { call, from, LISBON_IP, LONDON_IP, US_IP, US_IP_2 } from '../support/api.js';
import { geoIp2City, writeMmdb } from '../support/mmdb-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'tab-geoip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A firm's own GeoIP2 City file, in small: 193.136.0.0/16 is "Springfield, Testland" there (Lisbon in the shipped database). */
const FIRM_MMDB = join(dir, 'Firm-GeoIP2-City.mmdb');
writeFileSync(
  FIRM_MMDB,
  writeMmdb({
    databaseType: 'GeoIP2-City',
    ipVersion: 6,
    networks: [
      { network: '193.136.0.0', prefix: 16, data: geoIp2City('Springfield', 'Region One', 'Testland', 'XT') },
      { network: '2a00:1450::', prefix: 32, data: geoIp2City('Sixville', 'Region Six', 'Sixland', 'XS') },
    ],
  }),
);

describe('the shipped database (DB-IP Lite City)', () => {
  let locator: GeoIpLocator;
  beforeAll(async () => {
    locator = new GeoIpLocator(await openDefaultGeoIpDatabase());
  });

  it('locates well-known public addresses: resolvers by their country, a Lisbon university network by city', () => {
    expect(locator.locate(US_IP)).toMatchObject({ countryCode: 'US', country: 'United States' });
    expect(locator.locate(US_IP_2)).toMatchObject({ countryCode: 'US' });
    expect(locator.locate(LONDON_IP)).toMatchObject({ countryCode: 'GB', country: 'United Kingdom' });
    expect(locator.locate(LISBON_IP)).toEqual({ city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' });
    // IPv6 is answered by the IPv6 file.
    expect(locator.locate('2001:4860:4860::8888')?.countryCode).toMatch(/^[A-Z]{2}$/);
  });

  it.each(['10.0.0.1', '10.255.3.4', '127.0.0.1', '::1', '192.168.1.20', '172.16.5.5', '169.254.1.1', '100.64.0.1', 'fd00::1', 'fe80::1', '203.0.113.9', '0.0.0.0', 'unknown', ''])(
    'answers null for %j (private, loopback, reserved or not an address)',
    (address) => {
      expect(locator.locate(address)).toBeNull();
    },
  );

  it('looks an address up once: repeats come from the bounded cache, private addresses are never looked up', () => {
    const fresh = new GeoIpLocator({ lookup: (a, f) => locator['database'].lookup(a, f), about: locator.about }, 3);
    fresh.locate(US_IP);
    fresh.locate(US_IP);
    fresh.locate('10.1.1.1');
    fresh.locate('10.1.1.1');
    expect(fresh.lookups).toBe(1);
    // Bounded: past 3 addresses the oldest is forgotten and looked up again when it returns.
    for (const ip of [LONDON_IP, LISBON_IP, US_IP_2]) fresh.locate(ip);
    fresh.locate(US_IP);
    expect(fresh.lookups).toBe(5);
  });

  it('never answers anything but a location or null, whatever the address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 60 })), (address) => {
        const location = locator.locate(address);
        if (location === null) return;
        expect(Object.keys(location).sort()).toEqual(['city', 'country', 'countryCode', 'region']);
        if (location.countryCode !== null) expect(location.countryCode).toMatch(/^[A-Z]{2}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('says what it is and whom to credit', () => {
    expect(locator.about).toMatchObject({ name: 'DB-IP Lite City', credit: { text: 'IP Geolocation by DB-IP', url: 'https://db-ip.com', license: 'CC BY 4.0' } });
    expect(locator.about.builtAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('opens no socket: neither opening the database nor a thousand lookups touch the network (and the probe sees one that does)', async () => {
    const NETWORK = new Set(['TCPWRAP', 'TCPCONNECTWRAP', 'TCPSERVERWRAP', 'UDPWRAP', 'UDPSENDWRAP', 'GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP', 'QUERYWRAP', 'PIPECONNECTWRAP', 'TLSWRAP', 'HTTPCLIENTREQUEST']);
    const seen: string[] = [];
    const hook = createHook({ init: (_id, type) => void (NETWORK.has(type) && seen.push(type)) }).enable();
    try {
      // A fresh open (another cache key than the shared one), then lookups of random public addresses.
      const database = await openGeoIpDatabase(defaultGeoIpFiles(), { name: 'no-socket probe' });
      const probe = new GeoIpLocator(database);
      for (const address of fc.sample(fc.oneof(fc.ipV4(), fc.ipV6()), 1000)) probe.locate(address);
      expect(probe.lookups).toBeGreaterThan(500);
      expect(seen).toEqual([]);

      // The probe itself works: a real connection is seen.
      const server = createServer((socket) => socket.end()).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      await new Promise<void>((resolve) => connect(port, '127.0.0.1').on('close', () => resolve()).on('error', () => resolve()));
      server.close();
      expect(seen).toContain('TCPWRAP');
    } finally {
      hook.disable();
    }
  });
});

describe('a database of the firm’s own (--geoip-db)', () => {
  it('answers from that file, for IPv4 held in its IPv6 tree and for IPv6', async () => {
    const firm = new GeoIpLocator(await openGeoIpDatabase([FIRM_MMDB]));
    expect(firm.locate(LISBON_IP)).toEqual({ city: 'Springfield', region: 'Region One', country: 'Testland', countryCode: 'XT' });
    expect(firm.locate('2a00:1450:4001::1')).toEqual({ city: 'Sixville', region: 'Region Six', country: 'Sixland', countryCode: 'XS' });
    expect(firm.locate(US_IP)).toBeNull();
    expect(firm.about).toMatchObject({ name: 'GeoIP2-City', credit: null });
  });

  it('parses --geoip-db and TAB_GEOIP_DB (the flag wins); "off" turns locations off', () => {
    expect(parseServerArgs(['--geoip-db', 'a.mmdb'], { TAB_GEOIP_DB: 'b.mmdb' }).geoipDb).toBe('a.mmdb');
    expect(parseServerArgs([], { TAB_GEOIP_DB: 'b.mmdb' }).geoipDb).toBe('b.mmdb');
    expect(parseServerArgs([], {}).geoipDb).toBeUndefined();
    expect(parseServerArgs(['--geoip-db', 'off'], {}).geoipDb).toBe('off');
    expect(() => parseServerArgs(['--geoip-db', ''], {})).toThrow(/--geoip-db/);
  });

  it('the real server process locates sessions with it (through --trust-proxy loopback)', async () => {
    const server = await spawnServer(['--db', join(dir, 'firm.sqlite'), '--seed-demo', '--trust-proxy', 'loopback', '--geoip-db', FIRM_MMDB]);
    try {
      const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' }, headers: from(LISBON_IP) });
      expect(res.status).toBe(200);
      expect(res.body.session).toMatchObject({ ip: LISBON_IP, lastIp: LISBON_IP, location: { city: 'Springfield', country: 'Testland', countryCode: 'XT' } });
      const about = await call(server.url, 'GET', '/api/v1/about');
      expect(about.body.locationData).toMatchObject({ name: 'GeoIP2-City', credit: null });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, SPAWN_TEST_TIMEOUT);

  it('--geoip-db off: no locations, and nothing looked up', async () => {
    const server = await spawnServer(['--db', join(dir, 'off.sqlite'), '--seed-demo', '--trust-proxy', 'loopback', '--geoip-db', 'off']);
    try {
      const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' }, headers: from(LISBON_IP) });
      expect(res.body.session.location).toBeNull();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, SPAWN_TEST_TIMEOUT);

  const badFiles: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'nowhere.mmdb'), /nowhere\.mmdb: no such file/],
    ['a folder', () => dir, /is a folder/],
    ['random bytes', () => file('random.mmdb', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))), /random\.mmdb is not a MaxMind DB \(\.mmdb\) file/],
    ['a gzipped database', () => file('City.mmdb.gz', gzipSync(writeMmdb({ databaseType: 'GeoIP2-City', ipVersion: 6, networks: [] }))), /not a MaxMind DB.*gzip/],
    ['an ASN database', () => file('ASN.mmdb', writeMmdb({ databaseType: 'GeoLite2-ASN', ipVersion: 6, networks: [{ network: '8.8.8.0', prefix: 24, data: { autonomous_system_number: 15169 } }] })), /"GeoLite2-ASN" database; TAB needs a city or country database/],
    ['a truncated database', () => file('cut.mmdb', Buffer.concat([Buffer.alloc(64), Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')])), /cut\.mmdb is not a MaxMind DB|cut\.mmdb is damaged/],
  ];
  function file(name: string, bytes: Buffer) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it.each(badFiles)('refuses %s with the reason', async (_what, make, reason) => {
    await expect(openGeoIpDatabase([make()])).rejects.toThrow(GeoIpDatabaseError);
    await expect(openGeoIpDatabase([make()])).rejects.toThrow(reason);
  });

  it('the real server process refuses to start with a bad --geoip-db, saying which file and why', async () => {
    await expect(spawnServer(['--db', ':memory:', '--geoip-db', join(dir, 'nowhere.mmdb')])).rejects.toThrow(/TAB server could not start: --geoip-db: .*nowhere\.mmdb: no such file/);
    const asn = file('ASN2.mmdb', writeMmdb({ databaseType: 'GeoLite2-ASN', ipVersion: 6, networks: [] }));
    await expect(spawnServer(['--db', ':memory:', '--geoip-db', asn])).rejects.toThrow(/--geoip-db: .*ASN2\.mmdb is a "GeoLite2-ASN" database/);
  });
});
