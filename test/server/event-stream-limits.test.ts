import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_SESSION } from '../../server/events/event-hub.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('event streams per session', () => {
  it(`at most ${MAX_STREAMS_PER_SESSION} per session: the oldest is told stream.closed (too_many_streams), then closed`, async () => {
    expect(MAX_STREAMS_PER_SESSION).toBe(20);
    const ana = await signIn(server.url, 'ana@demo.test');
    const ben = await signIn(server.url, 'ben@demo.test');
    const bens = await openEventStream(server.url, ben.auth);
    const streams: OpenStream[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) streams.push(await openEventStream(server.url, ana.auth));
    expect(server.hub.size()).toBe(MAX_STREAMS_PER_SESSION + 1);

    const oldestClosed = streams[0]!.next('stream.closed');
    const newest = await openEventStream(server.url, ana.auth);
    expect(newest.status).toBe(200);
    expect((await oldestClosed).data).toEqual({ type: 'stream.closed', reason: 'too_many_streams' });
    await streams[0]!.ended;
    expect(server.hub.size()).toBe(MAX_STREAMS_PER_SESSION + 1);

    // The others (and another session's stream) still receive events.
    const heard = [...streams.slice(1), newest].map((s) => s.next('sessions.changed'));
    const bensHeard = bens.next('sessions.changed');
    await signIn(server.url, 'ana@demo.test');
    await signIn(server.url, 'ben@demo.test');
    await Promise.all([...heard, bensHeard]);
    expect(streams[0]!.events.map((e) => e.type)).toEqual(['stream.closed']);

    for (const s of [...streams, newest, bens]) s.close();
  });

  it('HEAD /api/v1/events answers at once: 200 with the stream type and no body for a live session, 401 otherwise', async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    const before = server.hub.size();
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/events`, { method: 'HEAD', headers: ana.auth, signal: AbortSignal.timeout(5000) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toBe('');
    expect(server.hub.size()).toBe(before);

    const anon = await fetch(`${server.url}/api/v1/events`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    expect(anon.status).toBe(401);
    const other = await signIn(server.url, 'ana@demo.test');
    await call(server.url, 'DELETE', `/api/v1/sessions/${other.session.id}`, { headers: ana.auth });
    const revoked = await fetch(`${server.url}/api/v1/events`, { method: 'HEAD', headers: other.auth, signal: AbortSignal.timeout(5000) });
    expect(revoked.status).toBe(401);
  });
});

describe('server shutdown', () => {
  it('tells open streams stream.closed (server_shutdown) before ending them', async () => {
    const own = await startTestServer();
    const ana = await signIn(own.url, 'ana@demo.test');
    const stream = await openEventStream(own.url, ana.auth);
    const closed = stream.next('stream.closed');
    await own.close();
    expect((await closed).data).toEqual({ type: 'stream.closed', reason: 'server_shutdown' });
    await stream.ended;
  });
});
