import { ApiError, sendHttp, type HttpRequest } from '../shared/api/client.js';
import { SESSION_COOKIE, type RefreshResponse } from '../shared/api/auth.js';
import type { StoredCredentials } from './credential-store.js';
import { REQUEST_TIMEOUT_MS, sessionCookieOf, withTimeout, type ServerTransport } from './server-client.js';

/** Refresh this long before the access token's expiry (it lives 15 minutes). */
export const REFRESH_AHEAD_MS = 2 * 60_000;

export interface AccessTokenKeeperOptions {
  baseUrl: string;
  /** The credentials in use now (null once signed out). */
  current: () => StoredCredentials | null;
  /** Keeps the rotated pair: the keychain first, then memory. */
  save: (credentials: StoredCredentials) => Promise<void>;
  /** The server ended the session (any 401 from the refresh): sign out. */
  onSignedOut: (error: ApiError) => void;
  /**
   * How the refresh reaches the server: through the transport's sign-in path
   * (`loginFetch`, the one that may carry a cookie; in the app an in-memory
   * Electron session whose jar is read by `takeLoginCookie` when Chromium
   * keeps Set-Cookie out of the headers), else its plain `fetch`.
   */
  transport: ServerTransport;
  timeoutMs?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (timer: ReturnType<typeof setTimeout> | undefined) => void;
}

/** When a JWT expires (ms), from its payload; null for anything unreadable. */
export function accessTokenExpiry(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the desktop's access token fresh. The cookie is the refresh
 * credential: `POST /api/v1/auth/refresh` with it answers a new 15-minute JWT
 * and a rotated cookie, both stored in the keychain before they are used. A
 * refresh runs ahead of the token's expiry, and once more when a call meets
 * 401 `token_expired`; concurrent callers share one refresh. Any 401 from the
 * refresh itself means the session is over. No answer leaves the old pair in
 * place (the server answers the same new pair if the lost one is retried).
 */
export class AccessTokenKeeper {
  private inFlight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly setTimer: NonNullable<AccessTokenKeeperOptions['setTimer']>;
  private readonly clearTimer: NonNullable<AccessTokenKeeperOptions['clearTimer']>;

  constructor(private readonly options: AccessTokenKeeperOptions) {
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer));
  }

  /** A new access token (one refresh, however many ask at once); throws ApiError. */
  refresh(): Promise<string> {
    this.inFlight ??= this.refreshOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Schedules the next refresh ahead of the current token's expiry (at once if it is already due). */
  scheduleAhead(): void {
    this.clearTimer(this.timer);
    const jwt = this.options.current()?.jwt;
    if (this.stopped || !jwt) return;
    const expiry = accessTokenExpiry(jwt);
    const wait = expiry === null ? 0 : Math.max(0, expiry - REFRESH_AHEAD_MS - this.now());
    this.timer = this.setTimer(() => {
      // A failed ahead-of-time refresh is not fatal: the next call's token_expired tries again.
      this.refresh().catch(() => undefined);
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer(this.timer);
  }

  private async refreshOnce(): Promise<string> {
    const { transport } = this.options;
    const creds = this.options.current();
    if (!creds) throw new ApiError(401, 'unauthenticated', 'Not signed in.');
    let cookie: string | null = null;
    let answer: RefreshResponse;
    try {
      answer = (await sendHttp(
        {
          baseUrl: this.options.baseUrl,
          fetch: withTimeout(transport.loginFetch ?? transport.fetch, this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
          headers: () => ({ cookie: `${SESSION_COOKIE}=${creds.cookie}` }),
          onResponse: (response) => {
            cookie = sessionCookieOf(response);
          },
        },
        { method: 'POST', path: '/api/v1/auth/refresh' } satisfies HttpRequest,
      )) as RefreshResponse;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !this.stopped) this.options.onSignedOut(error);
      throw error;
    }
    cookie ??= (await transport.takeLoginCookie?.(this.options.baseUrl)) ?? null;
    if (!cookie) throw new ApiError(502, 'internal_error', 'The server did not answer a session cookie.');
    if (this.stopped || this.options.current() !== creds) throw new ApiError(409, 'invalid_request', 'Signed out meanwhile.');
    await this.options.save({ jwt: answer.token, cookie });
    this.scheduleAhead();
    return answer.token;
  }
}
