import type { Role } from '../../../shared/api/auth.js';
import type { RevokedSession } from '../../sessions/session-records.js';
import type { AuditInput } from '../audit.js';
import type { StoredUser } from '../identity.js';
import type { MemberStore, NewInvitedMember, NewMemberLink, ProfileChange, StoredMemberLink, UsedLink, UserPreferences } from '../members.js';
import { constraintKind, SqlDomain, type Tx } from './base.js';
import { USER_COLUMNS } from './identity.js';
import { revokeLiveApiTokens } from './api-tokens.js';
import { revokeLiveSessions } from './sessions.js';

const LINK_COLUMNS = [
  'l.id', 'l.workspace_id as workspaceId', 'l.user_id as userId', 'l.kind', 'l.created_by as createdBy', 'l.created_at as createdAt',
  'l.expires_at as expiresAt', 'l.used_at as usedAt', 'l.revoked_at as revokedAt',
] as const;

/** The member's open links (of one kind, or all) set aside at `at`. */
async function setAsideOpenLinks(trx: Tx, userId: string, at: number, kind?: string): Promise<void> {
  let update = trx.updateTable('member_links').set({ revoked_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).where('revoked_at', 'is', null);
  if (kind) update = update.where('kind', '=', kind);
  await update.execute();
}

/**
 * Every API token of the user that still works, revoked at `at` with why: how
 * many. Their `api_token_revoked` row (as on every sign-out path) carries the
 * caller's actor, session and address; the caller's own row counts them too.
 */
function revokeApiTokensOf(trx: Tx, userId: string, at: number, reason: 'password_reset' | 'member_disabled', audit: AuditInput, write: (event: AuditInput) => Promise<void>): Promise<number> {
  const { workspaceId, actorUserId, sessionId, ip } = audit;
  return revokeLiveApiTokens(trx, { userId }, at, reason, { base: { workspaceId, at, actorUserId, sessionId, ip }, write });
}

async function insertLink(trx: Tx, link: NewMemberLink): Promise<void> {
  await trx
    .insertInto('member_links')
    .values({
      id: link.id,
      workspace_id: link.workspaceId,
      user_id: link.userId,
      kind: link.kind,
      token_hash: link.tokenHash,
      created_by: link.createdBy,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
    })
    .execute();
}

export class MemberSql extends SqlDomain implements MemberStore {
  async inviteMember(input: NewInvitedMember, audit: AuditInput) {
    const id = crypto.randomUUID();
    const email = input.email.toLowerCase();
    try {
      return await this.tx(async (trx) => {
        await this.serializeOn(trx, `email:${email}`);
        const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
        if (taken) return { outcome: 'email_taken' as const };
        await trx
          .insertInto('users')
          .values({ id, workspace_id: input.workspaceId, email, name: input.name, role: input.role, password_hash: input.passwordHash, created_at: input.now, invited_at: input.now })
          .execute();
        await insertLink(trx, { ...input.link, userId: id, workspaceId: input.workspaceId });
        await this.audit(trx, { ...audit, targetUserId: id });
        const user: StoredUser = { id, workspaceId: input.workspaceId, email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabledAt: null, createdAt: input.now, timeZone: 'UTC', invitedAt: input.now };
        return { outcome: 'invited' as const, user };
      });
    } catch (error) {
      // Another request took the address between the check and the insert (PostgreSQL without the lock, say).
      if (constraintKind(error) === 'unique') return { outcome: 'email_taken' as const };
      throw error;
    }
  }

  async issueLink(link: NewMemberLink, audit: AuditInput) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `links-of:${link.userId}`);
      if (link.kind === 'invitation') {
        const invited = await trx.selectFrom('users').select('id').where('id', '=', link.userId).where('invited_at', 'is not', null).executeTakeFirst();
        if (!invited) return 'not_invited' as const;
      }
      await setAsideOpenLinks(trx, link.userId, link.createdAt, link.kind);
      await insertLink(trx, link);
      await this.audit(trx, audit);
      return 'issued' as const;
    });
  }

  async cancelInvitation(userId: string, at: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `links-of:${userId}`);
      const invited = await this.forUpdate(trx.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', userId).where('invited_at', 'is not', null)).executeTakeFirst();
      if (!invited) return false;
      await trx.deleteFrom('member_links').where('user_id', '=', userId).execute();
      await trx.deleteFrom('users').where('id', '=', userId).execute();
      await this.audit(trx, { ...audit, at, detail: { ...audit.detail, name: invited.name, email: invited.email } });
      return true;
    });
  }

  async findLinkByHash(tokenHash: Buffer): Promise<StoredMemberLink | undefined> {
    const row = await this.db
      .selectFrom('member_links as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .innerJoin('workspaces as w', 'w.id', 'l.workspace_id')
      .select([...LINK_COLUMNS, 'u.name', 'u.email', 'u.invited_at as invitedAt', 'u.disabled_at as disabledAt', 'w.name as workspaceName'])
      .where('l.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const { name, email, invitedAt, disabledAt, ...link } = row;
    return { ...link, kind: link.kind as StoredMemberLink['kind'], user: { name, email, invitedAt, disabledAt } };
  }

  async useLink(linkId: string, passwordHash: string, now: number, audit: AuditInput): Promise<UsedLink> {
    return this.tx(async (trx) => {
      const found = await trx.selectFrom('member_links').select(['user_id as userId']).where('id', '=', linkId).executeTakeFirst();
      if (!found) return { outcome: 'revoked' };
      await this.serializeOn(trx, `links-of:${found.userId}`);
      const link = await this.forUpdate(
        trx.selectFrom('member_links').select(['kind', 'used_at as usedAt', 'revoked_at as revokedAt', 'expires_at as expiresAt']).where('id', '=', linkId),
      ).executeTakeFirstOrThrow();
      if (link.usedAt !== null) return { outcome: 'used_already' };
      if (link.revokedAt !== null) return { outcome: 'revoked' };
      if (link.expiresAt <= now) return { outcome: 'expired' };
      const user = (await trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', found.userId).executeTakeFirstOrThrow()) as StoredUser;
      if (user.disabledAt !== null) return { outcome: 'disabled' };

      await trx.updateTable('users').set({ password_hash: passwordHash, invited_at: null }).where('id', '=', user.id).execute();
      await trx.updateTable('member_links').set({ used_at: now }).where('id', '=', linkId).execute();
      await setAsideOpenLinks(trx, user.id, now);
      let revoked: RevokedSession[] = [];
      let tokensRevoked = 0;
      if (link.kind === 'password_reset') {
        revoked = await revokeLiveSessions(trx, { userId: user.id }, null, { at: now, by: null, reason: 'password_reset' }, now);
        tokensRevoked = await revokeApiTokensOf(trx, user.id, now, 'password_reset', audit, (event) => this.audit(trx, event));
      }
      await this.audit(trx, { ...audit, detail: { ...audit.detail, ...(link.kind === 'password_reset' ? { sessionsRevoked: revoked.length, apiTokensRevoked: tokensRevoked } : {}) } });
      return { outcome: 'used', user: { ...user, passwordHash, invitedAt: null }, revoked, tokensRevoked };
    });
  }

  async changeRole(userId: string, role: Role, audit: AuditInput) {
    return this.tx(async (trx) => {
      const user = await trx.selectFrom('users').select(['workspace_id as workspaceId']).where('id', '=', userId).executeTakeFirst();
      if (!user) return 'unchanged' as const;
      await this.serializeOn(trx, `admins-of:${user.workspaceId}`);
      const current = await this.forUpdate(trx.selectFrom('users').select(['role', 'disabled_at as disabledAt', 'invited_at as invitedAt']).where('id', '=', userId)).executeTakeFirstOrThrow();
      if (current.role === role) return 'unchanged' as const;
      if (current.role === 'admin' && current.disabledAt === null && current.invitedAt === null && (await this.#otherActiveAdmins(trx, user.workspaceId, userId)) === 0) {
        return 'last_admin' as const;
      }
      await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
      await this.audit(trx, { ...audit, detail: { ...audit.detail, from: current.role, to: role } });
      return 'changed' as const;
    });
  }

  async deactivateMember(userId: string, at: number, by: string, audit: AuditInput) {
    return this.tx(async (trx) => {
      const user = await trx.selectFrom('users').select(['workspace_id as workspaceId']).where('id', '=', userId).executeTakeFirst();
      if (!user) return { outcome: 'unchanged' as const };
      await this.serializeOn(trx, `admins-of:${user.workspaceId}`);
      const current = await this.forUpdate(trx.selectFrom('users').select(['role', 'disabled_at as disabledAt', 'invited_at as invitedAt']).where('id', '=', userId)).executeTakeFirstOrThrow();
      if (current.disabledAt !== null) return { outcome: 'unchanged' as const };
      if (current.role === 'admin' && current.invitedAt === null && (await this.#otherActiveAdmins(trx, user.workspaceId, userId)) === 0) {
        return { outcome: 'last_admin' as const };
      }
      await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
      // An invitation or reset link must not bring a deactivated member back.
      await setAsideOpenLinks(trx, userId, at);
      const revoked = await revokeLiveSessions(trx, { userId }, null, { at, by, reason: 'member_disabled' }, at);
      const tokensRevoked = await revokeApiTokensOf(trx, userId, at, 'member_disabled', audit, (event) => this.audit(trx, event));
      await this.audit(trx, { ...audit, detail: { ...audit.detail, revoked: revoked.length, apiTokensRevoked: tokensRevoked } });
      return { outcome: 'deactivated' as const, revoked, tokensRevoked };
    });
  }

  async findUserPreferences(userId: string): Promise<UserPreferences | undefined> {
    const row = await this.db.selectFrom('users').select(['clock', 'date_format as dateFormat']).where('id', '=', userId).executeTakeFirst();
    return row as UserPreferences | undefined;
  }

  async updateProfile(userId: string, change: ProfileChange, audit?: AuditInput) {
    const set = {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.timeZone !== undefined ? { time_zone: change.timeZone } : {}),
      ...(change.clock !== undefined ? { clock: change.clock } : {}),
      ...(change.dateFormat !== undefined ? { date_format: change.dateFormat } : {}),
    };
    if (Object.keys(set).length === 0) return;
    await this.tx(async (trx) => {
      await trx.updateTable('users').set(set).where('id', '=', userId).execute();
      if (audit) await this.audit(trx, audit);
    });
  }

  /** Active admins of the workspace besides `userId`: not deactivated, invitation used. */
  async #otherActiveAdmins(trx: Tx, workspaceId: string, userId: string): Promise<number> {
    const row = await trx
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .where('invited_at', 'is', null)
      .where('id', '!=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
