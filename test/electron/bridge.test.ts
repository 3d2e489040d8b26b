import { describe, expect, it, vi } from 'vitest';
import { createDesktopBridge } from '../../electron/bridge.js';
import { IPC_CHANNELS } from '../../shared/ipc/contract.js';

describe('the window.tab bridge (what preload exposes)', () => {
  it('is a frozen object of the DesktopBridge functions, nothing else', () => {
    const bridge = createDesktopBridge({ invoke: vi.fn(), on: vi.fn(() => () => undefined) });
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual([
      'apiRequest',
      'deleteEntry',
      'discardQueuedWrite',
      'getState',
      'getSyncStatus',
      'onServerEvent',
      'onStateChanged',
      'onSyncChanged',
      'saveEntry',
      'setServerUrl',
      'signIn',
      'signOut',
      'timerStart',
      'timerStop',
    ]);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('maps each call to its contract channel and copies only the contract fields', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    const bridge = createDesktopBridge({ invoke, on: () => () => undefined });
    await bridge.apiRequest({ method: 'GET', path: '/api/v1/me', extra: 'dropped' } as never);
    await bridge.signIn({ email: 'a@b.c', password: 'pw', client: 'web' } as never);
    await bridge.signOut();
    await bridge.getState();
    await bridge.setServerUrl('https://tab.example.com');
    expect(invoke.mock.calls).toEqual([
      [IPC_CHANNELS.apiRequest, { method: 'GET', path: '/api/v1/me', body: undefined }],
      [IPC_CHANNELS.signIn, { email: 'a@b.c', password: 'pw' }],
      [IPC_CHANNELS.signOut],
      [IPC_CHANNELS.getState],
      [IPC_CHANNELS.setServerUrl, 'https://tab.example.com'],
    ]);
  });

  it('maps the time calls to their channels with only the contract fields', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    const bridge = createDesktopBridge({ invoke, on: () => () => undefined });
    const id = '5f0c3a52-8a4e-4c1b-9d2e-0a1b2c3d4e5f';
    const clientId = '0b8e7d6c-5a4b-4c3d-8e2f-1a2b3c4d5e6f';
    await bridge.timerStart({ clientId, description: 'd', billable: true, userId: 'x' } as never);
    await bridge.timerStart({ id, clientId, description: 'd', billable: false });
    await bridge.timerStop({});
    await bridge.timerStop({ id, extra: 1 } as never);
    await bridge.saveEntry({ id, clientId, description: 'd', start: '2026-03-02T09:00:00Z', end: null, billable: true, userId: 'x' } as never);
    await bridge.saveEntry({ id, clientId, description: 'd', start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z', billable: true, hourlyRateCents: 5 });
    await bridge.deleteEntry({ id, extra: 1 } as never);
    await bridge.discardQueuedWrite({ entryId: id });
    await bridge.getSyncStatus();
    expect(invoke.mock.calls).toEqual([
      [IPC_CHANNELS.timerStart, { clientId, description: 'd', billable: true }],
      [IPC_CHANNELS.timerStart, { id, clientId, description: 'd', billable: false }],
      [IPC_CHANNELS.timerStop, {}],
      [IPC_CHANNELS.timerStop, { id }],
      [IPC_CHANNELS.entrySave, { id, clientId, description: 'd', start: '2026-03-02T09:00:00Z', end: null, billable: true }],
      [IPC_CHANNELS.entrySave, { id, clientId, description: 'd', start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z', billable: true, hourlyRateCents: 5 }],
      [IPC_CHANNELS.entryDelete, { id }],
      [IPC_CHANNELS.syncDiscard, { entryId: id }],
      [IPC_CHANNELS.getSyncStatus],
    ]);
  });

  it('listeners get the payload only, and can unsubscribe', () => {
    const subscriptions = new Map<string, (payload: unknown) => void>();
    const off = vi.fn();
    const bridge = createDesktopBridge({
      invoke: vi.fn(),
      on: (channel, listener) => {
        subscriptions.set(channel, listener);
        return off;
      },
    });
    const states: unknown[] = [];
    const unsubscribe = bridge.onStateChanged((s) => states.push(s));
    subscriptions.get(IPC_CHANNELS.stateChanged)!({ status: 'signed-out', serverUrl: null, reason: null });
    expect(states).toEqual([{ status: 'signed-out', serverUrl: null, reason: null }]);
    unsubscribe();
    expect(off).toHaveBeenCalled();
    bridge.onServerEvent(() => undefined);
    expect(subscriptions.has(IPC_CHANNELS.serverEvent)).toBe(true);
    const statuses: unknown[] = [];
    bridge.onSyncChanged((s) => statuses.push(s));
    const status = { queue: [], runningTimer: null, lastSyncedAt: null, online: true };
    subscriptions.get(IPC_CHANNELS.syncChanged)!(status);
    expect(statuses).toEqual([status]);
  });
});
