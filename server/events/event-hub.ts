import type { Role } from '../../shared/api/auth.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';

export type TimeChangedEvent = Extract<ServerEvent, { type: 'time.changed' }>;

/** A stream that wants events for one session (and its user). */
export interface EventSubscriber {
  sessionId: string;
  userId: string;
  workspaceId: string;
  /** The role (kept current by accountChanged): managers and admins also hear their workspace's time changes. */
  role: Role;
  send(event: ServerEvent): void;
  /** Called after `session.revoked` was sent: the stream must end. */
  close(): void;
  /**
   * Reads the session again and ends the stream if it is over (a hub over a
   * shared bus calls it after missing messages: server/events/bus-event-hub.ts).
   */
  recheck?(): void;
}

/** At most this many open streams per session; a new one closes the oldest. */
export const MAX_STREAMS_PER_SESSION = 20;

/**
 * Fans session events out to the open event streams of this server. With
 * several servers on one PostgreSQL database, BusEventHub
 * (./bus-event-hub.ts) wraps it and carries every delivery to the other
 * servers over LISTEN/NOTIFY.
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
  /**
   * Ends several sessions of one user at once (a bulk sign-out): each one's
   * streams hear `session.revoked` with the reason and close, then the user's
   * other streams hear `sessions.changed` once. With `tellOthers` false the
   * notice is left to a following call for more of the user's sessions (the
   * bus sends a user's ids in parts when they exceed NOTIFY's limit, and the
   * notice must come after every part's streams have ended).
   */
  sessionsEnded(userId: string, sessionIds: readonly string[], reason: SessionEndReason, tellOthers?: boolean): void;
  /** Tells the user's other sessions that their list of sessions changed. */
  sessionsChanged(userId: string, exceptSessionIds?: ReadonlySet<string>): void;
  /** Sends an event to every open stream of the user's sessions but those named (`session.created`, `session.alert`). */
  sendToUser(userId: string, event: ServerEvent, exceptSessionIds?: ReadonlySet<string>): void;
  /**
   * An entry or timer of `event.userId` changed: tells every session of that
   * person and every manager's and admin's session of the workspace, once each.
   */
  timeChanged(workspaceId: string, event: TimeChangedEvent): void;
  /**
   * The user's account changed: their open streams now hear what their new role
   * hears (a demoted manager stops hearing the firm's time at once), and they are
   * told, so that their screens follow.
   */
  accountChanged(userId: string, role: Role): void;
  /** Number of open streams (for tests, health and the benchmark). */
  size(): number;
}

export class InProcessEventHub implements EventHub {
  private readonly bySession = new Map<string, Set<EventSubscriber>>();
  private readonly byUser = new Map<string, Set<EventSubscriber>>();
  /** Managers' and admins' streams, by workspace: who oversees its time. */
  private readonly overseers = new Map<string, Set<EventSubscriber>>();
  /** Each subscribed stream's unsubscribe, so that a stream the hub ends leaves at once. */
  private readonly leave = new Map<EventSubscriber, () => void>();
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
    const oversees = subscriber.role === 'admin' || subscriber.role === 'manager';
    add(this.bySession, subscriber.sessionId, subscriber);
    add(this.byUser, subscriber.userId, subscriber);
    if (oversees) add(this.overseers, subscriber.workspaceId, subscriber);
    this.count++;
    let active = true;
    const unsubscribe = () => {
      if (!active) return;
      active = false;
      this.leave.delete(subscriber);
      remove(this.bySession, subscriber.sessionId, subscriber);
      remove(this.byUser, subscriber.userId, subscriber);
      // Unconditionally: the role may have changed since (accountChanged).
      remove(this.overseers, subscriber.workspaceId, subscriber);
      this.count--;
    };
    this.leave.set(subscriber, unsubscribe);
    return unsubscribe;
  }

  sessionEnded(sessionId: string, event: Extract<ServerEvent, { type: 'session.revoked' }>): void {
    const subscribers = this.bySession.get(sessionId);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) {
      subscriber.send(event);
      subscriber.close();
      // Ended: it hears nothing more from this hub, even before its own unsubscribe runs (a bulk sign-out's
      // notice to the user's other streams may come in a later call than this session's end).
      this.leave.get(subscriber)?.();
    }
  }

  sessionsEnded(userId: string, sessionIds: readonly string[], reason: SessionEndReason, tellOthers = true): void {
    for (const sessionId of sessionIds) this.sessionEnded(sessionId, { type: 'session.revoked', sessionId, reason });
    if (tellOthers) this.sessionsChanged(userId, new Set(sessionIds));
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

  timeChanged(workspaceId: string, event: TimeChangedEvent): void {
    const owner = this.byUser.get(event.userId);
    for (const subscriber of owner ?? []) subscriber.send(event);
    for (const subscriber of this.overseers.get(workspaceId) ?? []) {
      // An overseer who is also the owner has heard it already.
      if (subscriber.userId !== event.userId) subscriber.send(event);
    }
  }

  accountChanged(userId: string, role: Role): void {
    for (const subscriber of this.byUser.get(userId) ?? []) {
      const before = subscriber.role === 'admin' || subscriber.role === 'manager';
      const after = role === 'admin' || role === 'manager';
      subscriber.role = role;
      if (before && !after) remove(this.overseers, subscriber.workspaceId, subscriber);
      if (!before && after) add(this.overseers, subscriber.workspaceId, subscriber);
      subscriber.send({ type: 'account.changed', userId });
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
