import type { SessionEndReason } from '../errors.js';
import type { ClientKind } from './sessions.js';

/** Where a session is, from an offline IP-to-city lookup; null for private, loopback and unknown addresses. */
export interface SessionLocation {
  city: string | null;
  region: string | null;
  country: string | null;
  countryCode: string | null;
}

/** What a "new sign-in" or "unusual change" alert shows of a session: never a secret. */
export interface SessionSummary {
  id: string;
  label: string;
  clientKind: ClientKind;
  location: SessionLocation | null;
  createdAt: string;
}

/** Kinds of change to an entry or timer, pushed as `time.changed`. */
export type TimeChangeKind = 'created' | 'updated' | 'deleted' | 'timer_started' | 'timer_stopped' | 'billed' | 'unbilled' | 'submitted' | 'approved' | 'reopened' | 'changed_after_approval';

/**
 * Server-Sent Events on `GET /api/v1/events`. The SSE `event:` field is the `type`.
 * Every payload carries ids, reasons and display text only (they may cross a
 * PostgreSQL NOTIFY, whose payload limit is 8,000 bytes).
 */
export type ServerEvent =
  | { type: 'session.revoked'; sessionId: string; reason: SessionEndReason }
  | { type: 'sessions.changed'; userId: string }
  /** Another of the user's sessions was just created (the "new sign-in" alert). */
  | { type: 'session.created'; session: SessionSummary }
  /** One of the user's sessions changed country or browser/OS (workspace policy `notify`). */
  | { type: 'session.alert'; kind: 'ip_changed' | 'ua_changed'; session: SessionSummary; from: string | null; to: string | null }
  /** The user's own account changed (role, name, preferences, passkeys added or removed): clients reread /me and what they show of it (the Profile's passkeys). */
  | { type: 'account.changed'; userId: string }
  /** An entry or timer of `userId` changed; clients refetch what they show. */
  | { type: 'time.changed'; entryId: string | null; userId: string; change: TimeChangeKind }
  /** The server closed this stream on purpose; clients must not reconnect in a loop. */
  | { type: 'stream.closed'; reason: 'too_many_streams' | 'server_shutdown' };

export const EVENTS_PATH = '/api/v1/events';
export const HEARTBEAT_MS = 25_000;
