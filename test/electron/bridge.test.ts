import { describe, expect, it, vi } from 'vitest';
import { createDesktopBridge } from '../../electron/preload/bridge.js';
import { channelName, INVOKE_KEYS, IPC, PUSH_KEYS, pushListenerName } from '../../shared/ipc/contract.js';

describe('the window.tab bridge (what preload exposes), built from the IPC map', () => {
  it('is a frozen object of functions: one per invoke channel, one onX per push channel, nothing else', () => {
    const bridge = createDesktopBridge({ invoke: vi.fn(), on: vi.fn(() => () => undefined) });
    expect(Object.isFrozen(bridge)).toBe(true);
    const expected = [...INVOKE_KEYS, ...PUSH_KEYS.map(pushListenerName)].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    // The map really is the source: every key is an invoke or a push, and the lists cover it.
    expect([...INVOKE_KEYS, ...PUSH_KEYS].sort()).toEqual(Object.keys(IPC).sort());
    expect(INVOKE_KEYS).toContain('apiRequest');
    expect(PUSH_KEYS).toContain('stateChanged');
    expect(Object.keys(bridge)).toContain('onStateChanged');
  });

  it('each invoke goes to tab:<key> with at most one argument', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    const bridge = createDesktopBridge({ invoke, on: () => () => undefined });
    await bridge.getState();
    await bridge.signIn({ email: 'a@b.c', password: 'pw' });
    await bridge.setServerUrl('https://tab.example.com');
    await (bridge.timerStop as (...args: unknown[]) => Promise<unknown>)({ id: 'x' }, 'extra', 'more');
    expect(invoke.mock.calls).toEqual([
      [channelName('getState')],
      [channelName('signIn'), { email: 'a@b.c', password: 'pw' }],
      [channelName('setServerUrl'), 'https://tab.example.com'],
      [channelName('timerStop'), { id: 'x' }],
    ]);
    expect(channelName('apiRequest')).toBe('tab:apiRequest');
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
    subscriptions.get(channelName('stateChanged'))!({ status: 'signed-out', serverUrl: null, reason: null });
    expect(states).toEqual([{ status: 'signed-out', serverUrl: null, reason: null }]);
    unsubscribe();
    expect(off).toHaveBeenCalled();
    for (const key of PUSH_KEYS) {
      (bridge[pushListenerName(key)] as (l: () => void) => () => void)(() => undefined);
      expect(subscriptions.has(channelName(key)), key).toBe(true);
    }
  });
});
