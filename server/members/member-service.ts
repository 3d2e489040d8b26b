import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/api/auth.js';
import type { Member } from '../../shared/api/admin.js';
import {
  INVITATION_VALID_DAYS,
  LINK_PATH,
  PASSWORD_RESET_VALID_HOURS,
  type InviteMemberRequest,
  type IssuedLink,
  type LinkKind,
  type LinkView,
} from '../../shared/api/members.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import { DAY_MS, HOUR_MS, type Clock } from '../platform/clock.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { LoginInput, LoginOutcome, SessionService } from '../sessions/session-service.js';
import type { AuditInput, StoredMember, StoredUser, TabStore } from '../store/types.js';
import type { LinkSender } from './link-sender.js';

/** Where a request came from: for audit rows, and the address the link's URL starts with. */
export interface RequestOrigin {
  ip: string;
  sessionId: string | null;
  /** `https://tab.firm.example` as the caller reached the server. */
  origin: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toMemberView(m: StoredMember): Member {
  const status = m.disabled ? 'disabled' : m.invitedAt !== null ? 'invited' : 'active';
  return { ...m, status, lastSeenAt: iso(m.lastSeenAt), invitedAt: iso(m.invitedAt), invitationExpiresAt: iso(m.invitationExpiresAt) };
}

const LINK_VALID_MS: Record<LinkKind, number> = { invitation: INVITATION_VALID_DAYS * DAY_MS, password_reset: PASSWORD_RESET_VALID_HOURS * HOUR_MS };

/**
 * A firm's members, as admins manage them (managers read): invitations,
 * password-reset links, roles, deactivation. Every change is one store step
 * with its audit row; "at least one active admin" is checked inside that step.
 * Links are 256-bit secrets kept only as SHA-256, shown once, used once.
 */
export class MemberService {
  constructor(
    private readonly deps: { store: TabStore; clock: Clock; hub: EventHub; sessions: SessionService; passwords: PasswordHasher; sender: LinkSender },
  ) {}

  async list(auth: AuthContext): Promise<Member[]> {
    requireRole(auth, 'admin', 'manager');
    return (await this.deps.store.listMembers(auth.user.workspaceId, this.deps.clock.now())).map(toMemberView);
  }

  async invite(auth: AuthContext, body: InviteMemberRequest, from: RequestOrigin): Promise<{ member: Member; link: IssuedLink }> {
    requireRole(auth, 'admin');
    const { store, clock, passwords } = this.deps;
    const name = cleanDisplayText(body.name, 200);
    if (!name) throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
    const email = body.email.trim().toLowerCase();
    const now = clock.now();
    const secret = randomSecret();
    const link = { id: randomUUID(), kind: 'invitation' as const, tokenHash: secretHash(secret), createdBy: auth.user.id, createdAt: now, expiresAt: now + LINK_VALID_MS.invitation };
    // A password nobody knows: the invited member cannot sign in until they set theirs through the link.
    const passwordHash = await passwords.hash(randomSecret());
    const result = await store.inviteMember(
      { workspaceId: auth.user.workspaceId, email, name, role: body.role, passwordHash, now, link },
      this.#audit(auth, from, 'member_invited', null, { name, email, role: body.role, expiresAt: iso(link.expiresAt) }),
    );
    if (result.outcome === 'email_taken') throw new HttpError('conflict', 'Someone with this e-mail address is already a TAB user.');
    return { member: await this.#member(auth, result.user.id), link: await this.#deliver(link.kind, secret, link.expiresAt, result.user, from) };
  }

  async reissueInvitation(auth: AuthContext, userId: string, from: RequestOrigin): Promise<IssuedLink> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    if (member.invitedAt === null) throw new HttpError('conflict', 'This member has accepted the invitation already.');
    return this.#issue(auth, member, 'invitation', from, 'invitation_reissued');
  }

  async cancelInvitation(auth: AuthContext, userId: string, from: RequestOrigin): Promise<void> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    if (member.invitedAt === null) throw new HttpError('conflict', 'This member has accepted the invitation already; deactivate them instead.');
    if (!(await this.deps.store.cancelInvitation(member.id, this.deps.clock.now(), this.#audit(auth, from, 'invitation_cancelled', member.id)))) {
      throw new HttpError('conflict', 'This member has accepted the invitation meanwhile; deactivate them instead.');
    }
  }

  async issuePasswordReset(auth: AuthContext, userId: string, from: RequestOrigin): Promise<IssuedLink> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    if (member.invitedAt !== null) throw new HttpError('conflict', 'This member has not accepted the invitation yet; make a new invitation link instead.');
    if (member.disabledAt !== null) throw new HttpError('conflict', 'This member is deactivated; reactivate them first.');
    return this.#issue(auth, member, 'password_reset', from, 'password_reset_issued');
  }

  async changeRole(auth: AuthContext, userId: string, role: Role, from: RequestOrigin): Promise<Member> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    const outcome = await this.deps.store.changeRole(member.id, role, this.#audit(auth, from, 'member_role_changed', member.id));
    if (outcome === 'last_admin') throw new HttpError('last_admin', 'This is the workspace’s last active admin: make someone else an admin first.');
    // Seen on the member's very next request (their account version moved); their open screens are told now.
    if (outcome === 'changed') this.deps.hub.accountChanged(member.id, role);
    return this.#member(auth, member.id);
  }

