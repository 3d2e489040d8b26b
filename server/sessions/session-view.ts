import type { SessionLocation, SessionSummary } from '../../shared/api/events.js';
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
    lastIp: session.lastIp ?? session.ip,
    location: locationOf(session),
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
  };
  if (Object.isFrozen(session)) fieldsOfFrozenRow.set(session, fields);
  return fields;
}

/** The stored location columns as the API's object; null when nothing is known. */
export function locationOf(session: Pick<SessionListing, 'locationCity' | 'locationRegion' | 'locationCountry' | 'locationCountryCode'>): SessionLocation | null {
  const { locationCity: city, locationRegion: region, locationCountry: country, locationCountryCode: countryCode } = session;
  return city === null && region === null && country === null && countryCode === null ? null : { city, region, country, countryCode };
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
    lastIp: f.lastIp,
    location: f.location,
    createdAt: f.createdAt,
    lastSeenAt: f.lastSeenAt,
    isCurrent: session.id === currentSessionId,
  };
}

/** Newest first. ISO-8601 UTC strings order like the instants (and `<` is far cheaper than localeCompare). */
const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Current first, then the most recently seen first. */
const forDisplay = (a: Session, b: Session) => {
  if (a.isCurrent !== b.isCurrent) return a.isCurrent ? -1 : 1;
  return newestFirst(a.lastSeenAt, b.lastSeenAt) || newestFirst(a.createdAt, b.createdAt);
};

/** Current first, then the most recently seen first. */
export function sortForDisplay(sessions: Session[]): Session[] {
  return [...sessions].sort(forDisplay);
}

/**
 * The JSON text of a frozen row's fields, less its closing brace. A list read
 * from a kept snapshot is then a join of kept strings: serializing the rows
 * (with their locations) was most of what a list cost once the instants were
 * formatted once.
 */
const jsonOfFrozenRow = new WeakMap<SessionListing, string>();

function rowJson(session: SessionListing): string {
  const kept = jsonOfFrozenRow.get(session);
  if (kept !== undefined) return kept;
  const json = JSON.stringify(fieldsOf(session)).slice(0, -1);
  if (Object.isFrozen(session)) jsonOfFrozenRow.set(session, json);
  return json;
}

/**
 * A list of sessions as the API answers it (`{"sessions":[…]}`, the SessionList
 * schema), current first then the most recently seen, already serialized
 * (server/http/json-text.ts sends it).
 */
export function sessionListJson(sessions: SessionListing[], currentSessionId: string | null): string {
  const entries = sessions.map((row) => ({ row, view: toSessionView(row, currentSessionId) }));
  entries.sort((a, b) => forDisplay(a.view, b.view));
  return `{"sessions":[${entries.map(({ row, view }) => `${rowJson(row)},"isCurrent":${view.isCurrent}}`).join(',')}]}`;
}

/** What a "new sign-in" or "unusual change" alert shows of a session: never a secret. */
export function summaryOf(session: Pick<SessionListing, 'id' | 'label' | 'clientKind' | 'createdAt'>, location: SessionLocation | null): SessionSummary {
  return { id: session.id, label: session.label, clientKind: session.clientKind, location, createdAt: new Date(session.createdAt).toISOString() };
}
