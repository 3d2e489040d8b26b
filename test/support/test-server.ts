import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, LOG_REDACT, type AppOptions, type TabApp } from '../../server/app.js';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import { seedDemo } from '../../server/seed/demo.js';
import type { Clock } from '../../server/platform/clock.js';
import { loadJwtSecret } from '../../server/security/jwt-secret.js';

export const DEMO_PASSWORD = 'demo-pass-2026';

export interface TestServer extends TabApp {
  url: string;
  dir: string;
  dbFile: string;
  store: OpenedStore;
  /** Every line the server logged (JSON), for "no secret in the logs" checks. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The real server on a real SQLite file in a fresh temp folder, listening on a
 * random loopback port, with the demo firm seeded.
 */
export async function startTestServer(
  options: { clock?: Clock; dir?: string; seed?: boolean; webRoot?: string; secureCookies?: boolean } & Pick<
    AppOptions,
    'trustProxy' | 'passwordHashing' | 'https'
  > = {},
): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tab-test-'));
  const dbFile = join(dir, 'tab.sqlite');
  const store = await openStore(dbFile);
  if (options.seed !== false) await seedDemo(store, options.clock?.now() ?? Date.now());
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const tab = await buildApp({
    store,
    clock: options.clock,
    jwtSecret: loadJwtSecret(dbFile, undefined),
    webRoot: options.webRoot,
    secureCookies: options.secureCookies,
    trustProxy: options.trustProxy,
    passwordHashing: options.passwordHashing,
    https: options.https,
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
    store,
    logLines,
    async close() {
      await tab.app.close();
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
