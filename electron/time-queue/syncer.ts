import { ApiError, createTabApi, type HttpRequest, type TabApi } from '../../shared/api/client.js';
import type { EntryWriteResponse, TimeEntry } from '../../shared/api/time.js';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from '../event-stream.js';
import { silentLogger, type Logger } from '../logger.js';
import type { QueueRow } from './local-schema.js';
import type { TimeStore } from './local-store.js';

/**
 * Drains a TimeStore's queue through the TAB API, oldest write first:
 *
 * - timer-start → `POST /api/v1/timer/start` with the local id; timer-stop →
 *   `POST /api/v1/timer/stop {id}`. The server stamps its own clock, so when
 *   the write syncs late (offline) the local start or end is put back with a
 *   `PATCH` (both steps are idempotent: a retry repeats them harmlessly).
 * - save → `POST /api/v1/entries` (idempotent on the id); an entry the server
 *   already has → `PATCH /api/v1/entries/:id`.
 * - delete → `DELETE /api/v1/entries/:id` (404: already gone, done).
 *
 * No answer, a 5xx, 408 or 429 → stop, stay offline, retry with backoff;
 * nothing leaves the queue. 401 → stop (the auth controller signs out; the
 * queue stays on disk for the same user). Any other 4xx → that write is
 * marked refused (kept for the person) and the rest go on.
 */

/** A start or end the server stamped this far from the local one is corrected. */
export const CLOCK_TOLERANCE_MS = 1000;

export interface SyncerOptions {
  store: TimeStore;
  /** One API call with the user's credentials; throws ApiError (ServerClient.send, or the auth controller's). */
  send: (request: HttpRequest) => Promise<unknown>;
  backoff?: Backoff;
  log?: Logger;
  /** Called when the server said the session is over (401). */
  onSignedOut?: (error: ApiError) => void;
  /** Called whenever `online` changes. */
  onOnlineChanged?: (online: boolean) => void;
  /** Look up the server's running timer after a full drain (default true). */
  reconcile?: boolean;
}

type Outcome = { kind: 'done'; entry: TimeEntry | null; gone?: boolean } | { kind: 'refused'; code: string; message: string } | { kind: 'retry'; error: ApiError } | { kind: 'signed-out'; error: ApiError };

const GONE = Symbol('deleted on the server');
const written = (response: EntryWriteResponse) => (response.deleted ? GONE : response.entry);

const farApart = (a: string | null, b: string | null) => a !== null && b !== null && Math.abs(Date.parse(a) - Date.parse(b)) > CLOCK_TOLERANCE_MS;

export class TimeSyncer {
  private readonly api: TabApi;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private running = false;
  private draining: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private isOnline = true;

  constructor(private readonly options: SyncerOptions) {
    this.api = createTabApi(options.send);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.log = options.log ?? silentLogger;
  }

  get online(): boolean {
    return this.isOnline;
  }

  get active(): boolean {
    return this.running;
  }

  /** Starts (or resumes) draining: now, and after every local write (call kick()). */
  start(): void {
    this.running = true;
    this.attempt = 0;
    clearTimeout(this.retryTimer);
    this.kick();
  }

  /** Stops sending (signed out, offline, quit). What is queued stays queued. Resolves once no call is in flight. */
  async pause(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    await this.draining;
  }

