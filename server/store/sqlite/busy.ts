import { HttpError } from '../../http/http-error.js';

/** How long a write waits for another process's write lock before the request is answered 503 `server_busy`. */
export const DEFAULT_WRITE_WAIT_MS = 10_000;
/** What `Retry-After` suggests after such a wait. */
const RETRY_AFTER_SECONDS = 5;

/** SQLITE_BUSY and its extended codes (…_RECOVERY, …_SNAPSHOT, …_TIMEOUT): another connection holds a lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export const serverBusy = () =>
  new HttpError('server_busy', 'The database is busy with another program’s write. Try again in a few seconds.', {
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  });

/**
 * Waits for another process's lock without blocking the event loop: the
 * connection's busy_timeout is 0, so SQLite answers SQLITE_BUSY at once, and
 * this retries on timers, backing off from 2 ms to 50 ms (with jitter), until
 * `maxWaitMs` has passed. `pause` runs around each sleep (the caller lets go of
 * the connection meanwhile, so reads go on).
 */
export async function retryWhileBusy<T>(
  attempt: () => T,
  maxWaitMs: number,
  pause: { before(): void; after(): Promise<void> } = { before: () => {}, after: async () => {} },
): Promise<T> {
  const deadline = performance.now() + maxWaitMs;
  for (let delay = 2; ; delay = Math.min(50, delay * 2)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - performance.now();
      if (left <= 0) throw serverBusy();
      pause.before();
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, delay * (0.5 + Math.random()))));
      await pause.after();
    }
  }
}
