import type { SessionEndReason } from '../errors.js';

/** Server-Sent Events on `GET /api/v1/events`. The SSE `event:` field is the `type`. */
export type ServerEvent =
  | { type: 'session.revoked'; sessionId: string; reason: SessionEndReason }
  | { type: 'sessions.changed'; userId: string };

export const EVENTS_PATH = '/api/v1/events';
export const HEARTBEAT_MS = 25_000;
