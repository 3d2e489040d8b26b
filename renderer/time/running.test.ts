import { describe, expect, it } from 'vitest';
import type { QueuedWrite, SyncStatus } from '../../shared/ipc/contract.js';
import { makeEntry } from '../test-support/time.js';
import { runningTimerOf, withQueuedWrites } from './running.js';

const sync = (over: Partial<SyncStatus>): SyncStatus => ({ queue: [], runningTimer: null, lastSyncedAt: null, online: true, ...over });
const write = (over: Partial<QueuedWrite>): QueuedWrite => ({ entryId: 'x', operation: 'save', entry: null, queuedAt: '2026-11-23T12:00:00Z', refused: null, ...over });

describe('runningTimerOf', () => {
  const server = makeEntry({ end: null, description: 'server' });
  const local = makeEntry({ end: null, description: 'local' });
  it('takes the server’s timer on the web and when the desktop has nothing pending', () => {
    expect(runningTimerOf(server, null)).toBe(server);
    expect(runningTimerOf(server, sync({}))).toBe(server);
    expect(runningTimerOf(undefined, null)).toBeNull();
  });
  it('trusts the desktop while it runs a timer or a start/stop waits to sync', () => {
    expect(runningTimerOf(null, sync({ runningTimer: local }))).toBe(local);
    expect(runningTimerOf(server, sync({ queue: [write({ operation: 'timer-stop', entryId: server.id })] }))).toBeNull();
  });
});

describe('withQueuedWrites', () => {
  const from = Date.parse('2026-11-23T00:00:00Z');
  const to = Date.parse('2026-11-30T00:00:00Z');
  it('applies unsynced saves and deletes over the server’s list, in order, within the week', () => {
    const a = makeEntry({ description: 'a', start: '2026-11-24T09:00:00Z' });
    const b = makeEntry({ description: 'b', start: '2026-11-23T09:00:00Z' });
    const offline = makeEntry({ description: 'offline', start: '2026-11-25T09:00:00Z' });
    const elsewhere = makeEntry({ description: 'next week', start: '2026-12-01T09:00:00Z' });
    const rows = withQueuedWrites([a, b], [
      write({ entryId: offline.id, entry: offline }),
      write({ entryId: a.id, operation: 'delete' }),
      write({ entryId: elsewhere.id, entry: elsewhere, refused: { code: 'invalid_range', message: 'bad' } }),
      write({ entryId: b.id, entry: { ...b, description: 'b, edited' }, refused: { code: 'invalid_range', message: 'bad' } }),
    ], from, to);
    expect(rows.map((r) => [r.entry.description, r.pending, r.refused])).toEqual([
      ['b, edited', true, 'bad'],
      ['offline', true, null],
    ]);
  });
});
