import { isIP } from 'node:net';

/**
 * A minimal MaxMind DB (MMDB 2.0) writer, for tests that need a database of
 * their own (a firm's GeoIP2 City file cannot be had here). Enough of the
 * format for city/country lookups: a search tree with 32-bit records, a data
 * section of maps, strings, arrays, unsigned integers and booleans, and the
 * metadata. Networks must not overlap.
 * Spec: https://maxmind.github.io/MaxMind-DB/
 */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue } | UInt;

class UInt {
  constructor(
    readonly type: 5 | 6 | 9,
    readonly value: bigint,
  ) {}
}
const uint16 = (n: number) => new UInt(5, BigInt(n));
const uint64 = (n: number) => new UInt(9, BigInt(n));

export interface MmdbNetwork {
  /** An IPv4 or IPv6 network address, e.g. "193.136.0.0". */
  network: string;
  prefix: number;
  data: MmdbValue;
}

export interface MmdbOptions {
  databaseType: string;
  ipVersion: 4 | 6;
  networks: MmdbNetwork[];
  languages?: string[];
  buildEpochSeconds?: number;
}

export function writeMmdb(options: MmdbOptions): Buffer {
  type Child = TreeNode | { data: number } | null;
  interface TreeNode {
    children: [Child, Child];
  }
  const root: TreeNode = { children: [null, null] };
  const dataValues: MmdbValue[] = [];

  for (const { network, prefix, data } of options.networks) {
    const family = isIP(network);
    if (family === 6 && options.ipVersion === 4) throw new Error('an IPv6 network in an IPv4 database');
    const bits = family === 4 && options.ipVersion === 6 ? [...new Array<number>(96).fill(0), ...bitsOf(network)] : bitsOf(network);
    const length = family === 4 && options.ipVersion === 6 ? prefix + 96 : prefix;
    dataValues.push(data);
    let node = root;
    for (let depth = 0; depth < length; depth++) {
      const bit = bits[depth]!;
      if (depth === length - 1) {
        node.children[bit] = { data: dataValues.length - 1 };
      } else {
        let next = node.children[bit];
        if (!next) node.children[bit] = next = { children: [null, null] };
        if (!('children' in next)) throw new Error(`${network}/${prefix} overlaps another network`);
        node = next;
      }
    }
  }

  // Number the nodes breadth first; the root is 0.
  const nodes: TreeNode[] = [root];
  for (let i = 0; i < nodes.length; i++) for (const child of nodes[i]!.children) if (child && 'children' in child) nodes.push(child);
  const numbers = new Map(nodes.map((n, i) => [n, i]));

  const dataChunks: Buffer[] = [];
  const offsets: number[] = [];
  let dataSize = 0;
  for (const value of dataValues) {
    const encoded = encode(value);
    offsets.push(dataSize);
    dataChunks.push(encoded);
    dataSize += encoded.length;
  }

  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 8);
  nodes.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const record = child === null ? nodeCount : 'children' in child ? numbers.get(child)! : nodeCount + 16 + offsets[child.data]!;
      tree.writeUInt32BE(record, i * 8 + side * 4);
    });
  });

  const metadata = encode({
    node_count: nodeCount,
    record_size: uint16(32),
    ip_version: uint16(options.ipVersion),
    database_type: options.databaseType,
    languages: options.languages ?? ['en'],
    binary_format_major_version: uint16(2),
    binary_format_minor_version: uint16(0),
    build_epoch: uint64(options.buildEpochSeconds ?? Math.floor(Date.now() / 1000)),
    description: { en: `${options.databaseType} written by a TAB test` },
  });
  const marker = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')]);
  return Buffer.concat([tree, Buffer.alloc(16), ...dataChunks, marker, metadata]);
}

function bitsOf(address: string): number[] {
  const bytes = isIP(address) === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  return bytes.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
}

function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function control(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 29 + 256) [sizeBits, extra] = [29, [size - 29]];
  else if (size < 285 + 65536) [sizeBits, extra] = [30, [(size - 285) >> 8, (size - 285) & 0xff]];
  else [sizeBits, extra] = [31, [((size - 65821) >> 16) & 0xff, ((size - 65821) >> 8) & 0xff, (size - 65821) & 0xff]];
  return Buffer.from(type <= 7 ? [(type << 5) | sizeBits, ...extra] : [sizeBits, type - 7, ...extra]);
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') return encode(new UInt(6, BigInt(value)));
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (value instanceof UInt) {
    const bytes: number[] = [];
    for (let v = value.value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
    return Buffer.concat([control(value.type, bytes.length), Buffer.from(bytes)]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

/** A GeoIP2 City record, as MaxMind's files hold them. */
export function geoIp2City(city: string, region: string, country: string, isoCode: string): MmdbValue {
  return {
    city: { geoname_id: 1, names: { en: city } },
    country: { geoname_id: 2, iso_code: isoCode, names: { en: country } },
    subdivisions: [{ geoname_id: 3, iso_code: '01', names: { en: region } }],
    location: { accuracy_radius: 20, time_zone: 'Europe/Lisbon' },
  };
}
