import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request that a browser sent on behalf of another
 * site. `Sec-Fetch-Site` is trusted when present (every current browser sends
 * it); otherwise `Origin` must match the Host. Requests with neither come from
 * non-browser clients, which cannot be driven by another site.
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
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw rejected();
  }
  if (host !== request.headers.host) throw rejected();
}

const rejected = () => new HttpError('csrf_rejected', 'This request came from another site and was refused.');
