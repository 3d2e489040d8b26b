import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthController, type AuthControllerOptions } from '../../../electron/auth-controller.js';
import { createCredentialStore, type CredentialStore, type KeytarLike } from '../../../electron/credential-store.js';
import { createFileSettings } from '../../../electron/settings.js';
import { createLogger } from '../../../electron/logger.js';
import type { DesktopAuthState } from '../../../shared/ipc/contract.js';
import type { ServerEvent } from '../../../shared/api/events.js';

/** A keytar stand-in over a Map (for flow tests that do not exercise the OS keychain). */
export function memoryKeytar(): KeytarLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const key = (s: string, a: string) => `${s}\u0000${a}`;
  return {
    items,
    getPassword: async (s, a) => items.get(key(s, a)) ?? null,
    setPassword: async (s, a, p) => void items.set(key(s, a), p),
    deletePassword: async (s, a) => items.delete(key(s, a)),
  };
}

export interface TestKeychain {
  keytar: KeytarLike;
  /** True when this is the OS keychain (a Secret Service under scripts/with-keyring.sh). */
  real: boolean;
  /** Why the real keychain is not used here (null when it is). */
  skipReason: string | null;
}

/**
 * The real keychain when the run is inside scripts/with-keyring.sh
 * (TAB_KEYRING=gnome-keyring); under CI=true it must be there.
 */
export function testKeychain(): TestKeychain {
  if (process.env.TAB_KEYRING === 'gnome-keyring' || process.env.CI === 'true') {
    const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
    return { keytar, real: true, skipReason: null };
  }
  return {
    keytar: memoryKeytar(),
    real: false,
    skipReason: 'no Secret Service here (run under `dbus-run-session -- bash scripts/with-keyring.sh …`, as `npm test` does)',
  };
}

export interface TestDesktop {
  controller: AuthController;
  credentials: CredentialStore;
  dataDir: string;
  logLines: string[];
  states: DesktopAuthState[];
  events: ServerEvent[];
  /** Resolves with the first state (already seen or future) that matches. */
  waitForState(match: (state: DesktopAuthState) => boolean, timeoutMs?: number): Promise<DesktopAuthState>;
}

/** The desktop main-process modules as main.ts wires them, on a temp data folder. */
export function createTestDesktop(options: {
  serverUrl: string;
  keytar: KeytarLike | null;
  dataDir?: string;
  deviceName?: string;
  accessTokenTimers?: AuthControllerOptions['accessTokenTimers'];
  openExternal?: AuthControllerOptions['openExternal'];
}): TestDesktop {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tab-desktop-data-'));
  const logLines: string[] = [];
  const log = createLogger({ file: join(dataDir, 'logs', 'main.log'), sink: (line) => logLines.push(line), level: 'debug' });
  const credentials = createCredentialStore({ keytar: options.keytar, log });
  const controller = new AuthController({
    credentials,
    settings: createFileSettings(dataDir),
    deviceName: options.deviceName ?? 'Ana’s Laptop',
    serverUrl: options.serverUrl,
    log,
    backoff: { initialMs: 100, maxMs: 400 },
    streamBackoff: { initialMs: 100, maxMs: 400 },
    timeoutMs: 3000,
    logoutTimeoutMs: 1000,
    accessTokenTimers: options.accessTokenTimers,
    openExternal: options.openExternal,
  });
  const states: DesktopAuthState[] = [];
  const events: ServerEvent[] = [];
  const waiters = new Set<() => void>();
  controller.onStateChanged((state) => {
    states.push(state);
    for (const w of [...waiters]) w();
  });
  controller.onServerEvent((event) => events.push(event));
  const waitForState = (match: (state: DesktopAuthState) => boolean, timeoutMs = 5000) =>
    new Promise<DesktopAuthState>((resolvePromise, reject) => {
      const check = () => {
        const state = controller.current;
        if (match(state)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolvePromise(state);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for a state; last: ${JSON.stringify(controller.current)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { controller, credentials, dataDir, logLines, states, events, waitForState };
}
