import { vi } from 'vitest';
import { IPC, pushListenerName, type DesktopBridge, type IpcKey, type PushKey, type PushPayload, type SyncStatus } from '../../shared/ipc/contract.js';
import { makeEntry } from './time.js';

export const emptySync: SyncStatus = { queue: [], runningTimer: null, lastSyncedAt: null, online: true };

/**
 * A stand-in for `window.tab`, built from the IPC map like the real one: every
 * invoke is a vi.fn answering `{ ok: true, value: null }` unless overridden,
 * and `push(key, payload)` plays main sending on a push channel.
 */
export function fakeDesktopBridge(overrides: Partial<DesktopBridge> = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: Record<string, unknown> = {};
  for (const key of Object.keys(IPC) as IpcKey[]) {
    if (IPC[key].kind === 'invoke') bridge[key] = vi.fn(async () => ({ ok: true as const, value: null }));
    else {
      bridge[pushListenerName(key)] = (listener: (payload: unknown) => void) => {
        if (!listeners.has(key)) listeners.set(key, new Set());
        listeners.get(key)!.add(listener);
        return () => listeners.get(key)!.delete(listener);
      };
    }
  }
  Object.assign(bridge, overrides);
  return {
    bridge: bridge as unknown as DesktopBridge,
    push<K extends PushKey>(key: K, payload: PushPayload<K>) {
      for (const listener of [...(listeners.get(key) ?? [])]) listener(payload);
    },
  };
}

/** The offline-queue half of a fake preload bridge; `push` plays main announcing a queue change. */
export function fakeSyncBridge(initial: SyncStatus = emptySync) {
  let status = initial;
  const listeners = new Set<(s: SyncStatus) => void>();
  const methods = {
    timerStart: vi.fn(async (args: Parameters<DesktopBridge['timerStart']>[0]) => ({ ok: true as const, value: makeEntry({ id: args.id, clientId: args.clientId, end: null }) })),
    timerStop: vi.fn(async (args: { id?: string }) => ({ ok: true as const, value: makeEntry({ id: args.id }) })),
    saveEntry: vi.fn(async (args: Parameters<DesktopBridge['saveEntry']>[0]) => ({ ok: true as const, value: makeEntry({ ...args, hourlyRateCents: 12000 }) })),
    deleteEntry: vi.fn(async () => ({ ok: true as const, value: null })),
    discardQueuedWrite: vi.fn(async () => ({ ok: true as const, value: null })),
    getSyncStatus: vi.fn(async () => ({ ok: true as const, value: status })),
    onSyncChanged: (l: (s: SyncStatus) => void) => (listeners.add(l), () => listeners.delete(l)),
  } satisfies Partial<DesktopBridge>;
  return {
    methods,
    push(next: SyncStatus) {
      status = next;
      listeners.forEach((l) => l(next));
    },
  };
}
