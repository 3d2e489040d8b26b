import pg from 'pg';
import { BUS_MESSAGE_MAX_BYTES } from '../../events/bus-event-hub.js';

/** The one channel TAB's servers talk on. */
const CHANNEL = 'tab_events';
/** NOTIFY's payload limit is 8,000 bytes; a little under it (the hub splits what it sends to fit). */
export const NOTIFY_MAX_BYTES = BUS_MESSAGE_MAX_BYTES;
/** Reconnection waits: doubling from the first to the last, with jitter. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

export interface BusEvents {
  /** A message another server (or this one) published. */
  message(payload: string): void;
  /** The listening connection was lost and is back: messages sent meanwhile were missed. */
  reconnected(): void;
  /** Something went wrong that the bus works around (a lost connection, a failed publish): for the log. */
  problem(message: string, error: unknown): void;
}

/**
 * Messages between the servers sharing one PostgreSQL database, over
 * LISTEN/NOTIFY: one dedicated connection per server listens (a pooled
 * connection would be handed to other work), another publishes. A lost
 * connection (a restart, `pg_terminate_backend`, a failover) is reopened with
 * backoff; after the listener is back, `reconnected` fires, since NOTIFYs sent
 * while it was away are not replayed.
 *
 * `publish` writes the NOTIFY to the socket at once when the publishing
 * connection is idle, before the caller goes on (e.g. answers the request
 * that caused it): a server killed right after answering has still sent it.
 */
export class NotifyBus {
  readonly #url: string;
  readonly #on: BusEvents;
  #listener: pg.Client | null = null;
  #publisher: pg.Client | null = null;
  #closed = false;
  readonly #retryTimers = new Set<NodeJS.Timeout>();

  private constructor(url: string, on: BusEvents) {
    this.#url = url;
    this.#on = on;
  }

  /** Both connections open (throws, naming no password, when the database cannot be reached). */
  static async open(url: string, on: BusEvents): Promise<NotifyBus> {
    const bus = new NotifyBus(url, on);
    try {
      await Promise.all([bus.#connectListener(), bus.#connectPublisher()]);
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  /** Sends `payload` (at most NOTIFY_MAX_BYTES of UTF-8) to every server's listener, this one's included. */
  publish(payload: string): void {
    if (Buffer.byteLength(payload) > NOTIFY_MAX_BYTES) throw new Error(`A bus message of ${Buffer.byteLength(payload)} bytes is over NOTIFY's limit.`);
    const publisher = this.#publisher;
    if (!publisher) {
      this.#on.problem('event bus: not connected, a message was not sent to the other servers', null);
      return;
    }
    publisher.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((error: unknown) => this.#on.problem('event bus: publish failed', error));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    await Promise.all([this.#listener?.end().catch(() => {}), this.#publisher?.end().catch(() => {})]);
    this.#listener = this.#publisher = null;
  }

  async #connectListener(): Promise<void> {
    const client = await this.#connect('tab-event-listener', () => {
      if (this.#listener === client) this.#listener = null;
      this.#retry(async () => {
        await this.#connectListener();
        this.#on.reconnected();
      });
    });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload !== undefined) this.#on.message(message.payload);
    });
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
  }

  async #connectPublisher(): Promise<void> {
    const client = await this.#connect('tab-event-publisher', () => {
      if (this.#publisher === client) this.#publisher = null;
      this.#retry(() => this.#connectPublisher());
    });
    this.#publisher = client;
  }

  /** A connection that calls `lost` once when it ends for any reason but close(). */
  async #connect(name: string, lost: () => void): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.#url, application_name: `${name}:${process.pid}`, connectionTimeoutMillis: 5000 });
    let gone = false;
    const onLost = (error?: unknown) => {
      if (gone) return;
      gone = true;
      client.end().catch(() => {});
      if (this.#closed) return;
      this.#on.problem(`event bus: the ${name} connection was lost; reconnecting`, error ?? null);
      lost();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
    } catch (error) {
      gone = true;
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  }

  /** Retries `attempt` with backoff until it succeeds or the bus is closed. */
  #retry(attempt: () => Promise<void>, delay = RETRY_FIRST_MS): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      attempt().catch((error: unknown) => {
        this.#on.problem('event bus: reconnecting failed; trying again', error);
        this.#retry(attempt, Math.min(RETRY_MAX_MS, delay * 2));
      });
    }, delay * (0.5 + Math.random()));
    this.#retryTimers.add(timer);
  }
}
