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
  /** When the current cookie was issued (sign-in or the latest rotation). */
  cookieIssuedAt: number;
  /** Null from a rotation until the new cookie is first presented; then when that happened. */
  cookieUsedAt: number | null;
}

/** What a list of sessions shows. */
export interface SessionListing {
  id: string;
  clientKind: ClientKind;
  label: string;
  labelSource: LabelSource;
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
