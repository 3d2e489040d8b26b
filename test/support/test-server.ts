import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, LOG_REDACT, type AppOptions, type TabApp } from '../../server/app.js';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import { seedDemo } from '../../server/seed/demo.js';
import type { Clock } from '../../server/platform/clock.js';
import { jwtSecretFor } from '../../server/security/jwt-secret.js';
import { mfaKeyFor } from '../../server/security/mfa-key.js';
import { freshDatabase } from './test-store.js';

export const DEMO_PASSWORD = 'demo-pass-2026';

/** Databases of caller-given folders, so that a server restarted on the same folder finds its data. */
const reusedDatabases = new Map<string, Awaited<ReturnType<typeof freshDatabase>>>();

export interface TestServer extends TabApp {
  url: string;
  dir: string;
  /** The SQLite file (on PostgreSQL runs, where nothing is there, only a path in `dir`). */
  dbFile: string;
  /** Where the store is: the SQLite file, or the PostgreSQL URL of this server's own database. */
  dbLocation: string;
  store: OpenedStore;
  /** The key the server signs its JWTs with. */
  jwtKey: Uint8Array;
  /** Every line the server logged (JSON), for "no secret in the logs" checks. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The real server on a real SQLite file in a fresh temp folder (or, in the
 * `postgres` test project, on its own fresh PostgreSQL database), listening on
 * a random loopback port, with the demo firm seeded.
 */
export async function startTestServer(
  options: { clock?: Clock; dir?: string; seed?: boolean; webRoot?: string; secureCookies?: boolean; dbLocation?: string } & Pick<
    AppOptions,
    'trustProxy' | 'passwordHashing' | 'https' | 'locator'
  > = {},
): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tab-test-'));
  const dbFile = join(dir, 'tab.sqlite');
  // A restart on the same `dir` (durability tests) reopens the same database.
  const database = options.dbLocation !== undefined
    ? { location: options.dbLocation, drop: async () => {} }
    : (reusedDatabases.get(dir) ?? (await freshDatabase(dir)));
  if (options.dir) reusedDatabases.set(dir, database);
  const store = await openStore(database.location);
  if (options.seed !== false) await seedDemo(store, options.clock?.now() ?? Date.now());
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const jwtKey = await jwtSecretFor(database.location, store, undefined);
  const mfaKey = await mfaKeyFor(database.location, store, undefined);
  const tab = await buildApp({
    store,
    clock: options.clock,
    jwtSecret: jwtKey,
    mfaKey,
    webRoot: options.webRoot,
    secureCookies: options.secureCookies,
    trustProxy: options.trustProxy,
    passwordHashing: options.passwordHashing,
    https: options.https,
    locator: options.locator,
    logger: { level: 'info', redact: LOG_REDACT, stream: logStream },
  });
  await tab.app.listen({ port: 0, host: '127.0.0.1' });
  const address = tab.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...tab,
    url: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    dir,
    dbFile,
    dbLocation: database.location,
    jwtKey,
    store,
    logLines,
    async close() {
      await tab.app.close();
      await store.close();
      if (!options.dir) {
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
