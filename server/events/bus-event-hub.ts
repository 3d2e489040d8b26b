import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/api/auth.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { InProcessEventHub, type EventHub, type EventSubscriber, type TimeChangedEvent } from './event-hub.js';

/**
 * The most a bus message may hold, in UTF-8 bytes: NOTIFY's payload limit
 * (8,000 bytes) less a margin (server/store/postgres/notify-bus.ts refuses more).
 */
export const BUS_MESSAGE_MAX_BYTES = 7900;

/** What carries messages between the servers (server/store/postgres/notify-bus.ts on PostgreSQL). */
export interface MessageBus {
  /** Sends to every server's hub, this one's included. */
  publish(payload: string): void;
  close(): Promise<void>;
}

/** The hub's deliveries: every method that sends to streams. Each crosses servers the same way. */
type DeliveryName = 'sessionEnded' | 'sessionsEnded' | 'sessionsChanged' | 'sendToUser' | 'timeChanged' | 'accountChanged';
type Delivery = { [K in DeliveryName]: { op: K; args: Parameters<EventHub[K]> } }[DeliveryName];
const DELIVERIES: readonly DeliveryName[] = ['sessionEnded', 'sessionsEnded', 'sessionsChanged', 'sendToUser', 'timeChanged', 'accountChanged'];

/**
 * The event hub of a server among several sharing one database: every
 * delivery is applied to this server's own streams at once (the revoking
 * request's own server tells its streams before it answers, as alone), and
 * published on the bus as `{from, op, args}`; the other servers apply it to
 * theirs. One path for every delivery and event type: a new event type sent
 * through `sendToUser` crosses servers with no code here. Payloads are the
 * events themselves, which carry ids, reasons and display text only
 * (shared/api/events.ts), far under NOTIFY's 8,000 bytes.
 *
 * Messages published while this server's listening connection was down are
 * lost to it; when it is back, every open stream re-checks its session
 * (`EventSubscriber.recheck`), so a revocation made meanwhile still ends it.
 */
export class BusEventHub implements EventHub {
  readonly #local: InProcessEventHub;
  readonly #from = randomUUID();
  readonly #streams = new Set<EventSubscriber>();
  #bus: MessageBus | null = null;

  constructor(local = new InProcessEventHub()) {
    this.#local = local;
  }

  /** Connects the hub to its bus (made after the hub, since the bus's callbacks come here). */
  attach(bus: MessageBus): void {
    this.#bus = bus;
  }

