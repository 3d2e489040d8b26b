import type { TimeEntry } from '../../shared/api/time.js';
import type { QueuedWrite, SyncStatus } from '../../shared/ipc/contract.js';

const isTimerWrite = (write: QueuedWrite) => write.operation === 'timer-start' || write.operation === 'timer-stop';

/**
 * Which timer runs. The desktop knows first (its local queue), so its running
 * timer wins whenever it has one, or while a start/stop still waits to sync
 * (the server's answer is stale then: e.g. stopped offline). Otherwise the
 * server's dashboard says (a timer started in the web client, say).
 */
export function runningTimerOf(fromServer: TimeEntry | null | undefined, sync: SyncStatus | null): TimeEntry | null {
  if (sync && (sync.runningTimer || sync.queue.some(isTimerWrite))) return sync.runningTimer;
  return fromServer ?? null;
}

export interface ListedEntry {
  entry: TimeEntry;
  /** Desktop: written on this computer, not yet on the server. */
  pending: boolean;
  /** Desktop: the server refused this write. */
  refused: string | null;
}

/**
 * The server's entries with the desktop's unsynced writes applied on top, in
 * queue order, so that an entry saved offline is listed at once. Only entries
 * starting in [from, to) are added.
 */
export function withQueuedWrites(entries: TimeEntry[], queue: QueuedWrite[] | undefined, from: number, to: number): ListedEntry[] {
  const byId = new Map<string, ListedEntry>(entries.map((entry) => [entry.id, { entry, pending: false, refused: null }]));
  for (const write of queue ?? []) {
    if (write.operation === 'delete') {
      byId.delete(write.entryId);
      continue;
    }
    if (!write.entry) continue;
    const start = Date.parse(write.entry.start);
    if (start < from || start >= to) {
      byId.delete(write.entryId);
      continue;
    }
    byId.set(write.entryId, { entry: write.entry, pending: true, refused: write.refused?.message ?? null });
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.entry.start) - Date.parse(b.entry.start));
}
