import { ApiError, type HttpRequest } from '../../shared/api/client.js';

/**
 * What the renderer may ask main to send to the server on its behalf (the
 * `apiRequest` and `saveDownload` channels). Main adds the session's Bearer
 * token, so this is a privileged proxy and refuses anything that is not a
 * plain call to the TAB API:
 *
 * - the path is `/api/v1/` followed by plain segments (letters, digits,
 *   `-._~`, never starting with a dot) — no percent-encoding at all before the
 *   query, so `%2e%2e`, `%2f` and `auth/%6cogin` never reach the server to be
 *   decoded into something else; the query string may be percent-encoded;
 * - never what main does itself: sign-in, sign-out, the event stream;
 * - never minting an API token (a long-lived secret the desktop must not
 *   create on a script's behalf): "Create API token" opens the web client's
 *   Profile page in the system browser instead;
 * - a JSON body of at most 64 KiB, none on a GET.
 */

export const API_PREFIX = '/api/v1/';
export const MAX_BODY_BYTES = 64 * 1024;

const PATH = /^\/api\/v1(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** Main does these itself: never on the renderer's behalf. */
const OWN_PATHS = new Set(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/events']);
const API_TOKENS = '/api/v1/api-tokens';

const refused = (message: string) => new ApiError(400, 'invalid_request', message);

/** Checks a path for the proxy; answers it unchanged or throws ApiError (400, or 403 for token minting). */
export function checkApiPath(path: string, method: HttpRequest['method']): string {
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  const query = q === -1 ? '' : path.slice(q + 1);
  if (!pathname.startsWith(API_PREFIX)) throw refused(`The path must start with ${API_PREFIX}.`);
  if (!PATH.test(pathname)) throw refused('The path may hold only plain segments (no percent-encoding, no dot segments, no empty segments).');
  if (!QUERY.test(query)) throw refused('The query string has characters that are not allowed.');
  const lower = pathname.toLowerCase();
  if (OWN_PATHS.has(lower)) throw refused('Sign-in, sign-out and the event stream go through their own channels.');
  if ((lower === API_TOKENS || lower.startsWith(`${API_TOKENS}/`)) && method !== 'GET' && method !== 'DELETE') {
    throw new ApiError(403, 'forbidden', 'The desktop app never creates API tokens: create them on your Profile page in the web client.');
  }
  return path;
}

/** The whole request: path as above, a JSON body within the limit (none on a GET), copied so nothing else crosses. */
export function checkApiRequest(request: HttpRequest): HttpRequest {
  const path = checkApiPath(request.path, request.method);
  const checked: HttpRequest = { method: request.method, path };
  if (request.body === undefined) return checked;
  if (request.method === 'GET') throw refused('A GET has no body.');
  let json: string | undefined;
  try {
    json = JSON.stringify(request.body);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw refused('The body must be JSON.');
  if (new TextEncoder().encode(json).length > MAX_BODY_BYTES) throw refused('The body is too large.');
  checked.body = JSON.parse(json) as unknown;
  return checked;
}
