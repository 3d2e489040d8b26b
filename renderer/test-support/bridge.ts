import { vi } from 'vitest';
import type { DesktopBridge, SyncStatus } from '../../shared/ipc/contract.js';
import { makeEntry } from './time.js';

export const emptySync: SyncStatus = { queue: [], runningTimer: null, lastSyncedAt: null, online: true };

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
    getSyncStatus: vi.fn(async () => status),
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
