import { ApiError, createHttpTabApi, createTabApi, sendHttp, type FetchLike, type HttpRequest, type HttpTabApiOptions, type TabApi } from '../shared/api/client.js';
import { SESSION_COOKIE, type LoginResponse } from '../shared/api/auth.js';

export const REQUEST_TIMEOUT_MS = 15_000;

export interface ServerClientOptions {
  /** The server's origin, e.g. `https://tab.example.com`. */
  baseUrl: string;
  /** The JWT to send as `Authorization: Bearer`, or null when signed out. */
  token: () => string | null;
  /** Called once for every 401 from an authenticated call. */
  onSignedOut?: (error: ApiError) => void;
  /** Refreshes the access token after a 401 `token_expired`; the call is then sent once more. */
  refreshToken?: () => Promise<unknown>;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface DesktopLogin {
  response: LoginResponse;
  /** The `tab_session` cookie value from Set-Cookie. */
  cookie: string;
}

/** The main process's client of the TAB API: Bearer on every call, the cookie captured at sign-in. */
export interface ServerClient {
  readonly baseUrl: string;
  readonly api: TabApi;
  /** One API call with the stored credentials (what the renderer's apiRequest becomes). */
  send(request: HttpRequest): Promise<unknown>;
  login(email: string, password: string, deviceName: string): Promise<DesktopLogin>;
}

/** Reads the `tab_session` value out of a response's Set-Cookie headers. */
export function sessionCookieOf(response: Response): string | null {
  const headers = response.headers as Headers & { getSetCookie?: () => string[] };
  const all = headers.getSetCookie?.() ?? [headers.get('set-cookie') ?? ''];
  for (const line of all) {
    const match = new RegExp(`(?:^|,\\s*)${SESSION_COOKIE}=([^;,\\s]+)`).exec(line);
    if (match?.[1]) return match[1];
  }
  return null;
}

/**
 * A send function that meets 401 `token_expired` (the 15-minute access token
 * ran out, the session is live) by refreshing once and sending again; if the
 * token changed meanwhile (another call refreshed it), only by sending again.
 * Any other answer, and a second token_expired, go back to the caller as they came.
 */
export function withTokenRefresh(
  send: (request: HttpRequest) => Promise<unknown>,
  refresh: (() => Promise<unknown>) | undefined,
  currentToken: () => string | null,
) {
  if (!refresh) return send;
  return async (request: HttpRequest): Promise<unknown> => {
    const sentWith = currentToken();
    try {
      return await send(request);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'token_expired')) throw error;
      if (currentToken() === sentWith) await refresh();
      return send(request);
    }
  };
}

export function withTimeout(fetchFn: FetchLike, timeoutMs: number): FetchLike {
  return (url, init) => fetchFn(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
}

export function createServerClient(options: ServerClientOptions): ServerClient {
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const fetchFn = withTimeout(baseFetch, options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const http: HttpTabApiOptions = {
    baseUrl: options.baseUrl,
    fetch: fetchFn,
    headers: (): Record<string, string> => {
      const token = options.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    onSignedOut: options.onSignedOut,
  };
  const send = withTokenRefresh((request) => sendHttp(http, request), options.refreshToken, options.token);
  return {
    baseUrl: options.baseUrl,
    api: createTabApi(send),
    send,
    async login(email, password, deviceName) {
      let cookie: string | null = null;
      const api = createHttpTabApi({
        baseUrl: options.baseUrl,
        fetch: fetchFn,
        onResponse: (response) => {
          cookie = sessionCookieOf(response);
        },
      });
      const response = await api.login({ email, password, client: 'desktop', deviceName });
      if (!cookie) throw new ApiError(502, 'internal_error', 'The server did not answer a session cookie.');
      return { response, cookie };
    },
  };
}
