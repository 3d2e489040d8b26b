import { ApiError } from '../../shared/api/client.js';
import type { TimeStore } from './local-store.js';

/**
 * The server reads the desktop keeps for offline use (issue #14 item 8): the
 * matters and activities the timer and the weekly grid offer, so that entries
 * can be made with them while the server is unreachable (the writes go to
 * the queue as always). Kept from every successful read of exactly these
 * paths, and refreshed with the client names.
 */
export const OFFLINE_READS = ['/api/v1/matters?includeClosed=false', '/api/v1/activities'] as const;

const isOfflineRead = (request: { method: string; path: string }) => request.method === 'GET' && (OFFLINE_READS as readonly string[]).includes(request.path);

/** Keeps a server answer when it is one of the offline reads. */
export function rememberRead(store: TimeStore, request: { method: string; path: string }, body: unknown): void {
  if (isOfflineRead(request) && store.isOpen) store.setCachedRead(request.path, body);
}

/** The kept answer of an offline read when the server cannot be reached (keyed on the error's code, never its text); undefined otherwise. */
export function offlineRead(store: TimeStore, request: { method: string; path: string }, error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.isUnreachable || !isOfflineRead(request) || !store.isOpen) return undefined;
  return store.cachedRead(request.path) ?? undefined;
}
