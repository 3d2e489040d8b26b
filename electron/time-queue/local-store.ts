import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { entryTimesProblem, type CreateEntryRequest, type StartTimerRequest, type TimeEntry } from '../../shared/api/time.js';
import type { SyncStatus } from '../../shared/ipc/contract.js';
import {
  LocalWriteError,
  SCHEMA,
  timeDbPath,
  toQueueRow,
  UNKNOWN_CURRENCY,
  type EntryRowDb,
  type QueueOperation,
  type QueuePayload,
  type QueueRow,
  type QueueRowDb,
} from './local-schema.js';

/**
 * The desktop's local copy of one user's time on one server, in SQLite
 * (better-sqlite3, WAL, synchronous=FULL): the entries this computer wrote or
 * knows (with the running timer) and the ordered queue of writes the server
 * does not have yet. Every write is one transaction that is on disk before the
 * call returns, so a crash, a quit, a sleep or an offline day loses nothing.
 *
 * One file per server origin and user: `<dataDir>/time/<sha256(origin|userId)>.sqlite`.
 * Another user of the same computer opens another file and never sees these.
 */

const iso = (ms: number) => new Date(ms).toISOString();

export interface TimeStoreOptions {
  dataDir: string;
  /** The server's origin, e.g. `https://tab.example.com`. */
  origin: string;
  userId: string;
  /** Injectable clock (tests). */
  now?: () => number;
}

export class TimeStore {
  readonly file: string;
  readonly origin: string;
  readonly userId: string;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();

