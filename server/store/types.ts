import type { AuditEventType, SessionPolicy } from '../../shared/api/admin.js';
import type { Role } from '../../shared/api/auth.js';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { RevokeReason, SessionEndReason } from '../../shared/errors.js';

/**
 * Everything the server keeps, behind one interface. Routes and services only
 * see this; `SqliteStore` is today's implementation, and a PostgreSQL store can
 * be added beside it. Methods are async for that reason, and each one is a
 * single atomic step: a change and its audit row commit together or not at all.
 */
export interface TabStore {
  createWorkspace(input: { name: string; now: number }): Promise<StoredWorkspace>;
  findWorkspaceByName(name: string): Promise<StoredWorkspace | undefined>;
  listWorkspaces(): Promise<StoredWorkspace[]>;

  createUser(input: NewUser): Promise<StoredUser>;
  findUserById(id: string): Promise<StoredUser | undefined>;
  findUserByEmail(email: string): Promise<StoredUser | undefined>;
  listUsers(workspaceId?: string): Promise<StoredUser[]>;
  setPasswordHash(userId: string, passwordHash: string, audit?: AuditInput): Promise<void>;
  /** Disables the user and revokes all of their sessions; answers the revoked sessions. */
  disableUser(userId: string, at: number, by: string | null, audit: AuditInput): Promise<RevokedSession[]>;
  enableUser(userId: string, audit: AuditInput): Promise<void>;

  /** Failed sign-ins for an email since `since`: how many, and when the oldest happened. */
  loginFailuresSince(email: string, since: number): Promise<{ count: number; oldestAt: number | null }>;
  recordLoginFailure(email: string, at: number, audit: AuditInput): Promise<void>;
  clearLoginFailures(email: string): Promise<void>;

  /**
   * Inserts a session. With `maxConcurrent`, first revokes the user's oldest
   * active sessions (reason `session_limit`) so that, with the new one, no more
   * than `maxConcurrent` are active: in the same transaction, so concurrent
   * sign-ins can never leave more than the limit.
   */
  createSession(input: NewSession, maxConcurrent: number | null, audit: AuditInput): Promise<{ session: StoredSession; evicted: RevokedSession[] }>;
  findSessionById(id: string): Promise<StoredSession | undefined>;
  /**
   * The session and its user: what authenticating a request needs, as
   * committed now. By id, `userId` is the user the caller claims (a JWT's
   * `sub`); a session of another user is still answered, for the caller to
   * refuse. `now` only decides which sessions an account read keeps.
   */
  findSessionWithUser(by: { id: string; userId: string } | { cookieHash: Buffer }, now: number): Promise<SessionWithUser | undefined>;
  /** Moves last_seen_at forward; the caller decides how often. */
  touchSession(id: string, now: number): Promise<void>;
  /**
   * The user's sessions that are neither revoked nor expired at `now`. With
   * `asOf`, an account version this request already read (findSessionWithUser),
   * the store may answer from that read rather than read the account again:
   * the request then sees one consistent state of the account.
   */
  listActiveSessions(userId: string, now: number, asOf?: AccountVersion | null): Promise<SessionListing[]>;
  /** Revokes one session if it is still live; false when there was nothing to revoke. */
  revokeSession(id: string, revocation: Revocation, audit: AuditInput): Promise<boolean>;
  /** Revokes the user's live sessions (except one); answers those revoked now. */
  revokeUserSessions(userId: string, exceptSessionId: string | null, revocation: Revocation, now: number, audit: AuditInput): Promise<RevokedSession[]>;
  /** Revokes every live session in the workspace (except one); answers those revoked now. */
  revokeWorkspaceSessions(workspaceId: string, exceptSessionId: string | null, revocation: Revocation, now: number, audit: AuditInput): Promise<RevokedSession[]>;
  /** Records, once, that an expired session was noticed; true the first time. */
  markExpiryNoticed(id: string, at: number, audit: AuditInput): Promise<boolean>;

  getSessionPolicy(workspaceId: string): Promise<SessionPolicy>;
  setSessionPolicy(workspaceId: string, policy: SessionPolicy, audit: AuditInput): Promise<void>;

  listMembers(workspaceId: string, now: number): Promise<StoredMember[]>;

