import type { CredentialStore } from './credential-store.js';
import type { SettingsStore } from './settings.js';
import type { ServerTransport } from './server-client.js';
import type { Backoff } from './event-stream.js';
import type { AccessTokenKeeperOptions } from './access-token-keeper.js';
import type { Logger } from './logger.js';

/** What the desktop's auth (./auth-controller.ts) is built with: the app's real parts, or tests' stand-ins. */
export interface AuthControllerOptions {
  credentials: CredentialStore;
  settings: SettingsStore;
  /** The computer's name (os.hostname()), shown in every "Active sessions" list. */
  deviceName: string;
  /** A server address that overrides the saved one (TAB_SERVER_URL). */
  serverUrl?: string | null;
  /** How requests reach the server (Electron's net.fetch in the app; Node's fetch in tests). */
  transport?: ServerTransport;
  log?: Logger;
  /** Backoff of the "offline, retrying" checks. */
  backoff?: Backoff;
  /** Backoff of the event stream's reconnects. */
  streamBackoff?: Backoff;
  timeoutMs?: number;
  /** How long sign-out waits for the server before forgetting the credentials anyway. */
  logoutTimeoutMs?: number;
  /** The access-token keeper's clock and timers (tests drive them; real ones otherwise). */
  accessTokenTimers?: Pick<AccessTokenKeeperOptions, 'now' | 'setTimer' | 'clearTimer'>;
  /** The system browser, for single sign-on and passkeys (shell.openExternal in the app). */
  openExternal?: (url: string) => Promise<void>;
}
