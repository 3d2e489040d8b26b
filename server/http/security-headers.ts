import type { FastifyInstance } from 'fastify';

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

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
    } else if (!request.url.startsWith('/docs')) {
      // Swagger UI sets its own policy; everything else (the web client) gets ours.
      reply.header('content-security-policy', WEB_CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });
}
