import { isIP } from 'node:net';

/** Named ranges that Fastify's `trustProxy` (proxy-addr) understands. */
const NAMED_RANGES: Record<string, string> = {
  loopback: '127.0.0.1/8 and ::1',
  linklocal: '169.254.0.0/16 and fe80::/10',
  uniquelocal: '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and fc00::/7',
};

/**
 * Parses `--trust-proxy` / `TAB_TRUST_PROXY`: a comma-separated list of
 * addresses, CIDR ranges or the names `loopback`, `linklocal`, `uniquelocal`.
 * Only a request arriving *from* one of these has its `X-Forwarded-For`,
 * `-Proto` and `-Host` believed; everything else is judged by its socket.
 * Refuses anything it does not understand, so that a typo cannot silently
 * trust nobody (or everybody).
 */
export function parseTrustProxy(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('--trust-proxy needs at least one address, CIDR range or "loopback".');
  for (const entry of entries) {
    if (!isTrustEntry(entry)) {
      throw new Error(
        `--trust-proxy: "${entry}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of ${Object.keys(NAMED_RANGES).join(', ')}.`,
      );
    }
  }
  return entries;
}

function isTrustEntry(entry: string): boolean {
  if (entry in NAMED_RANGES) return true;
  const slash = entry.indexOf('/');
  if (slash === -1) return isIP(entry) !== 0;
  const family = isIP(entry.slice(0, slash));
  const prefix = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