  async deactivate(auth: AuthContext, userId: string, from: RequestOrigin): Promise<void> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    if (member.id === auth.user.id) throw new HttpError('invalid_request', 'You cannot deactivate your own account.');
    const result = await this.deps.store.deactivateMember(member.id, this.deps.clock.now(), auth.user.id, this.#audit(auth, from, 'member_disabled', member.id));
    if (result.outcome === 'last_admin') throw new HttpError('last_admin', 'This is the workspace’s last active admin: make someone else an admin first.');
    if (result.outcome === 'deactivated') this.deps.sessions.announce(result.revoked, 'member_disabled');
  }

  async reactivate(auth: AuthContext, userId: string, from: RequestOrigin): Promise<void> {
    requireRole(auth, 'admin');
    const member = await this.#memberOf(auth, userId);
    if (member.disabledAt !== null) await this.deps.store.enableUser(member.id, this.#audit(auth, from, 'member_enabled', member.id));
  }

  /** What the link page shows: whose link it is, for which firm, until when. Refuses used, expired and unknown links. */
  async lookupLink(token: string): Promise<LinkView> {
    const link = await this.#openLink(token, this.deps.clock.now());
    return { kind: link.kind, name: link.user.name, email: link.user.email, workspaceName: link.workspaceName, expiresAt: iso(link.expiresAt)! };
  }

  /**
   * Sets the password through a link and signs its holder in. A reset ends
   * every other session and API token of the member first. A link never
   * signs in past a second factor: a member with two-factor gets its login
   * challenge here, one the policy requires it of gets the enrolment
   * challenge (the same 202 as POST /auth/login).
   */
  async completeLink(token: string, password: string, device: Omit<LoginInput, 'email' | 'password'>): Promise<LoginOutcome> {
    const { store, clock, passwords, sessions } = this.deps;
    const link = await this.#openLink(token, clock.now());
    const passwordHash = await passwords.hash(password);
    const now = clock.now();
    const used = await store.useLink(link.id, passwordHash, now, {
      workspaceId: link.workspaceId,
      type: link.kind === 'invitation' ? 'invitation_accepted' : 'password_reset_completed',
      at: now,
      actorUserId: link.userId,
      targetUserId: link.userId,
      ip: device.ip,
    });
    if (used.outcome === 'used_already') throw new HttpError('link_used', 'This link has been used already. Ask your TAB admin for a new one.');
    if (used.outcome === 'expired') throw new HttpError('link_expired', 'This link has expired. Ask your TAB admin for a new one.');
    if (used.outcome !== 'used') throw notFound('That link');
    if (used.revoked.length > 0) sessions.announce(used.revoked, 'password_reset');
    return (await sessions.secondStepFor(used.user, device, link.kind)) ?? sessions.startSession(used.user, device, link.kind);
  }

  async #issue(auth: AuthContext, member: StoredUser, kind: LinkKind, from: RequestOrigin, type: 'invitation_reissued' | 'password_reset_issued'): Promise<IssuedLink> {
    const now = this.deps.clock.now();
    const secret = randomSecret();
    const expiresAt = now + LINK_VALID_MS[kind];
    const outcome = await this.deps.store.issueLink(
      { id: randomUUID(), workspaceId: member.workspaceId, userId: member.id, kind, tokenHash: secretHash(secret), createdBy: auth.user.id, createdAt: now, expiresAt },
      this.#audit(auth, from, type, member.id, { expiresAt: iso(expiresAt) }),
    );
    if (outcome === 'not_invited') throw new HttpError('conflict', 'This member has accepted the invitation meanwhile.');
    return this.#deliver(kind, secret, expiresAt, member, from);
  }

  async #deliver(kind: LinkKind, secret: string, expiresAt: number, to: Pick<StoredUser, 'name' | 'email' | 'workspaceId'>, from: RequestOrigin): Promise<IssuedLink> {
    // The secret rides after `#`: browsers never send it to a server, so it stays out of every access log.
    const url = `${from.origin}${LINK_PATH}#${secret}`;
    const workspace = await this.deps.store.getWorkspaceSettings(to.workspaceId);
    const delivery = await this.deps.sender.deliver({ kind, url, expiresAt, to: { name: to.name, email: to.email }, workspaceName: workspace?.name ?? '' });
    return { kind, url: delivery === 'shown' ? url : '', expiresAt: iso(expiresAt)!, delivery };
  }

  /** A link that can still be used at `now`, by its secret; the right refusal otherwise. */
  async #openLink(token: string, now: number) {
    const link = await this.deps.store.findLinkByHash(secretHash(token.trim()));
    if (!link || link.revokedAt !== null || link.user.disabledAt !== null) throw notFound('That link');
    if (link.usedAt !== null) throw new HttpError('link_used', 'This link has been used already. Ask your TAB admin for a new one.');
    if (link.expiresAt <= now) throw new HttpError('link_expired', 'This link has expired. Ask your TAB admin for a new one.');
    return link;
  }

  async #memberOf(auth: AuthContext, userId: string): Promise<StoredUser> {
    const member = await this.deps.store.findUserById(userId);
    if (!member || member.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    return member;
  }

  async #member(auth: AuthContext, userId: string): Promise<Member> {
    const member = (await this.deps.store.listMembers(auth.user.workspaceId, this.deps.clock.now())).find((m) => m.id === userId);
    if (!member) throw notFound('That member');
    return toMemberView(member);
  }

  #audit(auth: AuthContext, from: RequestOrigin, type: AuditInput['type'], targetUserId: string | null, detail: Record<string, unknown> = {}): AuditInput {
    return { workspaceId: auth.user.workspaceId, type, at: this.deps.clock.now(), actorUserId: auth.user.id, targetUserId, sessionId: from.sessionId, ip: from.ip, detail };
  }
}
