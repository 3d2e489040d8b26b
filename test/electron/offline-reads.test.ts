/**
 * The desktop keeps the matters and activities it last read (issue #14 item
 * 8), so the timer and the weekly grid can offer them while the server is
 * unreachable; entries made with them go to the offline queue as always.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/client.js';
import { TimeStore } from '../../electron/time-queue/local-store.js';
import { OFFLINE_READS, offlineRead, rememberRead } from '../../electron/time-queue/offline-reads.js';
import { tempDir } from './support/time.js';

const matters = { matters: [{ id: 'm1', clientId: 'c1', code: 'TAX', name: 'Tax', closed: false }] };
const unreachable = new ApiError(0, 'network_error', 'The TAB server is unreachable.');

describe('offline reads', () => {
  it('answers the last matters and activities read when the server is unreachable, across a restart', () => {
    const dir = tempDir();
    const store = new TimeStore({ dataDir: dir, origin: 'http://x.test', userId: 'u1' });
    const read = { method: 'GET', path: OFFLINE_READS[0] };
    expect(offlineRead(store, read, unreachable)).toBeUndefined(); // nothing kept yet
    rememberRead(store, read, matters);
    rememberRead(store, { method: 'GET', path: '/api/v1/activities' }, { activities: [] });
    store.close();

    const again = new TimeStore({ dataDir: dir, origin: 'http://x.test', userId: 'u1' });
    expect(offlineRead(again, read, unreachable)).toEqual(matters);
    expect(offlineRead(again, { method: 'GET', path: '/api/v1/activities' }, new ApiError(503, 'server_busy', 'busy'))).toEqual({ activities: [] });
    again.close();
  });

  it('keeps only those reads, and never hides an answer from the server (a 403, a 404) behind the copy', () => {
    const store = new TimeStore({ dataDir: tempDir(), origin: 'http://x.test', userId: 'u1' });
    rememberRead(store, { method: 'GET', path: '/api/v1/entries?from=a&to=b' }, { entries: [] });
    expect(store.cachedRead('/api/v1/entries?from=a&to=b')).toBeNull();
    rememberRead(store, { method: 'POST', path: OFFLINE_READS[1] }, { activities: ['x'] });
    expect(store.cachedRead(OFFLINE_READS[1])).toBeNull();
    rememberRead(store, { method: 'GET', path: OFFLINE_READS[1] }, { activities: [] });
    expect(offlineRead(store, { method: 'GET', path: OFFLINE_READS[1] }, new ApiError(403, 'forbidden', 'no'))).toBeUndefined();
    expect(offlineRead(store, { method: 'GET', path: OFFLINE_READS[1] }, new Error('not an API error'))).toBeUndefined();
    store.close();
  });
});