  constructor(options: TimeStoreOptions) {
    if (!options.userId) throw new Error('a local time store needs a user id');
    this.origin = options.origin;
    this.userId = options.userId;
    this.now = options.now ?? Date.now;
    this.file = timeDbPath(options.dataDir, options.origin, options.userId);
    mkdirSync(join(options.dataDir, 'time'), { recursive: true, mode: 0o700 });
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed write also survives an OS crash or a power cut (a laptop that dies asleep).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const owner = this.meta('owner');
    const me = `${options.origin}|${options.userId}`;
    if (owner === null) this.setMeta('owner', me);
    else if (owner !== me) {
      this.db.close();
      throw new Error('this local time database belongs to another server or user');
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Called after every committed change (a write queued, synced, refused or discarded). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ------------------------------------------------------------ reads

  entry(id: string): TimeEntry | null {
    const row = this.db.prepare('SELECT entry FROM entries WHERE id = ?').get(id.toLowerCase()) as { entry: string } | undefined;
    return row ? (JSON.parse(row.entry) as TimeEntry) : null;
  }

  private entryRow(id: string): EntryRowDb | null {
    return (this.db.prepare('SELECT id, entry, running, on_server FROM entries WHERE id = ?').get(id) as EntryRowDb | undefined) ?? null;
  }

  runningTimer(): TimeEntry | null {
    const row = this.db.prepare('SELECT entry FROM entries WHERE running = 1').get() as { entry: string } | undefined;
    return row ? (JSON.parse(row.entry) as TimeEntry) : null;
  }

  /** The entry this computer wrote or saw last: what the tray's "Start timer" continues. */
  lastEntry(): TimeEntry | null {
    const row = this.db.prepare('SELECT entry FROM entries ORDER BY written_at DESC, rowid DESC LIMIT 1').get() as { entry: string } | undefined;
    return row ? (JSON.parse(row.entry) as TimeEntry) : null;
  }

  /** Client names as last read from the server (kept so the tray can name a client offline). */
  clientNames(): Record<string, string> {
    try {
      const parsed = JSON.parse(this.meta('client_names') ?? '{}') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  setClientNames(names: Record<string, string>): void {
    this.bookkeeping(() => this.setMeta('client_names', JSON.stringify(names)));
  }

  /** A server answer kept for offline use (matters, activities: issue #14), by its path; null when none is kept. */
  cachedRead(path: string): unknown {
    const text = this.meta(`read:${path}`);
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  setCachedRead(path: string, body: unknown): void {
    this.bookkeeping(() => this.setMeta(`read:${path}`, JSON.stringify(body)));
  }

  /** The whole queue, oldest first (refused writes included). */
  queue(): QueueRow[] {
    return (this.db.prepare('SELECT * FROM queue ORDER BY seq').all() as QueueRowDb[]).map(toQueueRow);
  }

  /** The oldest write the server has not refused: the next one to send. */
  nextPending(): QueueRow | null {
    const row = this.db.prepare('SELECT * FROM queue WHERE refused_code IS NULL ORDER BY seq LIMIT 1').get() as QueueRowDb | undefined;
    return row ? toQueueRow(row) : null;
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM queue WHERE refused_code IS NULL').get() as { n: number }).n;
  }

  isOnServer(id: string): boolean {
    return this.entryRow(id)?.on_server === 1;
  }

  lastSyncedAt(): string | null {
    return this.meta('last_synced_at');
  }

  status(online: boolean): SyncStatus {
    return {
      queue: this.queue().map((row) => ({
        entryId: row.entryId,
        operation: row.operation,
        entry: row.payload.entry,
        queuedAt: row.queuedAt,
        refused: row.refused,
      })),
      runningTimer: this.runningTimer(),
      lastSyncedAt: this.lastSyncedAt(),
      online,
    };
  }

  // ------------------------------------------------------------ local writes (one transaction each)

  private putEntry(entry: TimeEntry, onServer?: boolean): void {
    const running = entry.end === null ? 1 : 0;
    this.db
      .prepare(
        `INSERT INTO entries (id, entry, client_id, running, on_server, written_at) VALUES (@id, @entry, @clientId, @running, @onServer, @at)
         ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, client_id = excluded.client_id, running = excluded.running,
           on_server = CASE WHEN @keep THEN entries.on_server ELSE excluded.on_server END, written_at = excluded.written_at`,
      )
      .run({ id: entry.id, entry: JSON.stringify(entry), clientId: entry.clientId, running, onServer: onServer ? 1 : 0, keep: onServer === undefined ? 1 : 0, at: this.now() });
  }

  private enqueue(payload: QueuePayload, entryId: string, at: number): void {
    this.db
      .prepare('INSERT INTO queue (operation, entry_id, payload, queued_at) VALUES (?, ?, ?, ?)')
      .run(payload.operation, entryId, JSON.stringify(payload), iso(at));
  }

  /** A new write for an entry supersedes the writes the server refused for it (the person fixed or replaced them). */
  private dropRefused(entryId: string): void {
    this.db.prepare('DELETE FROM queue WHERE entry_id = ? AND refused_code IS NOT NULL').run(entryId);
  }

  /** The last rate and currency this computer saw for a client (the server prices the entry on sync). */
  private knownPrice(clientId: string): { hourlyRateCents: number; currency: string } {
    const rows = this.db.prepare('SELECT entry FROM entries WHERE client_id = ? ORDER BY written_at DESC LIMIT 20').all(clientId) as { entry: string }[];
    for (const row of rows) {
      const e = JSON.parse(row.entry) as TimeEntry;
      if (e.currency !== UNKNOWN_CURRENCY) return { hourlyRateCents: e.hourlyRateCents, currency: e.currency };
    }
    return { hourlyRateCents: 0, currency: UNKNOWN_CURRENCY };
  }

  /** The end a stop at `nowMs` gives an entry: strictly after its start. */
  private endFor(entry: TimeEntry, nowMs: number): string {
    return iso(Math.max(nowMs, Date.parse(entry.start) + 1));
  }

  private stopLocally(entry: TimeEntry, nowMs: number): TimeEntry {
    const stopped: TimeEntry = { ...entry, end: this.endFor(entry, nowMs), updatedAt: iso(nowMs) };
    this.putEntry(stopped);
    this.enqueue({ operation: 'timer-stop', request: { id: entry.id }, entry: stopped }, entry.id, nowMs);
    return stopped;
  }

  /**
   * Starts the timer now, or at `atMs` (the idle prompt restarts a discarded
   * stretch where the person came back), stopping a running one first, like
   * the server does. Idempotent on `id`.
   */
  timerStart(request: StartTimerRequest, atMs?: number): TimeEntry {
    const result = this.db.transaction((): TimeEntry => {
      const nowMs = atMs ?? this.now();
      const id = (request.id ?? randomUUID()).toLowerCase();
      const existing = this.entry(id);
      if (existing) return existing;
      const running = this.runningTimer();
      if (running) this.stopLocally(running, nowMs);
      const at = iso(nowMs);
      const entry: TimeEntry = {
        id,
        userId: this.userId,
        clientId: request.clientId.toLowerCase(),
        matterId: request.matterId?.toLowerCase() ?? null,
        activityId: request.activityId?.toLowerCase() ?? null,
        description: request.description,
        start: at,
        end: null,
        billable: request.billable,
        ...this.knownPrice(request.clientId.toLowerCase()),
        billedAt: null,
        createdAt: at,
        updatedAt: at,
      };
      this.putEntry(entry, false);
      this.enqueue(
        {
          operation: 'timer-start',
          request: { id, clientId: entry.clientId, matterId: entry.matterId, activityId: entry.activityId, description: entry.description, billable: entry.billable },
          entry,
        },
        id,
        nowMs,
      );
      return entry;
    })();
    this.changed();
    return result;
  }

  /**
   * Stops the running timer (or the entry `id`) now, or at `atMs` ("Stop at
   * 10:42" from the idle prompt). Stopping an entry that already ended answers it again.
   */
  timerStop(args: { id?: string } = {}, atMs?: number): TimeEntry {
    const result = this.db.transaction((): TimeEntry => {
      const nowMs = atMs ?? this.now();
      const target = args.id ? this.entry(args.id) : this.runningTimer();
      if (!target) throw new LocalWriteError(404, 'not_found', args.id ? 'That timer is not known on this computer.' : 'No timer is running.');
      if (target.end !== null) return target;
      return this.stopLocally(target, nowMs);
    })();
    this.changed();
    return result;
  }

  /**
   * The idle prompt's answer for the running entry `entryId`, in one
   * transaction: `stop` ends it at `awayFromMs` ("Stop at 10:42"); `discard`
   * ends it there too and starts the same work again (client, description,
   * billable; a new id) at `returnedAtMs`, so the idle stretch is in neither
   * entry. Answers the entry that runs afterwards (discard) or the stopped one.
   */
  answerIdle(entryId: string, action: 'stop' | 'discard', awayFromMs: number, returnedAtMs: number, newId: string = randomUUID()): TimeEntry {
    return this.db.transaction((): TimeEntry => {
      const running = this.runningTimer();
      if (!running || running.id !== entryId.toLowerCase()) throw new LocalWriteError(409, 'conflict', 'That timer is no longer running.');
      const stopped = this.timerStop({ id: running.id }, Math.max(awayFromMs, Date.parse(running.start) + 1));
      if (action === 'stop') return stopped;
      const work = { clientId: running.clientId, matterId: running.matterId ?? null, activityId: running.activityId ?? null, description: running.description, billable: running.billable };
      return this.timerStart({ id: newId, ...work }, Math.max(returnedAtMs, Date.parse(stopped.end!) + 1));
    })();
  }

  /** Creates or replaces an entry (client-generated id). A running entry (end null) needs no other timer running. */
  saveEntry(request: CreateEntryRequest): TimeEntry {
    const result = this.db.transaction((): TimeEntry => {
      const nowMs = this.now();
      const id = request.id.toLowerCase();
      const clientId = request.clientId.toLowerCase();
      // What the server would refuse, refused now (the same shared rule): never queued to be refused later.
      const problem = entryTimesProblem(Date.parse(request.start), request.end === null ? null : Date.parse(request.end));
      if (problem) throw new LocalWriteError(400, problem.code, problem.message);
      const existing = this.entry(id);
      if (request.end === null) {
        const running = this.runningTimer();
        if (running && running.id !== id) throw new LocalWriteError(409, 'conflict', 'You already have a running timer; stop it before starting another running entry.');
      }
      const sameClient = existing !== null && existing.clientId === clientId;
      const price = sameClient ? { hourlyRateCents: existing.hourlyRateCents, currency: existing.currency } : this.knownPrice(clientId);
      const at = iso(nowMs);
      const entry: TimeEntry = {
        id,
        userId: existing?.userId ?? this.userId,
        clientId,
        matterId: request.matterId?.toLowerCase() ?? null,
        activityId: request.activityId?.toLowerCase() ?? null,
        description: request.description,
        start: iso(Date.parse(request.start)),
        end: request.end === null ? null : iso(Date.parse(request.end)),
        billable: request.billable,
        hourlyRateCents: request.hourlyRateCents ?? price.hourlyRateCents,
        currency: price.currency,
        billedAt: existing?.billedAt ?? null,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      const normalized: CreateEntryRequest = { ...request, id, clientId };
      this.dropRefused(id);
      this.putEntry(entry, existing ? undefined : false);
      this.enqueue({ operation: 'save', request: normalized, entry }, id, nowMs);
      return entry;
    })();
    this.changed();
    return result;
  }

  deleteEntry(id: string): void {
    this.db.transaction(() => {
      const nowMs = this.now();
      const lower = id.toLowerCase();
      this.dropRefused(lower);
      this.db.prepare('DELETE FROM entries WHERE id = ?').run(lower);
      this.enqueue({ operation: 'delete', request: { id: lower }, entry: null }, lower, nowMs);
    })();
    this.changed();
  }

  /**
   * Drops the refused writes of an entry (the person decided so). An entry the
   * server never had and that has nothing else queued goes from this computer too.
   * Answers how many writes were dropped.
   */
  discardRefused(entryId: string): number {
    const dropped = this.db.transaction((): number => {
      const lower = entryId.toLowerCase();
      const { changes } = this.db.prepare('DELETE FROM queue WHERE entry_id = ? AND refused_code IS NOT NULL').run(lower);
      if (changes > 0) {
        const left = (this.db.prepare('SELECT count(*) AS n FROM queue WHERE entry_id = ?').get(lower) as { n: number }).n;
        if (left === 0) this.db.prepare('DELETE FROM entries WHERE id = ? AND on_server = 0').run(lower);
      }
      return changes;
    })();
    if (dropped > 0) this.changed();
    return dropped;
  }

  // ------------------------------------------------------------ the syncer's side

  /**
   * The syncer's bookkeeping commits without waiting for the disk
   * (synchronous=NORMAL: still safe from an app crash, and flushed with the
   * next person's write). Losing one to a power cut only means the write is
   * sent again, which the server's idempotency makes harmless.
   */
  private bookkeeping<T>(run: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction(run)();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /**
   * The server has this write: it leaves the queue. The server's copy of the
   * entry replaces the local one unless a later write for it is still queued.
   */
  completed(seq: number, serverEntry: TimeEntry | null, deletedOnServer = false): void {
    this.bookkeeping(() => {
      const row = this.db.prepare('SELECT entry_id, operation FROM queue WHERE seq = ?').get(seq) as { entry_id: string; operation: QueueOperation } | undefined;
      this.db.prepare('DELETE FROM queue WHERE seq = ?').run(seq);
      this.setMeta('last_synced_at', iso(this.now()));
      if (!row || row.operation === 'delete') return;
      const later = this.db.prepare('SELECT 1 FROM queue WHERE entry_id = ? LIMIT 1').get(row.entry_id);
      const local = this.entryRow(row.entry_id);
      if (!local) return; // deleted locally since (its delete is queued)
      if (deletedOnServer && !later) {
        this.db.prepare('DELETE FROM entries WHERE id = ?').run(row.entry_id);
        return;
      }
      if (serverEntry && !later) {
        // The server's running timer may differ from a local one only if it is this entry.
        if (serverEntry.end === null) this.db.prepare('UPDATE entries SET running = 0 WHERE running = 1 AND id <> ?').run(row.entry_id);
        this.putEntry(serverEntry, true);
      } else {
        this.db.prepare('UPDATE entries SET on_server = 1 WHERE id = ?').run(row.entry_id);
      }
    });
    this.changed();
  }

  /** The server refused this write for good (400, 404, 409…): kept and marked for the person. */
  refused(seq: number, code: string, message: string): void {
    this.bookkeeping(() => this.db.prepare('UPDATE queue SET refused_code = ?, refused_message = ?, attempts = attempts + 1 WHERE seq = ?').run(code, message.slice(0, 500), seq));
    this.changed();
  }

  /** A try that did not reach the server (or got a 5xx): stays queued as it was. */
  failedAttempt(seq: number, error: string): void {
    this.bookkeeping(() => this.db.prepare('UPDATE queue SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(error.slice(0, 500), seq));
  }

  /**
   * With nothing left to send, the server's running timer is the truth: adopt
   * one started elsewhere (the web), and forget a synced local one that was
   * stopped elsewhere. Never touches an entry with a queued write.
   */
  reconcileRunning(serverRunning: TimeEntry | null): void {
    let changed = false;
    this.bookkeeping(() => {
      if (this.pendingCount() > 0) return;
      const local = this.entryRow((this.runningTimer()?.id ?? '') as string);
      const queued = (id: string) => this.db.prepare('SELECT 1 FROM queue WHERE entry_id = ? LIMIT 1').get(id) !== undefined;
      if (local && local.on_server === 1 && !queued(local.id) && local.id !== serverRunning?.id) {
        this.db.prepare('DELETE FROM entries WHERE id = ?').run(local.id);
        changed = true;
      }
      if (serverRunning && !queued(serverRunning.id)) {
        const mine = this.runningTimer();
        if (!mine || mine.id === serverRunning.id) {
          if (JSON.stringify(mine) !== JSON.stringify(serverRunning)) {
            this.putEntry(serverRunning, true);
            changed = true;
          }
        }
      }
    });
    if (changed) this.changed();
  }
}
