import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, LOG_REDACT, type TabApp } from '../../../server/app.js';
import { openStore } from '../../../server/store/open-store.js';
import { seedDemo } from '../../../server/seed/demo.js';
import { loadJwtSecret } from '../../../server/security/jwt-secret.js';

export interface RunningServer extends TabApp {
  url: string;
  port: number;
  logLines: string[];
  /** Stops listening and drops open event streams (like a crash or a restart). */
  stop(): Promise<void>;
}

/**
 * The real server on a temp SQLite file, like test/support/test-server.ts, but
 * it can be stopped and started again on the same port and database: the
 * "server went away, then came back" case of the desktop's offline state.
 */
export class RestartableServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'tab-desktop-'));
  readonly dbFile = join(this.dir, 'tab.sqlite');
  private seeded = false;
  port = 0;
  current: RunningServer | null = null;

  constructor(private readonly options: { webRoot?: string } = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<RunningServer> {
    const store = await openStore(this.dbFile);
    if (!this.seeded) {
      await seedDemo(store, Date.now());
      this.seeded = true;
    }
    const logLines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const tab = await buildApp({
      store,
      jwtSecret: loadJwtSecret(this.dbFile, undefined),
      webRoot: this.options.webRoot,
      logger: { level: 'info', redact: LOG_REDACT, stream },
    });
    await tab.app.listen({ port: this.port, host: '127.0.0.1' });
    const address = tab.app.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    const running: RunningServer = {
      ...tab,
      url: this.url,
      port: this.port,
      logLines,
      stop: async () => {
        tab.app.server.closeAllConnections();
        const closing = tab.app.close();
        tab.app.server.closeAllConnections();
        await closing;
        await store.close();
        if (this.current === running) this.current = null;
      },
    };
    this.current = running;
    return running;
  }

  async dispose(): Promise<void> {
    await this.current?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
