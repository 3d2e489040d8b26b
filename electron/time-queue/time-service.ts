import { ApiError, type HttpRequest } from '../../shared/api/client.js';
import type { CreateEntryRequest, StartTimerRequest, TimeEntry } from '../../shared/api/time.js';
import type { DesktopAuthState, IpcError, IpcResult, SyncStatus } from '../../shared/ipc/contract.js';
import type { Backoff } from '../event-stream.js';
import { silentLogger, type Logger } from '../logger.js';
import { LocalWriteError, TimeStore } from './local-store.js';
import { TimeSyncer } from './syncer.js';

/**
 * The desktop's offline-safe time tracking, driven by the auth state:
 *
 * - signed-in: the user's local store (per server and user) is open and the
 *   syncer drains its queue;
 * - offline: the store stays open (writes keep working), the syncer waits;
 *   back online, it drains;
 * - signed-out (also a revocation): the syncer stops and the store is closed,
 *   NOT deleted — the same user signing in again on this computer finds the
 *   queue and it drains; another user opens another file.
 *
 * Every write lands in SQLite before the call answers, then the syncer is kicked.
 */

export interface AuthLike {
  readonly current: DesktopAuthState;
  onStateChanged(listener: (state: DesktopAuthState) => void): () => void;
  apiRequest(request: HttpRequest): Promise<IpcResult<unknown>>;
}

export interface TimeServiceOptions {
  /** The app's data folder; databases go in `<dataDir>/time/`. */
  dataDir: string;
  auth: AuthLike;
  log?: Logger;
  backoff?: Backoff;
  /** Delay that coalesces sync-changed pushes (a drain of 1,000 writes is not 1,000 pushes). */
  pushDelayMs?: number;
  now?: () => number;
}

const fail = (error: IpcError): { ok: false; error: IpcError } => ({ ok: false, error });

/** The controller's IpcResult back into the ApiError the syncer classifies. */
export function unwrapIpcResult(result: IpcResult<unknown>): unknown {
  if (result.ok) return result.value;
  const { status, code, message, reason, retryAfterSeconds } = result.error;
  throw new ApiError(status, code === 'invalid_server_url' ? 'invalid_request' : code, message, reason, retryAfterSeconds);
}

export class TimeService {
  private store: TimeStore | null = null;
  private syncer: TimeSyncer | null = null;
  private key: string | null = null;
  /** Why the store could not be opened (e.g. better-sqlite3 not built for this Electron), for the write errors. */
  private openError: string | null = null;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribeAuth: (() => void) | null = null;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private readonly log: Logger;

  constructor(private readonly options: TimeServiceOptions) {
    this.log = options.log ?? silentLogger;
  }

  /** Follows the auth state from now on (and applies the current one). */
  attach(): void {
    if (this.unsubscribeAuth) return;
    this.unsubscribeAuth = this.options.auth.onStateChanged((state) => this.follow(state));
    this.follow(this.options.auth.current);
  }

  /** The open store (tests, the benchmark). */
  get currentStore(): TimeStore | null {
    return this.store;
  }

  get currentSyncer(): TimeSyncer | null {
    return this.syncer;
  }

  private follow(state: DesktopAuthState): void {
    switch (state.status) {
      case 'signed-in':
        this.open(state.serverUrl, state.user.id);
        this.syncer?.start();
        break;
      case 'offline':
        // Offline at launch knows the last user from settings: their writes stay possible.
        if (state.user.id) this.open(state.serverUrl, state.user.id);
        void this.syncer?.pause();
        break;
      default:
        this.close();
    }
    this.schedulePush();
  }

