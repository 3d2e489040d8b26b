import { ApiError, createHttpTabApi, sendHttp, toApiError, type FetchLike, type HttpRequest, type HttpTabApiOptions, type TabApi } from '../shared/api/client.js';
import { SESSION_COOKIE, type LoginResponse } from '../shared/api/auth.js';
import type { LoginChallengeResponse, TotpEnrolment } from '../shared/api/mfa.js';

export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * How main reaches the server. In the app: Electron's `net.fetch` (Chromium's
 * network stack: the OS proxy and PAC settings, the OS certificate store), with
 * no cookie jar for API calls (they carry the Bearer token). Sign-in goes
 * through its own in-memory session so the `tab_session` cookie can be read
 * even where Chromium keeps Set-Cookie out of the response headers. In Node
 * (tests, the stand-in run): the global fetch.
 */
export interface ServerTransport {
  /** API calls: never sends or stores cookies. */
  fetch: FetchLike;
  /** The sign-in call (defaults to `fetch`). */
  loginFetch?: FetchLike;
  /** The session cookie the sign-in's response set, when its headers did not show it (then forgotten). */
  takeLoginCookie?: (url: string) => Promise<string | null>;
}

export interface ServerClientOptions {
  /** The server's origin, e.g. `https://tab.example.com`. */
  baseUrl: string;
  /** The JWT to send as `Authorization: Bearer`, or null when signed out. */
  token: () => string | null;
  transport?: ServerTransport;
  timeoutMs?: number;
}

export interface DesktopLogin {
  response: LoginResponse;
  /** The `tab_session` cookie value from Set-Cookie. */
  cookie: string;
}

/** A download's bytes (CSV today, invoice PDFs later). */
export interface DownloadedFile {
  bytes: Uint8Array;
  contentType: string | null;
  /** The name the server gave it (Content-Disposition), if any. */
  fileName: string | null;
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` preferred over `filename="…"`). */
export function contentDispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      /* fall through to the plain form */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2] ?? null;
  return name && name.trim() !== '' ? name : null;
}

/**
 * The main process's client of the TAB API: Bearer on every call, the cookie
 * captured at sign-in. Every authenticated call goes through `token()`, so a
 * refresh step (issue #10's `token_expired`) slots in there and in the auth
 * controller's one 401 handler, without touching the callers.
 */
export interface ServerClient {
  readonly baseUrl: string;
  readonly api: TabApi;
  /** One API call with the stored credentials (what the renderer's apiRequest becomes). */
  send(request: HttpRequest): Promise<unknown>;
  /** A GET whose answer is a file, not JSON. */
  download(path: string): Promise<DownloadedFile>;
  /** The password step: signed in, or (two-factor) the challenge of the 202, which main keeps. */
  login(email: string, password: string, deviceName: string): Promise<DesktopLogin | DesktopChallenge>;
  /** The second step: the challenge and the code the person typed. */
  loginMfa(challenge: string, code: string): Promise<DesktopLogin>;
  /** Enrolment the workspace's policy requires at sign-in: the secret to scan (QR), for the 202's challenge. */
  loginEnrol(challenge: string): Promise<TotpEnrolment>;
  /** Its first code turns two-factor on and signs in; the recovery codes come once, with the answer. */
  loginEnrolConfirm(challenge: string, code: string): Promise<DesktopLogin & { recoveryCodes: string[] }>;
}

export interface DesktopChallenge {
  challenge: LoginChallengeResponse;
}

/** Reads the `tab_session` value out of a response's Set-Cookie headers (one per header, or comma-joined). */
export function sessionCookieOf(response: Response): string | null {
  const headers = response.headers as Headers & { getSetCookie?: () => string[] };
  const all = headers.getSetCookie?.() ?? [headers.get('set-cookie') ?? ''];
  for (const line of all) {
    const match = new RegExp(`(?:^|,\\s*)${SESSION_COOKIE}=([^;,\\s]+)`).exec(line);
    if (match?.[1]) return match[1];
  }
  return null;
}

export function withTimeout(fetchFn: FetchLike, timeoutMs: number): FetchLike {
  return (url, init) => fetchFn(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
}

export const nodeTransport: ServerTransport = { fetch: (url, init) => globalThis.fetch(url, init) };

export function createServerClient(options: ServerClientOptions): ServerClient {
  const transport = options.transport ?? nodeTransport;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const fetchFn = withTimeout(transport.fetch, timeoutMs);
  const bearer = (): Record<string, string> => {
    const token = options.token();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const http: HttpTabApiOptions = { baseUrl: options.baseUrl, fetch: fetchFn, headers: bearer, credentials: 'omit' };
  return {
    baseUrl: options.baseUrl,
    api: createHttpTabApi(http),
    send: (request) => sendHttp(http, request),
    async download(path) {
      let response: Response;
      try {
        response = await fetchFn(options.baseUrl + path, { method: 'GET', headers: { accept: '*/*', ...bearer() }, credentials: 'omit' });
      } catch {
        throw new ApiError(0, 'network_error', 'The TAB server could not be reached.');
      }
      if (!response.ok) throw await toApiError(response);
      return {
        bytes: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type'),
        fileName: contentDispositionFileName(response.headers.get('content-disposition')),
      };
    },
    async login(email, password, deviceName) {
      return withLoginCookie(async (api) => {
        const answer = await api.signInStep({ email, password, client: 'desktop', deviceName });
        return 'mfaRequired' in answer ? { challenge: answer } : answer;
      });
    },
    loginMfa: (challenge, code) => withLoginCookie((api) => api.loginMfa({ challenge, code })) as Promise<DesktopLogin>,
    loginEnrol: (challenge) => createHttpTabApi({ baseUrl: options.baseUrl, fetch: withTimeout(transport.loginFetch ?? transport.fetch, timeoutMs) }).loginEnrol(challenge),
    async loginEnrolConfirm(challenge, code) {
      const login = (await withLoginCookie((api) => api.loginEnrolConfirm({ challenge, code }))) as DesktopLogin;
      return { ...login, recoveryCodes: (login.response as LoginResponse & { recoveryCodes: string[] }).recoveryCodes };
    },
  };

  /** A sign-in call through the sign-in transport, with the session cookie its 200 answer sets. */
  async function withLoginCookie(call: (api: TabApi) => Promise<LoginResponse | DesktopChallenge>): Promise<DesktopLogin | DesktopChallenge> {
    let cookie: string | null = null;
    const api = createHttpTabApi({
      baseUrl: options.baseUrl,
      fetch: withTimeout(transport.loginFetch ?? transport.fetch, timeoutMs),
      onResponse: (response) => {
        cookie = sessionCookieOf(response);
      },
    });
    const response = await call(api);
    if ('challenge' in response) return response;
    cookie ??= (await transport.takeLoginCookie?.(options.baseUrl)) ?? null;
    if (!cookie) throw new ApiError(502, 'internal_error', 'The server did not answer a session cookie.');
    return { response, cookie };
  }
}
