import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * On close, drop the connections that never carried a request.
 *
 * Node's `server.close()` (and Fastify's `forceCloseConnections: 'idle'`)
 * closes idle keep-alive connections, but a connection that was opened and
 * never sent a request counts as *active* for Node (it is waiting for its
 * first headers), so the close waits for the headers timeout (~30–60 s).
 * Such connections are common: a browser's speculative preconnect, or
 * Node's fetch when a request is aborted while its connection is still
 * being made (the desktop's event stream, stopped at sign-out while it
 * connects to `http://localhost:4000`: the lookup of `localhost` leaves that
 * window open) leaves the connected socket unused in its pool. They hold no
 * work, so a shutdown ends them at once; connections with a request keep
 * Node's rules (idle ones close, a running request is waited for).
 *
 * With HTTPS, a connection counts from its completed TLS handshake.
 */
export function closeUnusedConnectionsOnClose(app: FastifyInstance, secure: boolean): void {
  const unused = new Set<Socket>();
  let closing = false;
  app.server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => {
    unused.delete(request.socket);
  });
  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of unused) socket.destroy();
    unused.clear();
  });
}
