import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoginResponse } from '../shared/api/auth.js';
import { ApiError, toApiError, type FetchLike } from '../shared/api/client.js';
import { sessionCookieOf } from './server-client.js';

/**
 * The desktop's browser sign-ins (RFC 8252, "OAuth 2.0 for Native Apps"),
 * the part single sign-on (./sso-loopback.ts) and passkeys
 * (./passkey-loopback.ts) share: a one-shot HTTP listener on 127.0.0.1 and a
 * random port, a page opened in the SYSTEM browser (never an embedded
 * window, whose page the app could read), the redirect caught on
 * `http://127.0.0.1:<port>/callback`, and the app's own PKCE pair toward TAB
 * (the challenge at start, the verifier with the code), so that a code caught
 * on the loopback by another program is useless. Main makes every call
 * itself: no browser cookie is involved.
 */
export interface LoopbackOptions {
  serverUrl: string;
  /** The sign-in's requests (the transport's loginFetch: its own cookie jar, forgotten after). */
  fetch: FetchLike;
  /** Reads the session cookie from the sign-in jar when Set-Cookie is hidden from the response (Electron's net). */
  takeLoginCookie?: (url: string) => Promise<string | null>;
  /** The system browser (shell.openExternal). */
  openExternal(url: string): Promise<void>;
  /** How long the person has in the browser (default 5 minutes, within the server's limits). */
  timeoutMs?: number;
  /** The person gave up in the app (or started another sign-in): stop waiting and close the listener. */
  signal?: AbortSignal;
}

/** What the browser's redirect said when it was not a success (`error=…`): the ApiError the sign-in rejects with. */
export type CallbackRefusal = (error: string) => ApiError;

export interface Loopback {
  redirectUri: string;
  /** The first GET /callback carrying this state (anything else is answered 404 and ignored). */
  waitForCallback(state: string | null, refusal: CallbackRefusal, timeout: ApiError): Promise<URLSearchParams>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${title}</h1><p>${text}</p></body></html>`;

/** The app's PKCE pair toward TAB (S256). */
export function appPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A random state for a sign-in's redirect. */
export const randomState = (): string => randomBytes(32).toString('base64url');

/** Runs `sign` with a loopback listener, closed whatever happens. */
export async function withLoopback<T>(options: Pick<LoopbackOptions, 'timeoutMs' | 'signal'>, sign: (loopback: Loopback) => Promise<T>): Promise<T> {
  const listener = await listen();
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  try {
    return await sign({
      redirectUri,
      waitForCallback: (state, refusal, timeout) => waitForCallback(listener, state, options.timeoutMs ?? 5 * 60_000, refusal, timeout, options.signal),
    });
  } finally {
    listener.close();
    listener.closeAllConnections();
  }
}

/** A JSON POST to TAB with the sign-in's fetch; a non-2xx is thrown as the server's ApiError. */
export async function postToServer(options: Pick<LoopbackOptions, 'serverUrl' | 'fetch'>, path: string, body: unknown): Promise<{ response: Response; body: unknown }> {
  let response: Response;
  try {
    response = await options.fetch(options.serverUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network_error', 'The TAB server could not be reached.');
  }
  if (!response.ok) throw await toApiError(response);
  return { response, body: await response.json() };
}

/** The sign-in answer of an exchange, with the session cookie main keeps. */
export async function loginAnswer(options: Pick<LoopbackOptions, 'serverUrl' | 'takeLoginCookie'>, done: { response: Response; body: unknown }): Promise<{ response: LoginResponse; cookie: string }> {
  const cookie = sessionCookieOf(done.response) ?? (await options.takeLoginCookie?.(options.serverUrl)) ?? null;
  if (!cookie) throw new ApiError(502, 'internal_error', 'The server did not answer a session cookie.');
  return { response: done.body as LoginResponse, cookie };
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function waitForCallback(server: Server, state: string | null, timeoutMs: number, refusal: CallbackRefusal, timeout: ApiError, signal?: AbortSignal): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(timeout), timeoutMs);
    const cancelled = () => {
      clearTimeout(timer);
      reject(new ApiError(409, 'conflict', 'The sign-in was cancelled.'));
    };
    if (signal?.aborted) return cancelled();
    signal?.addEventListener('abort', cancelled, { once: true });
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== '/callback' || !state || url.searchParams.get('state') !== state) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancelled);
      const error = url.searchParams.get('error');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(error ? PAGE('Not signed in', 'The sign-in was not finished. Go back to TAB to try again.') : PAGE('Signed in', 'You can close this tab and go back to TAB.'));
      if (error) reject(refusal(error));
      else resolve(url.searchParams);
    });
  });
}
