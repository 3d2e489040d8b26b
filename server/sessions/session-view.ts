import type { Session } from '../../shared/api/sessions.js';
import type { SessionListing } from '../store/types.js';

/** The API's view of a stored session: no cookie hash, no user agent, ISO times. */
export function toSessionView(session: SessionListing, currentSessionId: string | null): Session {
  return {
    id: session.id,
    clientKind: session.clientKind,
    label: session.label,
    browser: session.browser,
    os: session.os,
    ip: session.ip,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
    isCurrent: session.id === currentSessionId,
  };
}

/** Current first, then the most recently seen first. */
export function sortForDisplay(sessions: Session[]): Session[] {
  return [...sessions].sort((a, b) => {
    if (a.isCurrent !== b.isCurrent) return a.isCurrent ? -1 : 1;
    return b.lastSeenAt.localeCompare(a.lastSeenAt) || b.createdAt.localeCompare(a.createdAt);
  });
}
