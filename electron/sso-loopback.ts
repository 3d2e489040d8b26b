import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoginResponse } from '../shared/api/auth.js';
import { ApiError, toApiError, type FetchLike } from '../shared/api/client.js';
import type { SsoStartResponse } from '../shared/api/sso.js';
import { sessionCookieOf } from './server-client.js';

export interface LoopbackSsoOptions {
  serverUrl: string;
  email: string;
  deviceName: string;
  /** The sign-in's requests (the transport's loginFetch: its own cookie jar, forgotten after). */
  fetch: FetchLike;
  /** Reads the session cookie from the sign-in jar when Set-Cookie is hidden from the response (Electron's net). */
  takeLoginCookie?: (url: string) => Promise<string | null>;
  /** The system browser (shell.openExternal): never an embedded window, whose page the app could read. */
  openExternal(url: string): Promise<void>;
  /** How long the person has at the identity provider (default 5 minutes, under the server's 10-minute state). */
  timeoutMs?: number;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * Single sign-on for the desktop app (RFC 8252, "OAuth 2.0 for Native
 * Apps"): a one-shot HTTP listener on 127.0.0.1 and a random port, the
 * authorization request opened in the SYSTEM browser, the provider's
 * redirect caught on `http://127.0.0.1:<port>/callback`. The app proves it
 * started the sign-in with its own PKCE pair toward TAB (`appChallenge` at
 * start, `appVerifier` with the code), so a code caught on the loopback by
 * another program is useless; TAB's server, the OpenID client, exchanges the
 * code with its own PKCE verifier and secret. Main makes both calls itself:
 * no browser cookie is involved.
 */
export async function loopbackSsoSignIn(options: LoopbackSsoOptions): Promise<{ response: LoginResponse; cookie: string }> {
  const appVerifier = randomBytes(32).toString('base64url');
  const appChallenge = createHash('sha256').update(appVerifier).digest('base64url');
  const listener = await listen();
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  try {
    const started = (await post(options, '/api/v1/auth/sso/start', {
      email: options.email,
      client: 'desktop',
      deviceName: options.deviceName,
      redirectUri,
      appChallenge,
    })).body as SsoStartResponse;
    const state = new URL(started.authorizationUrl).searchParams.get('state');
    const back = waitForCallback(listener, state, options.timeoutMs ?? 5 * 60_000);
    await options.openExternal(started.authorizationUrl);
    const params = await back;
    const done = await post(options, '/api/v1/auth/sso/complete', {
      code: params.get('code'),
      state: params.get('state'),
      ...(params.get('iss') ? { iss: params.get('iss') } : {}),
      appVerifier,
    });
    const cookie = sessionCookieOf(done.response) ?? (await options.takeLoginCookie?.(options.serverUrl)) ?? null;
    if (!cookie) throw new ApiError(502, 'internal_error', 'The server did not answer a session cookie.');
    return { response: done.body as LoginResponse, cookie };
  } finally {
    listener.close();
    listener.closeAllConnections();
  }
}

async function post(options: LoopbackSsoOptions, path: string, body: unknown): Promise<{ response: Response; body: unknown }> {
  let response: Response;
  try {
    response = await options.fetch(options.serverUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network_error', 'The TAB server could not be reached.');
  }
  if (!response.ok) throw await toApiError(response);
  return { response, body: await response.json() };
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** The first request to /callback with this sign-in's state (anything else is answered 404 and ignored). */
function waitForCallback(server: Server, state: string | null, timeoutMs: number): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ApiError(408, 'request_timeout', 'The single sign-on was not finished in time. Try again.')), timeoutMs);
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== '/callback' || !state || url.searchParams.get('state') !== state) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      clearTimeout(timer);
      const error = url.searchParams.get('error');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(error ? PAGE('Not signed in', 'The sign-in was not finished. Go back to TAB to try again.') : PAGE('Signed in', 'You can close this tab and go back to TAB.'));
      if (error) reject(new ApiError(403, 'sso_token_invalid', error === 'access_denied' ? 'The sign-in was cancelled at your identity provider.' : `Your identity provider refused the sign-in (${error}).`));
      else resolve(url.searchParams);
    });
  });
}
