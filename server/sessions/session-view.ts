import type { Session } from '../../shared/api/sessions.js';
import type { SessionListing } from './session-records.js';

type SessionFields = Omit<Session, 'isCurrent'>;

/**
 * Views of frozen rows, kept with the row. Frozen rows are account snapshots
 * (server/store/account-snapshots.ts), reused by every request until the
 * account changes; formatting their instants is most of a list's CPU time.
 */
const fieldsOfFrozenRow = new WeakMap<SessionListing, SessionFields>();

function fieldsOf(session: SessionListing): SessionFields {
  const kept = fieldsOfFrozenRow.get(session);
  if (kept) return kept;
  const fields: SessionFields = {
    id: session.id,
    clientKind: session.clientKind,
    label: session.label,
    labelSource: session.labelSource,
    browser: session.browser,
    os: session.os,
    ip: session.ip,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
  };
  if (Object.isFrozen(session)) fieldsOfFrozenRow.set(session, fields);
  return fields;
}

/** The API's view of a stored session: no cookie hash, no user agent, ISO times. */
export function toSessionView(session: SessionListing, currentSessionId: string | null): Session {
  const f = fieldsOf(session);
  return {
    id: f.id,
    clientKind: f.clientKind,
    label: f.label,
    labelSource: f.labelSource,
    browser: f.browser,
    os: f.os,
    ip: f.ip,
    createdAt: f.createdAt,
    lastSeenAt: f.lastSeenAt,
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