  createApiToken(input: NewApiToken, audit: AuditInput): Promise<StoredApiToken>;
  findApiTokenByHash(hash: Buffer): Promise<StoredApiToken | undefined>;
  listApiTokens(userId: string, now: number): Promise<StoredApiToken[]>;
  revokeApiToken(id: string, userId: string, at: number, audit: AuditInput): Promise<boolean>;
  touchApiToken(id: string, now: number): Promise<void>;

  appendAudit(event: AuditInput): Promise<void>;
  listAudit(workspaceId: string, query: { userId?: string; type?: AuditEventType; before?: number; limit: number }): Promise<StoredAuditEvent[]>;

  // ------------------------------------------------------------ time and billing
  setUserTimeZone(userId: string, timeZone: string): Promise<void>;

  listClients(workspaceId: string): Promise<StoredClient[]>;
  findClient(id: string): Promise<StoredClient | undefined>;
  createClient(input: StoredClient): Promise<StoredClient>;
  /** Writes every field of the client as given (the caller merged the change). */
  updateClient(client: StoredClient): Promise<void>;
  /** Deletes a client that has no entries (not even deleted ones); archives it otherwise. */
  deleteOrArchiveClient(id: string, now: number): Promise<'deleted' | 'archived'>;

  /** An entry by id, deleted ones (tombstones) included. */
  findEntry(id: string): Promise<StoredEntry | undefined>;
  /** Live entries starting in [from, to), by start then id; at most `limit`. */
  listEntries(query: EntryListQuery): Promise<StoredEntry[]>;
  /** Inserts unless the id exists; refuses a second running entry for the user. */
  insertEntry(entry: StoredEntry): Promise<'inserted' | 'exists' | 'running_conflict' | 'client_missing'>;
  /** Replaces a live entry's fields if its version is still `version` (then version + 1). */
  updateEntry(entry: StoredEntry, version: number): Promise<'updated' | 'stale' | 'running_conflict' | 'client_missing'>;
  /** Marks a live entry deleted if its version is still `version`. */
  deleteEntry(id: string, version: number, at: number): Promise<'deleted' | 'stale'>;
  /** Ids of the user's live entries that overlap [start, end) (end null = open-ended), except `exceptId`. */
  overlappingEntries(userId: string, start: number, end: number | null, exceptId: string): Promise<string[]>;
  /**
   * In one transaction: stops the user's running entry (at `now`, or 1 ms after
   * its start if that is later) and inserts `entry` as the new running one.
   * Answers 'exists' (and changes nothing) when the id is taken.
   */
  startTimer(entry: StoredEntry, now: number): Promise<{ outcome: 'started' | 'exists' | 'client_missing'; stopped: StoredEntry | null }>;
  /** Stops the user's running entry (only `id`, if given); answers it, or undefined when none ran. */
  stopTimer(userId: string, id: string | null, now: number): Promise<StoredEntry | undefined>;
  runningEntries(workspaceId: string, userId: string | null): Promise<StoredEntry[]>;
  /** The user's live entries that overlap [from, to), running ones included: what the dashboard sums. */
  entrySpans(userId: string, from: number, to: number): Promise<{ start: number; end: number | null; billable: boolean }[]>;
  /** Finished, billable, unbilled amounts per currency (rounded per entry), for a workspace or one user. */
  unbilledTotals(workspaceId: string, userId: string | null): Promise<{ currency: string; amountCents: number }[]>;
  /** Finished live entries starting in [from, to), summed by client or user and currency. */
  summarize(workspaceId: string, from: number, to: number, groupBy: 'client' | 'user'): Promise<SummaryRow[]>;
  /** Finished live entries starting in [from, to) with their user and client, by start: the CSV export. */
  exportEntries(workspaceId: string, from: number, to: number): Promise<ExportRow[]>;
  /**
   * Marks finished entries billed, all or nothing: answers the ids that are not
   * live finished entries of the workspace (and then changes nothing).
   */
  markBilled(workspaceId: string, ids: string[], at: number): Promise<{ missing: string[]; running: string[]; billed: number; alreadyBilled: number }>;

  close(): Promise<void>;
}

export interface StoredWorkspace {
  id: string;
  name: string;
  createdAt: number;
}

