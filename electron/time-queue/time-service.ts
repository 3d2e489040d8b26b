import { ApiError, type HttpRequest } from '../../shared/api/client.js';
import { OFFLINE_READS, offlineRead, rememberRead } from './offline-reads.js';
import type { ClientList, CreateEntryRequest, StartTimerRequest, TimeEntry } from '../../shared/api/time.js';
import type { DesktopAuthState, SyncStatus } from '../../shared/ipc/contract.js';
import type { Backoff } from '../event-stream.js';
import { silentLogger, type Logger } from '../logger.js';
import { LocalWriteError } from './local-schema.js';
import { TimeStore } from './local-store.js';
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
 * Every write lands in SQLite before the call answers, then the syncer is
 * kicked. Methods throw ApiError (the IPC dispatcher answers it as an IpcError).
 */

export interface AuthLike {
  readonly current: DesktopAuthState;
  onStateChanged(listener: (state: DesktopAuthState) => void): () => void;
  /** One API call with the session's credentials; throws ApiError (401 signs out, unreachable goes offline). */
  send(request: HttpRequest): Promise<unknown>;
}

export interface TimeServiceOptions {
  /** Where the databases go: `<dataDir>/time/` (on Windows the local, not roaming, profile). */
  dataDir: string;
  auth: AuthLike;
  log?: Logger;
  backoff?: Backoff;
  /** Delay that coalesces sync-changed pushes (a drain of 1,000 writes is not 1,000 pushes). */
  pushDelayMs?: number;
  now?: () => number;
}

/** How often client names are read again from the server (for the tray's "Start timer: <client>"). */
const CLIENT_NAMES_MAX_AGE_MS = 10 * 60_000;

const notOpenError = () => new ApiError(401, 'unauthenticated', 'Sign in to track time.');

export class TimeService {
  private store: TimeStore | null = null;
  private syncer: TimeSyncer | null = null;
  private key: string | null = null;
  /** Why the store could not be opened (e.g. better-sqlite3 not built for this Electron), for the write errors. */
  private openError: string | null = null;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribeAuth: (() => void) | null = null;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private clientNamesReadAt = Number.NEGATIVE_INFINITY;
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
        void this.refreshClientNames();
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
        send: (request) => this.options.auth.send(request),
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
    this.clientNamesReadAt = Number.NEGATIVE_INFINITY;
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

  private requireStore(): TimeStore {
    if (this.store) return this.store;
    if (this.openError) throw new ApiError(500, 'internal_error', 'Time tracking could not open its database on this computer; see the app log.');
    throw notOpenError();
  }

  private write<T>(what: string, run: (store: TimeStore) => T): T {
    const store = this.requireStore();
    try {
      const value = run(store);
      this.syncer?.kick();
      return value;
    } catch (error) {
      if (error instanceof LocalWriteError) throw new ApiError(error.status, error.code, error.message);
      this.log.log('error', 'local time write failed', { what, error: String(error) });
      throw new ApiError(500, 'internal_error', 'The entry could not be saved on this computer.');
    }
  }

  timerStart(args: StartTimerRequest): TimeEntry {
    return this.write('timer-start', (store) => store.timerStart(args));
  }

  timerStop(args: { id?: string }): TimeEntry {
    return this.write('timer-stop', (store) => store.timerStop(args));
  }

  saveEntry(args: CreateEntryRequest): TimeEntry {
    return this.write('save', (store) => store.saveEntry(args));
  }

  deleteEntry(args: { id: string }): null {
    return this.write('delete', (store) => {
      store.deleteEntry(args.id);
      return null;
    });
  }

  /** The idle prompt's "Stop at" / "Discard the idle time" (see TimeStore.answerIdle). */
  answerIdle(entryId: string, action: 'stop' | 'discard', awayFromMs: number, returnedAtMs: number): TimeEntry {
    return this.write(`idle-${action}`, (store) => store.answerIdle(entryId, action, awayFromMs, returnedAtMs));
  }

  discardQueuedWrite(args: { entryId: string }): null {
    const store = this.requireStore();
    if (store.discardRefused(args.entryId) === 0) throw new ApiError(404, 'not_found', 'No refused write of that entry is queued.');
    return null;
  }

  /** The running timer as this computer knows it (null when signed out). */
  runningTimer(): TimeEntry | null {
    return this.store?.isOpen ? this.store.runningTimer() : null;
  }

  /** The entry written or seen last, with its client's name when known: what "Start timer" continues. */
  lastEntry(): { entry: TimeEntry; clientName: string | null } | null {
    if (!this.store?.isOpen) return null;
    const entry = this.store.lastEntry();
    return entry ? { entry, clientName: this.store.clientNames()[entry.clientId] ?? null } : null;
  }

  clientName(clientId: string): string | null {
    return this.store?.isOpen ? (this.store.clientNames()[clientId] ?? null) : null;
  }

  /** Keeps a server answer that the app must still have offline (matters, activities), when it is one of those. */
  rememberRead(request: { method: string; path: string }, body: unknown): void {
    if (this.store) rememberRead(this.store, request, body);
  }

  /** The kept answer of an offline read when the server cannot be reached; undefined otherwise (the error stands). */
  offlineRead(request: { method: string; path: string }, error: unknown): unknown {
    return this.store ? offlineRead(this.store, request, error) : undefined;
  }

  /** Reads the client names again when they are older than 10 minutes (or `force`); failures only wait for the next try. */
  async refreshClientNames(force = false): Promise<void> {
    const store = this.store;
    if (!store || this.options.auth.current.status !== 'signed-in') return;
    const now = (this.options.now ?? Date.now)();
    if (!force && now - this.clientNamesReadAt < CLIENT_NAMES_MAX_AGE_MS) return;
    this.clientNamesReadAt = now;
    try {
      const list = (await this.options.auth.send({ method: 'GET', path: '/api/v1/clients' })) as ClientList;
      if (store !== this.store || !store.isOpen) return;
      store.setClientNames(Object.fromEntries(list.clients.map((c) => [c.id, c.name])));
      // The matters and activities the timer and the grid offer, kept so that entries can be made offline.
      for (const path of OFFLINE_READS) this.rememberRead({ method: 'GET', path }, await this.options.auth.send({ method: 'GET', path }));
      this.schedulePush();
    } catch (error) {
      this.log.log('info', 'client names not refreshed', { status: error instanceof ApiError ? error.status : 0 });
    }
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
