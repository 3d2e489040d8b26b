import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebBackend } from './web-backend.js';

/** A stand-in EventSource the test drives by hand. */
class FakeEventSource extends EventTarget {
  static instances: FakeEventSource[] = [];
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data?: unknown) {
    this.dispatchEvent(type === 'error' || type === 'open' ? new Event(type) : new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const meOk = { user: { id: 'u1', email: 'a@b.c', name: 'A', role: 'admin', workspaceId: 'w' }, session: null };

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup(fetchImpl: (url: string) => Response) {
  const fetch = vi.fn(async (url: string) => fetchImpl(url));
  const backend = createWebBackend({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource, retryMs: 1000, maxRetryMs: 4000 });
  const signedOut = vi.fn();
  backend.onSignedOut(signedOut);
  return { backend, fetch, signedOut };
}

describe('web backend', () => {
  it('opens /api/v1/events and passes sessions.changed on', () => {
    const { backend } = setup(() => json(200, meOk));
    const listener = vi.fn();
    backend.subscribeEvents(listener);
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/v1/events');
    source.emit('sessions.changed', { type: 'sessions.changed', userId: 'u1' });
    expect(listener).toHaveBeenCalledWith({ type: 'sessions.changed', userId: 'u1' });
  });

  it('passes the new sign-in and unusual-change alerts on', () => {
    const { backend } = setup(() => json(200, meOk));
    const listener = vi.fn();
    backend.subscribeEvents(listener);
    const source = FakeEventSource.instances[0]!;
    const session = { id: 's2', label: 'Chrome 120, Windows', clientKind: 'web', location: null, createdAt: '2026-03-10T12:00:00.000Z' };
    source.emit('session.created', { type: 'session.created', session });
    source.emit('session.alert', { type: 'session.alert', kind: 'ip_changed', session, from: 'Lisbon, Portugal', to: 'Paris, France' });
    expect(listener.mock.calls.map(([e]) => e.type)).toEqual(['session.created', 'session.alert']);
  });

  it('passes time.changed on, and drops a payload that does not match its event name', () => {
    const { backend } = setup(() => json(200, meOk));
    const listener = vi.fn();
    backend.subscribeEvents(listener);
    const source = FakeEventSource.instances[0]!;
    const event = { type: 'time.changed', entryId: 'e1', userId: 'u2', change: 'timer_stopped' };
    source.emit('time.changed', event);
    expect(listener).toHaveBeenCalledWith(event);
    source.emit('time.changed', { type: 'session.revoked', sessionId: 's', reason: 'signed_out' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('signs out with the reason on a session.revoked event', () => {
    const { backend, signedOut } = setup(() => json(200, meOk));
    backend.subscribeEvents(() => {});
    FakeEventSource.instances[0]!.emit('session.revoked', { type: 'session.revoked', sessionId: 's', reason: 'revoked_by_user' });
    expect(signedOut).toHaveBeenCalledWith('revoked_by_user');
  });

  it('when the stream drops, asks /me once; on 401 signs out and does not reopen', async () => {
    const { backend, fetch, signedOut } = setup(() => json(401, { error: { code: 'session_expired', message: 'x', reason: 'inactivity' } }));
    backend.subscribeEvents(() => {});
    const source = FakeEventSource.instances[0]!;
    source.emit('error');
    expect(source.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/me');
    expect(signedOut).toHaveBeenCalledWith('inactivity');
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('when the stream drops but the session is fine, reopens after a growing wait', async () => {
    const { backend, fetch } = setup(() => json(200, meOk));
    backend.subscribeEvents(() => {});
    FakeEventSource.instances[0]!.emit('error');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.instances[1]!.emit('error');
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not call a wrong password at sign-in a signed-out session', async () => {
    const { backend, signedOut } = setup(() => json(401, { error: { code: 'invalid_credentials', message: 'nope' } }));
    await expect(backend.signIn('a@b.c', 'bad')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('on stream.closed (too_many_streams) stays closed, and reopens once when the tab is shown again', async () => {
    const page = Object.assign(new EventTarget(), { visibilityState: 'hidden' as DocumentVisibilityState });
    const fetch = vi.fn(async () => json(200, meOk));
    const backend = createWebBackend({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource, retryMs: 1000, document: page as unknown as Document });
    backend.subscribeEvents(() => {});
    const source = FakeEventSource.instances[0]!;
    source.emit('stream.closed', { type: 'stream.closed', reason: 'too_many_streams' });
    source.emit('error'); // the server then ends the response
    expect(source.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(fetch).not.toHaveBeenCalled();

    page.dispatchEvent(new Event('visibilitychange')); // still hidden
    expect(FakeEventSource.instances).toHaveLength(1);
    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    page.dispatchEvent(new Event('visibilitychange'));
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('on stream.closed (server_shutdown) reconnects as after any drop, after a wait', async () => {
    const { backend } = setup(() => json(200, meOk));
    backend.subscribeEvents(() => {});
    FakeEventSource.instances[0]!.emit('stream.closed', { type: 'stream.closed', reason: 'server_shutdown' });
    FakeEventSource.instances[0]!.emit('error');
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('stops listening for good when unsubscribed', async () => {
    const { backend } = setup(() => json(200, meOk));
    const stop = backend.subscribeEvents(() => {});
    stop();
    expect(FakeEventSource.instances[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.instances).toHaveLength(1);
  });
});

describe('web backend: time writes', () => {
  const entry = { id: '0b7c1a52-4f43-4d5e-9a54-1a2b3c4d5e6f', clientId: '11111111-1111-4111-8111-111111111111', description: 'VAT', start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:00:00.000Z', billable: true };
  const written = { entry, warnings: [{ code: 'overlap', message: 'Overlaps another entry.', entryIds: ['x'] }], deleted: false };

  it('creates with a POST of the client id, updates with a PATCH, and passes the warnings on', async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => json(200, written));
    const backend = createWebBackend({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    await expect(backend.saveEntry(entry, { mode: 'create', ownEntry: true })).resolves.toMatchObject({ queued: false, warnings: written.warnings });
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/entries');
    expect(JSON.parse(String(fetch.mock.calls[0]![1].body))).toEqual(entry);
    await backend.saveEntry(entry, { mode: 'update', ownEntry: true });
    expect(fetch.mock.calls[1]![0]).toBe(`/api/v1/entries/${entry.id}`);
    expect(fetch.mock.calls[1]![1].method).toBe('PATCH');
    expect(JSON.parse(String(fetch.mock.calls[1]![1].body))).not.toHaveProperty('id');
  });
});
