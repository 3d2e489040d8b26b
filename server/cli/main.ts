import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, LOG_REDACT } from '../app.js';
import { isPostgresUrl, openStore } from '../store/open-store.js';
import { jwtSecretFor } from '../security/jwt-secret.js';
import { mfaKeyFor } from '../security/mfa-key.js';
import { demoBanner } from '../seed/demo.js';
import { prepareDemoDatabase } from '../seed/demo-database.js';
import { parseServerArgs, SERVER_USAGE, UsageError } from './args.js';
import { fileLogStream } from './log-file.js';
import { GeoIpLocator, NO_LOCATIONS, type Locator } from '../geoip/locator.js';
import { GeoIpDatabaseError, openGeoIpDatabase } from '../geoip/geoip-database.js';
import { openBusEventHub } from '../events/bus-event-hub.js';
import type { FastifyBaseLogger } from 'fastify';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  let config;
  try {
    config = parseServerArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(error.message);
      console.error(SERVER_USAGE);
      process.exit(error.message ? 2 : 0);
    }
    throw error;
  }

  // The location database first: a bad --geoip-db stops the server before it touches anything.
  let locator: Locator | undefined;
  if (config.geoipDb === 'off') locator = NO_LOCATIONS;
  else if (config.geoipDb !== undefined) {
    try {
      locator = new GeoIpLocator(await openGeoIpDatabase([resolve(config.geoipDb)]));
    } catch (error) {
      throw error instanceof GeoIpDatabaseError ? new Error(`--geoip-db: ${error.message}`) : error;
    }
  }

  const location = isPostgresUrl(config.db) ? config.db : resolve(config.db);
  let store = await openStore(location);
  if (config.seedDemo) {
    const demo = await prepareDemoDatabase(store, location, { renew: config.renewDemo, now: Date.now(), reopen: () => openStore(location) });
    store = demo.store;
    if (demo.outcome === 'not_demo') console.warn('--seed-demo: this database already holds a firm, so the demo firm was not added.');
    else {
      if (demo.outcome === 'renewed') console.log('The demo database held an older demo: it was made anew.');
      if (demo.outcome === 'older') console.log('This database holds an older demo; a database of its own (npm start) is made anew, this one is left as it is.');
      console.log(demoBanner());
    }
  }

  // Several servers may share a PostgreSQL database: their event streams hear each other's deliveries over LISTEN/NOTIFY.
  const logTo: { log?: FastifyBaseLogger } = {};
  const onProblem = (message: string, err: unknown) => (logTo.log ? logTo.log.warn({ err }, message) : console.error(message));
  const hub = isPostgresUrl(location) ? await openBusEventHub(location, onProblem) : undefined;

  const https = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : undefined;
  const { app } = await buildApp({
    store,
    hub,
    jwtSecret: await jwtSecretFor(location, store, process.env.TAB_JWT_SECRET),
    mfaKey: await mfaKeyFor(location, store, process.env.TAB_MFA_KEY),
    secureCookies: config.secureCookies || Boolean(https),
    https,
    trustProxy: config.trustProxy,
    locator,
    webRoot: config.webRoot ?? resolve(repoRoot, 'dist/renderer'),
    logger: {
      level: process.env.TAB_LOG_LEVEL ?? 'info',
      redact: LOG_REDACT,
      ...(config.logFile ? { stream: fileLogStream(resolve(config.logFile)) } : {}),
    },
  });
  logTo.log = app.log;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await hub?.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  console.log(`TAB server listening on ${https ? 'https' : 'http'}://${shownHost}:${port}`);
}

main().catch((error: unknown) => {
  console.error(`TAB server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
