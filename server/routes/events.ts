import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerEvent } from '../../shared/api/events.js';
import { HEARTBEAT_MS } from '../../shared/api/events.js';
import { sessionAuthOf } from '../http/request-context.js';
import { sessionCookieHeader } from '../http/session-cookie.js';
import { sessionExpiry } from '../sessions/session-records.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** setTimeout's ceiling; a longer wait is done in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * Server-Sent Events for the caller's session: `session.revoked` (then the
 * stream ends), `sessions.changed` and `time.changed`. A heartbeat comment every 25 s keeps
 * proxies from closing an idle stream, and a timer set to the session's expiry
 * tells an idle client that it expired, without waiting for its next request.
 * A stream the server ends on purpose gets `stream.closed` first (too many
 * streams for the session, or the server shutting down).
 */
export const eventRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  // Open streams would keep the server from closing: end them first, saying why.
  const open = new Set<{ send: (event: ServerEvent) => void; close: () => void }>();
  app.addHook('preClose', async () => {
    for (const stream of [...open]) {
      stream.send({ type: 'stream.closed', reason: 'server_shutdown' });
      stream.close();
    }
  });

  app.get(
    '/events',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['events'],
        summary: 'Live events for this session (text/event-stream)',
        description:
          'At most 20 open streams per session: a 21st closes the oldest, which first receives `stream.closed` (`too_many_streams`; do not reconnect). ' +
          '`HEAD` answers at once: 200 while the session is live, its 401 otherwise.',
        produces: ['text/event-stream'],
        response: { 200: { type: 'string', description: 'An event stream' }, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const auth = sessionAuthOf(request);
      // Fastify answers HEAD with this handler: say whether a stream would open, and open none.
      if (request.method === 'HEAD') return reply.headers(STREAM_HEADERS).status(200).send('');
      const raw = reply.raw;
      reply.hijack();
      // A cookie that rotated on this request must still reach the browser, though the reply object is bypassed.
      raw.writeHead(200, {
        ...STREAM_HEADERS,
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        ...(auth.setCookie === undefined ? {} : { 'set-cookie': sessionCookieHeader(auth.setCookie, deps.secureCookies) }),
      });
      raw.write(`retry: 3000\n: connected\n\n`);

      let closed = false;
      let expiryTimer: NodeJS.Timeout | undefined;
      const heartbeat = setInterval(() => raw.write(`: heartbeat\n\n`), HEARTBEAT_MS);
      const send = (event: ServerEvent) => {
        if (!closed) raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      };
      const close = () => {
        if (closed) return;
        closed = true;
        open.delete(stream);
        clearInterval(heartbeat);
        clearTimeout(expiryTimer);
        unsubscribe();
        raw.end();
      };
      const stream = { send, close };
      const unsubscribe = deps.hub.subscribe({
        sessionId: auth.session.id,
        userId: auth.user.id,
        workspaceId: auth.user.workspaceId,
        role: auth.user.role,
        send,
        close,
        recheck: () => void watchExpiry().catch((err) => request.log.error({ err }, 'session re-check failed')),
      });
      open.add(stream);
      request.raw.on('close', close);

      const watchExpiry = async () => {
        if (closed) return;
        const session = await deps.store.findSessionById(auth.session.id);
        const now = deps.clock.now();
        if (!session || session.revokedAt !== null) {
          send({ type: 'session.revoked', sessionId: auth.session.id, reason: session?.revokeReason ?? 'signed_out' });
          return close();
        }
        const expiry = sessionExpiry(session, now);
        if (expiry) {
          await deps.authenticator.noticeExpiry(session, expiry, now, null);
          send({ type: 'session.revoked', sessionId: session.id, reason: expiry });
          return close();
        }
        const next = Math.min(session.expiresAt, session.lastSeenAt + session.idleTimeoutMs) - now;
        // A re-check (recheck) replaces the pending timer rather than adding one.
        clearTimeout(expiryTimer);
        expiryTimer = setTimeout(() => void watchExpiry().catch((err) => request.log.error({ err }, 'expiry watch failed')), Math.min(next + 50, MAX_TIMER_MS));
      };
      await watchExpiry();
    },
  );
};
