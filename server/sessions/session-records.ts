import type { SessionLocation } from '../../shared/api/events.js';
import type { ClientKind, LabelSource } from '../../shared/api/sessions.js';
import type { RevokeReason, SessionEndReason } from '../../shared/errors.js';
import type { AccountUser } from '../store/identity.js';

/**
 * The sessions domain's vocabulary: what a session is, how it ends, what
 * authentication reads of it. The store (server/store/sessions.ts) keeps and
 * answers these records; the rules about them live here and in the services
 * beside this file.
 */

export interface NewSession {
  id: string;
  userId: string;
  workspaceId: string;
  cookieHash: Buffer;
  clientKind: ClientKind;
  label: string;
  /** Where the label came from; the table's default (`user-agent`) when left out. */
  labelSource?: LabelSource;
  browser: string | null;
  os: string | null;
  userAgent: string;
  ip: string;
  createdAt: number;
  expiresAt: number;
  idleTimeoutMs: number;
  /** Where `ip` is; its country becomes the session's baseline. Unknown (null) when left out. */
  location?: SessionLocation | null;
  /** What a later User-Agent is compared with (null or left out: never compared; a desktop's browser family is always null). */
  browserFamily?: string | null;
  osFamily?: string | null;
}

/** What a session's later requests are compared with (issue #16): its country, browser family and OS. */
export interface SessionBaseline {
  baselineCountryCode: string | null;
  browserFamily: string | null;
  osFamily: string | null;
}

/** Where a session was last seen from. */
export interface SessionSighting {
  lastIp: string;
  location: SessionLocation | null;
}

/**
 * What authenticating a request reads of a session: who it belongs to, its
 * clocks, the address it was last seen from and its baseline (to notice a
 * move), none of the display fields. Every request reads this, so it is kept
 * small (each text column read costs a string allocation).
 */
export interface SessionState extends SessionBaseline {
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
  /** When the current cookie was issued (sign-in or the latest rotation). */
  cookieIssuedAt: number;
  /** Null from a rotation until the new cookie is first presented; then when that happened. */
  cookieUsedAt: number | null;
  /** Null only for a row written by something other than TAB (a script): treated as unknown. */
  lastIp: string | null;
}

/** What a list of sessions shows. The location is flat, as stored; the API's view makes it an object. */
export interface SessionListing {
  id: string;
  clientKind: ClientKind;
  label: string;
  labelSource: LabelSource;
  browser: string | null;
  os: string | null;
  ip: string;
  lastIp: string | null;
  locationCity: string | null;
  locationRegion: string | null;
  locationCountry: string | null;
  locationCountryCode: string | null;
  createdAt: number;
  lastSeenAt: number;
}

/** A whole session row, but the raw User-Agent (kept for investigations, never read back). */
export interface StoredSession extends SessionState, SessionListing {
  revokedBy: string | null;
}

/** A user's account version: it moves with every committed change to the user or their sessions. */
export type AccountVersion = number;

export interface SessionWithUser {
  session: SessionState;
  user: AccountUser;
  /** The account version this answer was read at, when later reads in the same request can reuse it (see listActiveSessions); else null. */
  accountVersion: AccountVersion | null;
  /** Found by a cookie: the session's current one, or the one the latest rotation replaced. */
  cookie?: 'current' | 'previous';
}

/** A session's cookie changes: the new one's hash, and the presented (now previous) one's. */
export interface CookieRotation {
  sessionId: string;
  /** The hash of the cookie presented, which must still be the current one (else nothing changes). */
  fromHash: Buffer;
  toHash: Buffer;
  at: number;
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

export type ExpiryReason = Extract<SessionEndReason, 'inactivity' | 'absolute'>;

/** Whether a session has run out on its own at `now`, and by which timeout. */
export function sessionExpiry(session: Pick<SessionState, 'expiresAt' | 'lastSeenAt' | 'idleTimeoutMs'>, now: number): ExpiryReason | null {
  if (now >= session.expiresAt) return 'absolute';
  if (now >= session.lastSeenAt + session.idleTimeoutMs) return 'inactivity';
  return null;
}
