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

/** Newest first. ISO-8601 UTC strings order like the instants (and `<` is far cheaper than localeCompare). */
const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Current first, then the most recently seen first. */
export function sortForDisplay(sessions: Session[]): Session[] {
  return [...sessions].sort((a, b) => {
    if (a.isCurrent !== b.isCurrent) return a.isCurrent ? -1 : 1;
    return newestFirst(a.lastSeenAt, b.lastSeenAt) || newestFirst(a.createdAt, b.createdAt);
  });
}
