import { BlockList, isIP } from 'node:net';

/**
 * Addresses that are nobody's location: private networks, loopback, link-local,
 * carrier-grade NAT, documentation and benchmarking ranges, multicast and the
 * reserved rest. A session from one of them has no location (null), whatever
 * a database might claim, and is never "another country".
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** 4 or 6 for a public address, 0 for anything else (not an address, or one of the ranges above). */
export function publicAddressFamily(address: string): 0 | 4 | 6 {
  const family = isIP(address);
  if (family === 0) return 0;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return NOT_PUBLIC.check(address, type) ? 0 : (family as 4 | 6);
}
