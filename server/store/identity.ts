import type { Role } from '../../shared/api/auth.js';
import type { RevokedSession } from '../sessions/session-records.js';
import type { AuditInput } from './audit.js';

/** Identity and members: workspaces, users, the members list, a user's preferences. */
export interface IdentityStore {
  createWorkspace(input: { name: string; now: number }): Promise<StoredWorkspace>;
  findWorkspaceByName(name: string): Promise<StoredWorkspace | undefined>;
  listWorkspaces(): Promise<StoredWorkspace[]>;

  createUser(input: NewUser): Promise<StoredUser>;
  findUserById(id: string): Promise<StoredUser | undefined>;
  /** By e-mail, ignoring case. */
  findUserByEmail(email: string): Promise<StoredUser | undefined>;
  listUsers(workspaceId?: string): Promise<StoredUser[]>;
  setPasswordHash(userId: string, passwordHash: string, audit?: AuditInput): Promise<void>;
  /** Disables the user and revokes all of their sessions and API tokens; answers the revoked sessions. */
  disableUser(userId: string, at: number, by: string | null, audit: AuditInput): Promise<RevokedSession[]>;
  enableUser(userId: string, audit: AuditInput): Promise<void>;

  listMembers(workspaceId: string, now: number): Promise<StoredMember[]>;

  setUserTimeZone(userId: string, timeZone: string): Promise<void>;
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
  /** Set while the member has not used their invitation (they cannot sign in until they do). */
  invitedAt: number | null;
}

/** A user as authentication reads them: everything but the password hash (and the invitation, since an invited member has no session). */
export type AccountUser = Omit<StoredUser, 'passwordHash' | 'invitedAt'>;

export interface StoredMember {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
  activeSessions: number;
  lastSeenAt: number | null;
  invitedAt: number | null;
  /** The open invitation's expiry, for an invited member. */
  invitationExpiresAt: number | null;
}