  /** A message from the bus: another server's delivery, applied to this server's streams. */
  received(payload: string): void {
    let message: ({ from: string } & Delivery) | null;
    try {
      message = JSON.parse(payload, revive) as ({ from: string } & Delivery) | null;
    } catch {
      return;
    }
    // Only deliveries from another server; anything else on the channel is not ours to act on.
    if (!message || message.from === this.#from || !DELIVERIES.includes(message.op) || !Array.isArray(message.args)) return;
    this.#apply(message);
  }

  /** The bus was away and is back: every open stream re-checks its session. */
  reconnected(): void {
    for (const stream of [...this.#streams]) stream.recheck?.();
  }

  subscribe(subscriber: EventSubscriber): () => void {
    const unsubscribe = this.#local.subscribe(subscriber);
    this.#streams.add(subscriber);
    return () => {
      this.#streams.delete(subscriber);
      unsubscribe();
    };
  }

  sessionEnded(sessionId: string, event: Extract<ServerEvent, { type: 'session.revoked' }>): void {
    this.#deliver({ op: 'sessionEnded', args: [sessionId, event] });
  }

  /**
   * One message per user — a workspace's revoke-all of 100,000 sessions of
   * 1,000 members is 1,000 NOTIFYs, not 100,000 — unless the user's ids exceed
   * a message (~190 ids): then in parts, each under the limit, the notice to
   * the user's other streams with the last (every part's streams have ended by
   * then, so none of them hears it).
   */
  sessionsEnded(userId: string, sessionIds: readonly string[], reason: SessionEndReason, tellOthers = true): void {
    this.#local.sessionsEnded(userId, sessionIds, reason, tellOthers);
    // Measured with `false`, the longer of the two flags a part may carry.
    const parts = partsUnder(sessionIds, (ids) => this.#message({ op: 'sessionsEnded', args: [userId, ids, reason, false] }));
    for (const [i, ids] of parts.entries()) {
      this.#publish({ op: 'sessionsEnded', args: [userId, ids, reason, tellOthers && i === parts.length - 1] });
    }
  }

  sessionsChanged(userId: string, exceptSessionIds?: ReadonlySet<string>): void {
    this.#deliver({ op: 'sessionsChanged', args: [userId, exceptSessionIds] });
  }

  sendToUser(userId: string, event: ServerEvent, exceptSessionIds?: ReadonlySet<string>): void {
    this.#deliver({ op: 'sendToUser', args: [userId, event, exceptSessionIds] });
  }

  timeChanged(workspaceId: string, event: TimeChangedEvent): void {
    this.#deliver({ op: 'timeChanged', args: [workspaceId, event] });
  }

  accountChanged(userId: string, role: Role): void {
    this.#deliver({ op: 'accountChanged', args: [userId, role] });
  }

  size(): number {
    return this.#local.size();
  }

  async close(): Promise<void> {
    await this.#bus?.close();
  }

  #deliver(delivery: Delivery): void {
    this.#apply(delivery);
    this.#publish(delivery);
  }

  #publish(delivery: Delivery): void {
    this.#bus?.publish(this.#message(delivery));
  }

  #message(delivery: Delivery): string {
    return JSON.stringify({ from: this.#from, ...delivery }, replace);
  }

  #apply(delivery: Delivery): void {
    (this.#local[delivery.op] as (...args: unknown[]) => void)(...delivery.args);
  }
}

/**
 * The hub of a server on the PostgreSQL database at `url`: its deliveries
 * cross to every other server on it over LISTEN/NOTIFY. `onProblem` hears
 * what the bus works around (a lost connection, a failed publish).
 */
export async function openBusEventHub(url: string, onProblem: (message: string, error: unknown) => void): Promise<BusEventHub> {
  // Loaded only here: a SQLite server does not load pg.
  const { NotifyBus } = await import('../store/postgres/notify-bus.js');
  const hub = new BusEventHub();
  hub.attach(await NotifyBus.open(url, { message: (payload) => hub.received(payload), reconnected: () => hub.reconnected(), problem: onProblem }));
  return hub;
}

/**
 * `ids` in consecutive parts whose message (`messageOf(part)`) stays under
 * BUS_MESSAGE_MAX_BYTES; one part when all fit. Each part is as long as fits,
 * counted from the empty message's bytes and what each id adds to it (ids are
 * JSON strings in an array).
 */
export function partsUnder(ids: readonly string[], messageOf: (ids: readonly string[]) => string): (readonly string[])[] {
  const base = Buffer.byteLength(messageOf([]));
  const parts: (readonly string[])[] = [];
  let start = 0;
  while (start < ids.length || parts.length === 0) {
    let end = start;
    let bytes = base;
    // An id adds its JSON and, after the first, a comma.
    const adds = (i: number) => Buffer.byteLength(JSON.stringify(ids[i])) + (i > start ? 1 : 0);
    while (end < ids.length && bytes + adds(end) <= BUS_MESSAGE_MAX_BYTES) bytes += adds(end++);
    // An id that alone exceeds a message would never fit: refuse it rather than loop (ids are UUIDs; this never happens).
    if (end === start && start < ids.length) throw new Error('A session id too long for a bus message.');
    parts.push(ids.slice(start, end));
    start = end;
  }
  return parts;
}

// JSON has no Set (the `exceptSessionIds` of a delivery): written as {"$set": [...]}.
function replace(_key: string, value: unknown): unknown {
  return value instanceof Set ? { $set: [...value] } : value;
}

function revive(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && Array.isArray((value as { $set?: unknown }).$set) ? new Set((value as { $set: unknown[] }).$set) : value;
}
