import { describe, expect, it, vi } from 'vitest';
import { createDesktopBridge } from '../../electron/bridge.js';
import { IPC_CHANNELS } from '../../shared/ipc/contract.js';

describe('the window.tab bridge (what preload exposes)', () => {
  it('is a frozen object of the seven DesktopBridge functions, nothing else', () => {
    const bridge = createDesktopBridge({ invoke: vi.fn(), on: vi.fn(() => () => undefined) });
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['apiRequest', 'getState', 'onServerEvent', 'onStateChanged', 'setServerUrl', 'signIn', 'signOut']);
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
  });
});
