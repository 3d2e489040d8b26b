import type { FastifyInstance } from 'fastify';
import { clientScheme } from './request-context.js';

/**
 * The web client's Content-Security-Policy: scripts, styles and connections
 * only from this server, no inline script, no framing.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Swagger UI at /docs: the same policy. Its scripts and styles are files
 * under /docs/static, and the styles it sets from script need no
 * 'unsafe-inline'. The one inline `<style>` it renders is in Swagger's logo
 * SVG (`.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}`),
 * allowed by its hash; if an upgrade of @fastify/swagger-ui changes it, the
 * end-to-end docs test reports the violation with the new hash.
 */
export const DOCS_CSP = WEB_CSP.replace("style-src 'self'", "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='");

/** Data, not a page: nothing may load or run from it, and nobody may frame it. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * One year, this host only: `includeSubDomains` would bind every other host
 * of the firm's domain to HTTPS too, which is the operator's decision, not
 * ours; preloading likewise.
 */
export const HSTS = 'max-age=31536000';

export function registerSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every response, and a promise per response is measurable on the hottest lists.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // Only on HTTPS answers (RFC 6797 §7.2 forbids it over plain HTTP); behind a
    // trusted proxy, "HTTPS" is what the proxy's X-Forwarded-Proto says.
    if (clientScheme(request) === 'https') reply.header('strict-transport-security', HSTS);
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (path.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('content-security-policy', DATA_CSP);
    } else if (path === '/openapi.json' || path === '/docs/json' || path === '/docs/yaml') {
      reply.header('content-security-policy', DATA_CSP);
      reply.header('x-frame-options', 'DENY');
    } else if (path === '/docs' || path.startsWith('/docs/')) {
      reply.header('content-security-policy', DOCS_CSP);
      reply.header('x-frame-options', 'DENY');
    } else {
      reply.header('content-security-policy', WEB_CSP);
      reply.header('x-frame-options', 'DENY');
    }
    done(null, payload);
  });
}