export interface NewUser {
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  now: number;
}

export interface StoredUser {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabledAt: number | null;
  createdAt: number;
  /** IANA zone for "today" and "this week" (time and billing); 'UTC' by default. */
  timeZone: string;
}

export interface StoredMember {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
  activeSessions: number;
  lastSeenAt: number | null;
}

export interface NewSession {
  id: string;
  userId: string;
  workspaceId: string;
  cookieHash: Buffer;
  clientKind: ClientKind;
  label: string;
  browser: string | null;
  os: string | null;
  userAgent: string;
  ip: string;
  createdAt: number;
  expiresAt: number;
  idleTimeoutMs: number;
}

/**
 * What authenticating a request reads of a session: who it belongs to and its
 * clocks, none of the display fields. Every request reads this, so it is kept
 * small (each text column read costs a string allocation).
 */
export interface SessionState {
  id: string;
  userId: string;
  workspaceId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  idleTimeoutMs: number;
  revokedAt: number | null;
  revokeReason: RevokeReason | null;
  expiryNoticedAt: number | null;
}

/** What a list of sessions shows. */
export interface SessionListing {
  id: string;
  clientKind: ClientKind;
  label: string;
  browser: string | null;
  os: string | null;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
}

/** A whole session row, but the raw User-Agent (kept for investigations, never read back). */
export interface StoredSession extends SessionState, SessionListing {
  revokedBy: string | null;
}

/** A user as authentication reads them: everything but the password hash. */
export type AccountUser = Omit<StoredUser, 'passwordHash'>;

/** A user's account version: it moves with every committed change to the user or their sessions. */
export type AccountVersion = number;

export interface SessionWithUser {
  session: SessionState;
  user: AccountUser;
  /** The account version this answer was read at, when later reads in the same request can reuse it (see listActiveSessions); else null. */
  accountVersion: AccountVersion | null;
}

export interface RevokedSession {
  id: string;
  userId: string;
}

export interface Revocation {
  at: number;
  /** The user who revoked, or null for the system (e.g. the session limit). */
  by: string | null;
  reason: RevokeReason;
}

export interface NewApiToken {
  id: string;
  userId: string;
  workspaceId: string;
  name: string;
  tokenHash: Buffer;
  createdAt: number;
  expiresAt: number | null;
}

export interface StoredApiToken extends Omit<NewApiToken, 'tokenHash'> {
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AuditInput {
  workspaceId: string | null;
  type: AuditEventType;
  at: number;
  actorUserId?: string | null;
  targetUserId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface StoredAuditEvent extends Required<Omit<AuditInput, 'detail'>> {
  id: number;
  detail: Record<string, unknown>;
}

export type ExpiryReason = Extract<SessionEndReason, 'inactivity' | 'absolute'>;

/** Whether a session has run out on its own at `now`, and by which timeout. */
export function sessionExpiry(session: Pick<SessionState, 'expiresAt' | 'lastSeenAt' | 'idleTimeoutMs'>, now: number): ExpiryReason | null {
  if (now >= session.expiresAt) return 'absolute';
  if (now >= session.lastSeenAt + session.idleTimeoutMs) return 'inactivity';
  return null;
}

// ------------------------------------------------------------ time and billing

export interface StoredClient {
  id: string;
  workspaceId: string;
  name: string;
  hourlyRateCents: number;
  currency: string;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoredEntry {
  id: string;
  workspaceId: string;
  userId: string;
  clientId: string;
  description: string;
  start: number;
  end: number | null;
  billable: boolean;
  hourlyRateCents: number;
  currency: string;
  billedAt: number | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  version: number;
}

export interface EntryListQuery {
  workspaceId: string;
  userId?: string;
  clientId?: string;
  from: number;
  to: number;
  limit: number;
}

export interface SummaryRow {
  key: string;
  currency: string;
  entries: number;
  durationMs: number;
  billableMs: number;
  amountCents: number;
  unbilledCents: number;
}

export interface ExportRow {
  id: string;
  start: number;
  end: number;
  userEmail: string;
  userName: string;
  clientName: string;
  description: string;
  billable: boolean;
  hourlyRateCents: number;
  currency: string;
  billedAt: number | null;
}
