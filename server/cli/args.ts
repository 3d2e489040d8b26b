import { parseArgs } from 'node:util';
import { parseTrustProxy } from '../http/trust-proxy.js';

export interface ServerConfig {
  port: number;
  host: string;
  db: string;
  seedDemo: boolean;
  /** With seedDemo, on a SQLite file: a database that holds an older demo is deleted and seeded anew (what `npm start` asks for its own file). */
  renewDemo: boolean;
  secureCookies: boolean;
  tlsCert?: string;
  tlsKey?: string;
  webRoot?: string;
  /** Proxies whose X-Forwarded-* headers are believed; none when absent. */
  trustProxy?: string[];
  /** Request logs go to this file; the terminal gets warnings and errors only. */
  logFile?: string;
  /** An MMDB city or country database instead of the shipped one, or 'off' for no locations. */
  geoipDb?: string;
}

export class UsageError extends Error {}

export const SERVER_USAGE = `Usage: npm run server -- [--port <n>] [--db <file> | --db postgres://user@host:port/db] [--seed-demo [--renew-demo]] [--host <addr>]
                        [--secure-cookies] [--tls-cert <file> --tls-key <file>] [--web-root <dir>]
                        [--trust-proxy <list>] [--geoip-db <file.mmdb> | off]
                        [--log-file <file>]
  --seed-demo           into an empty database: the demo firm (clients, eight weeks of time, sessions, an invitation).
                        A database that holds anything else is left as it is.
  --renew-demo          with --seed-demo on a SQLite file: a database that holds nothing but an older demo (an
                        earlier version, or one made more than a week ago) is deleted and made anew.
  --trust-proxy <list>  comma-separated addresses, CIDR ranges or loopback / linklocal / uniquelocal:
                        the reverse proxies whose X-Forwarded-For / -Proto / -Host are believed.
                        Without it those headers are ignored and the client is the socket's peer.
  --geoip-db <file>     where sessions are: a MaxMind DB city or country file (e.g. GeoIP2-City.mmdb)
                        instead of the shipped DB-IP Lite City; "off" shows no locations. Read locally,
                        never a network call; a file that is not one stops the server at start.
  --log-file <file>     the request log goes to this file; warnings and errors are still printed.
Environment: TAB_PORT, TAB_DB, TAB_HOST, TAB_TRUST_PROXY, TAB_GEOIP_DB, TAB_JWT_SECRET (>= 32 characters; else a key is kept beside
the SQLite file, or in the PostgreSQL database, shared by every server on it), TAB_MFA_KEY (32 bytes, base64: seals the
authenticator secrets; else kept like the JWT key).`;

/** Flags win over the environment, which wins over the defaults (port 4000, ./data/tab.sqlite). */
export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        'seed-demo': { type: 'boolean', default: false },
        'renew-demo': { type: 'boolean', default: false },
        'secure-cookies': { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'web-root': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'log-file': { type: 'string' },
        'geoip-db': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const portText = values.port ?? env.TAB_PORT ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}".`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new UsageError('--tls-cert and --tls-key go together.');
  if (values['renew-demo'] && !values['seed-demo']) throw new UsageError('--renew-demo goes with --seed-demo.');
  if (values['geoip-db'] === '') throw new UsageError('--geoip-db needs an .mmdb file, or "off".');
  // An empty TAB_TRUST_PROXY is "not set" (as shells and compose files leave it); an empty flag is a mistake.
  const trustProxyText = values['trust-proxy'] ?? (env.TAB_TRUST_PROXY || undefined);
  let trustProxy: string[] | undefined;
  try {
    trustProxy = trustProxyText === undefined ? undefined : parseTrustProxy(trustProxyText);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    port,
    host: values.host ?? env.TAB_HOST ?? '127.0.0.1',
    db: values.db ?? env.TAB_DB ?? './data/tab.sqlite',
    seedDemo: values['seed-demo'],
    renewDemo: values['renew-demo'],
    secureCookies: values['secure-cookies'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    webRoot: values['web-root'],
    trustProxy,
    logFile: values['log-file'],
    geoipDb: values['geoip-db'] ?? (env.TAB_GEOIP_DB || undefined),
  };
}