  private open(origin: string, userId: string): void {
    const key = `${origin}|${userId}`;
    if (this.key === key && this.store?.isOpen) return;
    this.close();
    this.openError = null;
    try {
      const store = new TimeStore({ dataDir: this.options.dataDir, origin, userId, now: this.options.now });
      const syncer = new TimeSyncer({
        store,
        send: async (request) => unwrapIpcResult(await this.options.auth.apiRequest(request)),
        backoff: this.options.backoff,
        log: this.log,
        onOnlineChanged: () => this.schedulePush(),
      });
      store.onChange(() => this.schedulePush());
      this.store = store;
      this.syncer = syncer;
      this.key = key;
      this.log.log('info', 'local time queue opened', { pending: store.pendingCount(), refused: store.queue().length - store.pendingCount() });
    } catch (error) {
      this.openError = String(error);
      this.log.log('error', 'could not open the local time queue', { error: this.openError });
    }
  }

  private close(): void {
    this.openError = null;
    if (!this.store) return;
    void this.syncer?.pause();
    this.log.log('info', 'local time queue closed', { pending: this.store.pendingCount() });
    this.store.close();
    this.store = null;
    this.syncer = null;
    this.key = null;
  }

  private get online(): boolean {
    const status = this.options.auth.current.status;
    if (!this.syncer) return status !== 'offline';
    return status === 'signed-in' && this.syncer.online;
  }

  getSyncStatus(): SyncStatus {
    if (!this.store) return { queue: [], runningTimer: null, lastSyncedAt: null, online: this.online };
    return this.store.status(this.online);
  }

  onSyncChanged(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private schedulePush(): void {
    if (this.listeners.size === 0 || this.pushTimer) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      const status = this.getSyncStatus();
      for (const listener of [...this.listeners]) {
        try {
          listener(status);
        } catch (error) {
          this.log.log('error', 'sync listener failed', { error: String(error) });
        }
      }
    }, this.options.pushDelayMs ?? 50);
  }

  private notOpen(): { ok: false; error: IpcError } {
    if (this.openError) {
      return fail({ status: 500, code: 'internal_error', message: 'Time tracking could not open its database on this computer; see the app log.' });
    }
    return fail({ status: 401, code: 'unauthenticated', message: 'Sign in to track time.' });
  }

  private write<T>(what: string, run: (store: TimeStore) => T): IpcResult<T> {
    const store = this.store;
    if (!store) return this.notOpen();
    try {
      const value = run(store);
      this.syncer?.kick();
      return { ok: true, value };
    } catch (error) {
      if (error instanceof LocalWriteError) return fail({ status: error.status, code: error.code, message: error.message });
      this.log.log('error', 'local time write failed', { what, error: String(error) });
      return fail({ status: 500, code: 'internal_error', message: 'The entry could not be saved on this computer.' });
    }
  }

  timerStart(args: StartTimerRequest): IpcResult<TimeEntry> {
    return this.write('timer-start', (store) => store.timerStart(args));
  }

  timerStop(args: { id?: string }): IpcResult<TimeEntry> {
    return this.write('timer-stop', (store) => store.timerStop(args));
  }

  saveEntry(args: CreateEntryRequest): IpcResult<TimeEntry> {
    return this.write('save', (store) => store.saveEntry(args));
  }

  deleteEntry(args: { id: string }): IpcResult<null> {
    return this.write('delete', (store) => {
      store.deleteEntry(args.id);
      return null;
    });
  }

  discardQueuedWrite(args: { entryId: string }): IpcResult<null> {
    const store = this.store;
    if (!store) return this.notOpen();
    if (store.discardRefused(args.entryId) === 0) return fail({ status: 404, code: 'not_found', message: 'No refused write of that entry is queued.' });
    return { ok: true, value: null };
  }

  /** Drains now (tests, benchmark): resolves when the queue is empty, refused or the server unreachable. */
  async flush(): Promise<void> {
    if (this.options.auth.current.status === 'signed-in') await this.syncer?.flush();
  }

  /** App quit: stops syncing and closes the database (everything is already on disk). */
  dispose(): void {
    clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    this.unsubscribeAuth?.();
    this.unsubscribeAuth = null;
    this.close();
  }
}
