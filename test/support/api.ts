import type { LoginResponse } from '../../shared/api/auth.js';

export interface SignedIn extends LoginResponse {
  cookie: string;
  /** Authorization header for this session's access token (or, from viaCookie(), its cookie). */
  auth: Record<string, string>;
}

export const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const CHROME_MAC_NEXT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36';
export const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0';
export const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/**
 * Public addresses and where the shipped DB-IP Lite City database puts them
 * (checked in test/server/geoip.test.ts): reachable here only as
 * X-Forwarded-For through `--trust-proxy loopback`.
 */
export const LISBON_IP = '193.136.0.1';
export const LONDON_IP = '81.2.69.142';
export const US_IP = '8.8.8.8';
export const US_IP_2 = '9.9.9.9';

/** Headers that make a request come from `ip` through a trusted loopback proxy. */
export const from = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers });

/** A plain HTTP call that answers status, headers and parsed body (no client-side logic in the way). */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export async function signIn(
  baseUrl: string,
  email: string,
  options: { password?: string; client?: 'web' | 'desktop'; deviceName?: string; userAgent?: string; headers?: Record<string, string> } = {},
): Promise<SignedIn> {
  const res = await call(baseUrl, 'POST', '/api/v1/auth/login', {
    body: { email, password: options.password ?? 'demo-pass-2026', client: options.client, deviceName: options.deviceName },
    headers: { 'user-agent': options.userAgent ?? CHROME_MAC, ...options.headers },
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /tab_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
  return { ...(res.body as LoginResponse), cookie, auth: { authorization: `Bearer ${(res.body as LoginResponse).token}` } };
}

/**
 * The same session, authenticating with its cookie (as the web client does)
 * instead of its access token: for tests that move the clock by more than the
 * token's 15 minutes and are not about tokens.
 */
export function viaCookie(who: SignedIn): SignedIn {
  return { ...who, auth: { cookie: `tab_session=${who.cookie}` } };
}

/** Mints an API token for `who` (with their password, as the API requires), all four scopes unless told otherwise. */
export async function createApiToken(
  baseUrl: string,
  who: SignedIn,
  options: { name?: string; scopes?: string[]; expiresInDays?: number; password?: string } = {},
): Promise<{ id: string; token: string; auth: { authorization: string } }> {
  const res = await call(baseUrl, 'POST', '/api/v1/api-tokens', {
    headers: who.auth,
    body: {
      name: options.name ?? 'script',
      scopes: options.scopes ?? ['time:read', 'time:write', 'reports:read', 'billing:write'],
      currentPassword: options.password ?? 'demo-pass-2026',
      ...(options.expiresInDays === undefined ? {} : { expiresInDays: options.expiresInDays }),
    },
  });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, token: res.body.token, auth: { authorization: `Bearer ${res.body.token}` } };
}
