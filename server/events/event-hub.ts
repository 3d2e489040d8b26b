import type { ServerEvent } from '../../shared/api/events.js';

/** A stream that wants events for one session (and its user). */
export interface EventSubscriber {
  sessionId: string;
  userId: string;
  send(event: ServerEvent): void;
  /** Called after `session.revoked` was sent: the stream must end. */
  close(): void;
}

/** At most this many open streams per session; a new one closes the oldest. */
export const MAX_STREAMS_PER_SESSION = 20;

/**
 * Fans session events out to the open event streams. In-process today; with
 * several server instances an implementation over a shared bus (e.g. Postgres
 * LISTEN/NOTIFY or Redis pub/sub) takes its place behind this interface.
 */
export interface EventHub {
  /**
   * Adds a stream. Past the per-session limit the session's oldest stream is
   * sent `stream.closed` (`too_many_streams`) and closed, so that a page
   * reopened in a loop, or a leaking client, cannot hold connections without
   * bound, and the closed client knows not to reconnect.
   */
  subscribe(subscriber: EventSubscriber): () => void;
  /** Tells the session's streams it is over, then closes them. */
  sessionEnded(sessionId: string, event: Extract<ServerEvent, { type: 'session.revoked' }>): void;
  /** Tells the user's other sessions that their list of sessions changed. */
  sessionsChanged(userId: string, exceptSessionIds?: ReadonlySet<string>): void;
  /** Sends an event to every open stream of the user's sessions but those named (`session.created`, `session.alert`). */
  sendToUser(userId: string, event: ServerEvent, exceptSessionIds?: ReadonlySet<string>): void;
  /** Number of open streams (for tests, health and the benchmark). */
  size(): number;
}

export class InProcessEventHub implements EventHub {
  private readonly bySession = new Map<string, Set<EventSubscriber>>();
  private readonly byUser = new Map<string, Set<EventSubscriber>>();
  private count = 0;

  constructor(private readonly maxStreamsPerSession = MAX_STREAMS_PER_SESSION) {}

  subscribe(subscriber: EventSubscriber): () => void {
    // A Set keeps insertion order: its first member is the session's oldest stream.
    const ofSession = this.bySession.get(subscriber.sessionId);
    if (ofSession && ofSession.size >= this.maxStreamsPerSession) {
      const oldest = ofSession.values().next().value!;
      oldest.send({ type: 'stream.closed', reason: 'too_many_streams' });
      oldest.close();
    }
    add(this.bySession, subscriber.sessionId, subscriber);
    add(this.byUser, subscriber.userId, subscriber);
    this.count++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      remove(this.bySession, subscriber.sessionId, subscriber);
      remove(this.byUser, subscriber.userId, subscriber);
      this.count--;
    };
  }

  sessionEnded(sessionId: string, event: Extract<ServerEvent, { type: 'session.revoked' }>): void {
    const subscribers = this.bySession.get(sessionId);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) {
      subscriber.send(event);
      subscriber.close();
    }
  }

  sessionsChanged(userId: string, exceptSessionIds?: ReadonlySet<string>): void {
    this.sendToUser(userId, { type: 'sessions.changed', userId }, exceptSessionIds);
  }

  sendToUser(userId: string, event: ServerEvent, exceptSessionIds?: ReadonlySet<string>): void {
    const subscribers = this.byUser.get(userId);
    if (!subscribers) return;
    for (const subscriber of subscribers) {
      if (exceptSessionIds?.has(subscriber.sessionId)) continue;
      subscriber.send(event);
    }
  }

  size(): number {
    return this.count;
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
