import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffDelay, createEventStream, SseParser, toServerEvent, type SseMessage } from '../../electron/event-stream.js';
import type { ServerEvent } from '../../shared/api/events.js';

const parse = (chunks: string[]) => {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  return { out, parser };
};

describe('SSE parser', () => {
  it('parses the server’s stream: retry hint, comments, named events', () => {
    const { out, parser } = parse([
      'retry: 3000\n: connected\n\n',
      'event: sessions.changed\ndata: {"type":"sessions.changed","userId":"u1"}\n\n',
      ': heartbeat\n\n',
      'event: session.revoked\ndata: {"type":"session.revoked","sessionId":"s1","reason":"revoked_by_user"}\n\n',
    ]);
    expect(parser.retryMs).toBe(3000);
    expect(out.map(toServerEvent)).toEqual([
      { type: 'sessions.changed', userId: 'u1' },
      { type: 'session.revoked', sessionId: 's1', reason: 'revoked_by_user' },
    ]);
  });
  it('handles chunks split anywhere, CRLF and CR line ends, multi-line data', () => {
    const text = 'event: a\r\ndata: 1\r\ndata: 2\r\n\r\nevent: b\rdata:3\r\rdata: x\n\n';
    const whole = parse([text]).out;
    expect(whole).toEqual([
      { event: 'a', data: '1\n2', id: undefined },
      { event: 'b', data: '3', id: undefined },
      { event: 'message', data: 'x', id: undefined },
    ]);
    for (let i = 1; i < text.length; i++) expect(parse([text.slice(0, i), text.slice(i)]).out, `split at ${i}`).toEqual(whole);
    expect(parse(text.split('')).out).toEqual(whole);
  });
  it('ignores unknown events and bad JSON', () => {
    expect(toServerEvent({ event: 'other', data: '{}' })).toBeNull();
    expect(toServerEvent({ event: 'session.revoked', data: 'nope' })).toBeNull();
    expect(toServerEvent({ event: 'session.revoked', data: '{"sessionId":1}' })).toBeNull();
  });
  it('backoff doubles up to the cap, with jitter', () => {
    const b = { initialMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(b, n, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(b, 0, () => 0)).toBe(80);
    expect(backoffDelay(b, 0, () => 1)).toBe(120);
  });
});

describe('event-stream listener', () => {
  it('sends the Bearer token, reconnects when the stream ends, stops for good on 401', async () => {
    let connections = 0;
    const auth: string[] = [];
    const server = createServer((req, res) => {
      connections++;
      auth.push(String(req.headers.authorization));
      if (connections === 1) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('event: sessions.changed\ndata: {"type":"sessions.changed","userId":"u"}\n\n');
      } else if (connections === 2) {
        res.writeHead(503).end();
      } else {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'session_revoked', message: 'gone', reason: 'revoked_by_admin' } }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events: ServerEvent[] = [];
    const errors: number[] = [];
    let opened = 0;
    const unauthorized = new Promise<string | undefined>((resolve) => {
      const stream = createEventStream({
        baseUrl: url,
        token: () => 'the-jwt',
        backoff: { initialMs: 20, maxMs: 50 },
        onEvent: (e) => events.push(e),
        onOpen: () => opened++,
        onError: (e) => errors.push(e.status),
        onUnauthorized: (e) => resolve(e.reason),
      });
      stream.start();
    });
    expect(await unauthorized).toBe('revoked_by_admin');
    await new Promise((r) => setTimeout(r, 150));
    expect(connections).toBe(3); // no reconnect after the 401
    expect(auth.every((a) => a === 'Bearer the-jwt')).toBe(true);
    expect(events).toEqual([{ type: 'sessions.changed', userId: 'u' }]);
    expect(opened).toBe(1);
    expect(errors).toEqual([503]);
    server.close();
  });

  it('a network error is reported and retried until the server is there', async () => {
    const errors: number[] = [];
    const stream = createEventStream({
      baseUrl: 'http://127.0.0.1:9',
      token: () => 'jwt',
      backoff: { initialMs: 10, maxMs: 20 },
      onEvent: () => undefined,
      onError: (e) => errors.push(e.status),
    });
    stream.start();
    await new Promise((r) => setTimeout(r, 150));
    stream.stop();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors)).toEqual(new Set([0]));
    expect(stream.running).toBe(false);
  });
});

describe('event-stream listener and the 15-minute access token', () => {
  it('on 401 token_expired refreshes and reconnects at once with the new token (not a sign-out); twice in a row backs off', async () => {
    const auth: string[] = [];
    let token = 'old-token';
    let refreshes = 0;
    const server = createServer((req, res) => {
      auth.push(String(req.headers.authorization));
      if (req.headers.authorization === 'Bearer old-token') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'token_expired', message: 'refresh' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: sessions.changed\ndata: {"type":"sessions.changed","userId":"u1"}\n\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const events: ServerEvent[] = [];
    let unauthorized = 0;
    const stream = createEventStream({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: () => token,
      onEvent: (e) => events.push(e),
      onUnauthorized: () => unauthorized++,
      onTokenExpired: async () => {
        refreshes++;
        token = 'new-token';
      },
      backoff: { initialMs: 10_000, maxMs: 10_000 },
    });
    stream.start();
    const deadline = Date.now() + 5000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    stream.stop();
    server.closeAllConnections();
    server.close();
    expect(events).toEqual([{ type: 'sessions.changed', userId: 'u1' }]);
    expect(auth).toEqual(['Bearer old-token', 'Bearer new-token']);
    expect(refreshes).toBe(1);
    expect(unauthorized).toBe(0);
  });

  it('a refresh that does not cure it (token_expired again) waits like any drop instead of looping', async () => {
    let connections = 0;
    const server = createServer((_req, res) => {
      connections++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'token_expired', message: 'refresh' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let errors = 0;
    const stream = createEventStream({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: () => 'always-stale',
      onEvent: () => undefined,
      onError: () => errors++,
      onTokenExpired: async () => undefined,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    stream.start();
    await new Promise((r) => setTimeout(r, 500));
    stream.stop();
    server.close();
    expect(connections).toBe(2);
    expect(errors).toBe(1);
  });
});
