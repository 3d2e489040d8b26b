import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { clientHost, clientScheme } from './request-context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request that a browser sent on behalf of another
 * site. `Sec-Fetch-Site` is trusted when present (every current browser sends
 * it); otherwise `Origin` must be this very origin: same scheme, host and
 * port as the request (behind a trusted proxy, the scheme and host it
 * forwarded). Requests with neither come from non-browser clients, which
 * cannot be driven by another site.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') {
    if (fetchSite === 'same-origin' || fetchSite === 'none') return;
    throw rejected();
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!sameOrigin(origin, `${clientScheme(request)}://${clientHost(request)}`)) throw rejected();
}

/**
 * Whether two origins are the same (scheme, host, port), after the URL
 * parser's normalisation: case, default ports (`:443` on https), IDNA.
 * `Origin: null` (sandboxed frames, some redirects) is never the same.
 */
export function sameOrigin(origin: string, expected: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(origin);
    b = new URL(expected);
  } catch {
    return false;
  }
  if (a.protocol !== 'http:' && a.protocol !== 'https:') return false;
  return a.protocol === b.protocol && a.hostname === b.hostname && a.port === b.port;
}

const rejected = () => new HttpError('csrf_rejected', 'This request came from another site and was refused.');