  /** Something was queued: drain unless paused or already draining. */
  kick(): void {
    if (!this.running || this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Drains now and resolves when the queue is empty, refused, or the server is unreachable (tests, bench). */
  async flush(): Promise<void> {
    if (!this.running) this.running = true;
    clearTimeout(this.retryTimer);
    this.kick();
    while (this.draining) await this.draining;
  }

  private setOnline(online: boolean): void {
    if (this.isOnline === online) return;
    this.isOnline = online;
    this.options.onOnlineChanged?.(online);
  }

  private async drain(): Promise<void> {
    const { store } = this.options;
    let sent = 0;
    for (;;) {
      while (this.running && store.isOpen) {
        const row = store.nextPending();
        if (!row) break;
        const outcome = await this.sendOne(row);
        if (!store.isOpen) return;
        switch (outcome.kind) {
          case 'done':
            store.completed(row.seq, outcome.entry, outcome.gone === true);
            sent++;
            this.attempt = 0;
            this.setOnline(true);
            break;
          case 'refused':
            this.log.log('warn', 'queued time write refused by the server', { seq: row.seq, operation: row.operation, code: outcome.code });
            store.refused(row.seq, outcome.code, outcome.message);
            this.setOnline(true);
            break;
          case 'signed-out':
            this.running = false;
            this.log.log('info', 'time sync stopped: signed out by the server', { pending: store.pendingCount() });
            this.options.onSignedOut?.(outcome.error);
            return;
          case 'retry': {
            store.failedAttempt(row.seq, `${outcome.error.status} ${outcome.error.code}`);
            this.setOnline(false);
            const delay = Math.max(backoffDelay(this.backoff, this.attempt++), (outcome.error.retryAfterSeconds ?? 0) * 1000);
            this.log.log('info', 'time sync paused: server unreachable', { pending: store.pendingCount(), retryInMs: delay });
            clearTimeout(this.retryTimer);
            this.retryTimer = setTimeout(() => this.kick(), delay);
            return;
          }
        }
      }
      if (!this.running || !store.isOpen) return;
      if (sent > 0) this.log.log('info', 'time writes synced', { sent, refused: store.queue().length - store.pendingCount() });
      sent = 0;
      if (this.options.reconcile !== false) {
        try {
          const dashboard = await this.api.getDashboard();
          if (store.isOpen) store.reconcileRunning(dashboard.runningTimer);
        } catch {
          /* a look-up only: the next drain tries again */
        }
      }
      // A write queued during the look-up (kick() was a no-op while draining): go round again.
      if (!this.running || !store.isOpen || store.pendingCount() === 0) return;
    }
  }

  private async sendOne(row: QueueRow): Promise<Outcome> {
    try {
      const result = await this.apply(row);
      return result === GONE ? { kind: 'done', entry: null, gone: true } : { kind: 'done', entry: result };
    } catch (error) {
      if (!(error instanceof ApiError)) {
        this.log.log('error', 'time sync failed unexpectedly', { error: String(error) });
        return { kind: 'retry', error: new ApiError(0, 'network_error', String(error)) };
      }
      // Only the signed-out codes end the session; another 401 (token_expired that a refresh could not cure) waits and retries.
      if (error.isSignedOut) return { kind: 'signed-out', error };
      if (error.status === 401) return { kind: 'retry', error };
      if (error.isUnreachable || error.status === 408 || error.status === 429 || error.status === 0) return { kind: 'retry', error };
      return { kind: 'refused', code: error.code, message: error.message };
    }
  }

  /** Answers the server's copy of the entry, null after a delete, GONE when the id was deleted on the server before. */
  private async apply(row: QueueRow): Promise<TimeEntry | null | typeof GONE> {
    const { payload } = row;
    switch (payload.operation) {
      case 'timer-start': {
        let { entry } = await this.api.startTimer(payload.request);
        if (farApart(entry.start, payload.entry.start)) ({ entry } = await this.api.updateEntry(entry.id, { start: payload.entry.start }));
        return entry;
      }
      case 'timer-stop': {
        let { entry } = await this.api.stopTimer({ id: payload.request.id });
        // The local start goes back with the end: a start stamped by the server within the tolerance could
        // otherwise fall after a short entry's local end, and the correction would be refused as invalid_range.
        if (farApart(entry.end, payload.entry.end)) ({ entry } = await this.api.updateEntry(entry.id, { start: payload.entry.start, end: payload.entry.end }));
        return entry;
      }
      case 'save': {
        const { id, ...fields } = payload.request;
        if (this.options.store.isOnServer(id)) {
          try {
            return (await this.api.updateEntry(id, fields)).entry;
          } catch (error) {
            if (!(error instanceof ApiError) || error.status !== 404) throw error;
            return written(await this.api.createEntry(payload.request));
          }
        }
        try {
          return written(await this.api.createEntry(payload.request));
        } catch (error) {
          // The id is another person's entry (a manager correcting it): it exists on the server, so update it.
          // Keyed on its own code, never on the message; a PATCH that cannot apply is refused in turn.
          if (!(error instanceof ApiError) || error.code !== 'entry_of_another_person') throw error;
          return (await this.api.updateEntry(id, fields)).entry;
        }
      }
      case 'delete':
        try {
          await this.api.deleteEntry(payload.request.id);
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 404) throw error;
        }
        return null;
    }
  }
}
