import type { Clock as ClockPreference, DateFormat, Role } from '../../shared/api/auth.js';
import type { LinkKind } from '../../shared/api/members.js';
import type { RevokedSession } from '../sessions/session-records.js';
import type { AuditInput } from './audit.js';
import type { StoredUser } from './identity.js';

/**
 * Members as a firm manages them: invitations and password-reset links, roles,
 * deactivation, and each person's display preferences. Every step that needs
 * "at least one active admin" checks it inside its own transaction, serialized
 * per workspace, so two admins demoting each other at once cannot both win.
 */
export interface MemberStore {
  /** Adds an invited member (no usable password) and their invitation link, in one step. */
  inviteMember(input: NewInvitedMember, audit: AuditInput): Promise<{ outcome: 'invited'; user: StoredUser } | { outcome: 'email_taken' }>;
  /** Sets aside the member's open links of the link's kind and adds it; for an invitation, only while the member is still invited. */
  issueLink(link: NewMemberLink, audit: AuditInput): Promise<'issued' | 'not_invited'>;
  /** Removes a member who never used their invitation, and their links; false when there is none such (accepted meanwhile). */
  cancelInvitation(userId: string, at: number, audit: AuditInput): Promise<boolean>;
  /** A link and whose it is, by the hash of its secret. */
  findLinkByHash(tokenHash: Buffer): Promise<StoredMemberLink | undefined>;
  /**
   * Uses a link, in one step: it must still be open and unexpired at `now`;
   * sets the password, makes an invited member active, marks the link used
   * and sets the member's other open links aside. A password reset also
   * revokes every session (reason `password_reset`) and API token.
   */
  useLink(linkId: string, passwordHash: string, now: number, audit: AuditInput): Promise<UsedLink>;
  /** Changes a member's role; refuses to leave the workspace without an active admin. */
  changeRole(userId: string, role: Role, audit: AuditInput): Promise<'changed' | 'unchanged' | 'last_admin'>;
  /**
   * Deactivates a member: refuses sign-in, revokes every session (reason
   * `member_disabled`) and API token; refuses to deactivate the last active admin.
   */
  deactivateMember(userId: string, at: number, by: string, audit: AuditInput): Promise<{ outcome: 'deactivated'; revoked: RevokedSession[]; tokensRevoked: number } | { outcome: 'unchanged' | 'last_admin' }>;

  findUserPreferences(userId: string): Promise<UserPreferences | undefined>;
  /** Changes the given fields of a person's profile; with `audit` when another member would notice (the name). */
  updateProfile(userId: string, change: ProfileChange, audit?: AuditInput): Promise<void>;
}

export interface NewMemberLink {
  id: string;
  workspaceId: string;
  userId: string;
  kind: LinkKind;
  tokenHash: Buffer;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface NewInvitedMember {
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  /** A hash of a password nobody knows: an invited member cannot sign in until they set theirs. */
  passwordHash: string;
  now: number;
  link: Omit<NewMemberLink, 'userId' | 'workspaceId'>;
}

export interface StoredMemberLink extends Omit<NewMemberLink, 'tokenHash'> {
  usedAt: number | null;
  revokedAt: number | null;
  user: { name: string; email: string; invitedAt: number | null; disabledAt: number | null };
  workspaceName: string;
}

export type UsedLink =
  | { outcome: 'used'; user: StoredUser; revoked: RevokedSession[]; tokensRevoked: number }
  | { outcome: 'used_already' | 'expired' | 'revoked' | 'disabled' };

export interface UserPreferences {
  clock: ClockPreference;
  dateFormat: DateFormat;
}

export interface ProfileChange {
  name?: string;
  timeZone?: string;
  clock?: ClockPreference;
  dateFormat?: DateFormat;
}
