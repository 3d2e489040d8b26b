import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';

/**
 * The server's close (SIGTERM, tests) with connections of every kind open:
 * one that never sent a request (a browser's preconnect; Node's fetch after
 * a request aborted while connecting, as the desktop's event stream at
 * sign-out against `http://localhost:4000`), an idle keep-alive one, an
 * event stream. Node counts the first as busy and would wait for its
 * headers timeout (30 s or more); it must end at once
 * (server/http/close-unused-connections.ts).
 */
const CLOSE_BOUND_MS = 20_000; // generous; without the fix the close takes the headers timeout (30–60 s here)

function rawConnection(url: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('server close', () => {
  it('ends a connection that never sent a request at once, with keep-alive and event-stream connections open too', async () => {
    const server = await startTestServer();
    const ana = await signIn(server.url, 'ana@demo.test');
    const stream = await openEventStream(server.url, ana.auth);
    const shutdownNotice = stream.next('stream.closed');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);
    const unused = await rawConnection(server.url);
    const unusedToo = await rawConnection(server.url);
    // Its server side exists (the close must deal with it), though nothing was sent.
    await expect.poll(() => new Promise<number>((r) => server.app.server.getConnections((_e, n) => r(n)))).toBeGreaterThanOrEqual(3);

    await within(server.close(), CLOSE_BOUND_MS, 'the server close');
    await within(Promise.all([unused.closed, unusedToo.closed]), CLOSE_BOUND_MS, 'ending the unused connections');
    expect((await shutdownNotice).data).toEqual({ type: 'stream.closed', reason: 'server_shutdown' });
    await stream.ended;
  });
});
