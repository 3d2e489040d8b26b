import { randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/api/auth.js';
import type { AuditInput } from '../audit.js';
import type { IdentityStore, NewUser, StoredMember, StoredUser, StoredWorkspace } from '../identity.js';
import { SqlDomain } from './base.js';
import { revokeLiveApiTokens } from './api-tokens.js';
import { liveAt, revokeLiveSessions } from './sessions.js';

export const USER_COLUMNS = [
  'id', 'workspace_id as workspaceId', 'email', 'name', 'role', 'password_hash as passwordHash',
  'disabled_at as disabledAt', 'created_at as createdAt', 'time_zone as timeZone', 'invited_at as invitedAt',
] as const;

/** E-mails are kept and looked up lower-cased (and SQLite's column compares without case as well). */
const emailKey = (email: string) => email.toLowerCase();

export class IdentitySql extends SqlDomain implements IdentityStore {
  async createWorkspace({ name, now }: { name: string; now: number }): Promise<StoredWorkspace> {
    const id = randomUUID();
    await this.db.insertInto('workspaces').values({ id, name, created_at: now }).execute();
    return { id, name, createdAt: now };
  }

  async findWorkspaceByName(name: string) {
    return this.db.selectFrom('workspaces').select(['id', 'name', 'created_at as createdAt']).where('name', '=', name).executeTakeFirst();
  }

  async listWorkspaces() {
    return this.db.selectFrom('workspaces').select(['id', 'name', 'created_at as createdAt']).orderBy('created_at').execute();
  }

  async createUser(input: NewUser): Promise<StoredUser> {
    const id = randomUUID();
    const email = emailKey(input.email);
    await this.db
      .insertInto('users')
      .values({ id, workspace_id: input.workspaceId, email, name: input.name, role: input.role, password_hash: input.passwordHash, created_at: input.now })
      .execute();
    return { id, workspaceId: input.workspaceId, email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabledAt: null, createdAt: input.now, timeZone: 'UTC', invitedAt: null };
  }

  async findUserById(id: string) {
    return (await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst()) as StoredUser | undefined;
  }

  async findUserByEmail(email: string) {
    return (await this.db.selectFrom('users').select(USER_COLUMNS).where('email', '=', emailKey(email)).executeTakeFirst()) as StoredUser | undefined;
  }

  async listUsers(workspaceId?: string) {
    const query = this.db.selectFrom('users').select(USER_COLUMNS);
    const rows = workspaceId === undefined
      ? await query.orderBy('workspace_id').orderBy('email').execute()
      : await query.where('workspace_id', '=', workspaceId).orderBy('email').execute();
    return rows as StoredUser[];
  }

  async setPasswordHash(userId: string, passwordHash: string, audit?: AuditInput) {
    await this.tx(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
      if (audit) await this.audit(trx, audit);
    });
  }

  async disableUser(userId: string, at: number, by: string | null, audit: AuditInput) {
    return this.tx(async (trx) => {
      await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
      const revoked = await revokeLiveSessions(trx, { userId }, null, { at, by, reason: 'member_disabled' }, at);
      await this.audit(trx, { ...audit, detail: { ...audit.detail, revoked: revoked.length } });
      // A disabled member's scripts stop too: their API tokens are revoked with the sessions.
      const { workspaceId, actorUserId, sessionId, ip } = audit;
      await revokeLiveApiTokens(trx, { userId }, at, 'member_disabled', {
        base: { workspaceId, at, actorUserId, sessionId, ip },
        write: (event) => this.audit(trx, event),
      });
      return revoked;
    });
  }

  async enableUser(userId: string, audit: AuditInput) {
    await this.tx(async (trx) => {
      await trx.updateTable('users').set({ disabled_at: null }).where('id', '=', userId).execute();
      await this.audit(trx, audit);
    });
  }

  async listMembers(workspaceId: string, now: number): Promise<StoredMember[]> {
    const rows = await this.db
      .selectFrom('users as u')
      .select((eb) => [
        'u.id',
        'u.name',
        'u.email',
        'u.role',
        eb.case().when('u.disabled_at', 'is not', null).then(1).else(0).end().as('disabled'),
        'u.invited_at as invitedAt',
        eb
          .selectFrom('member_links as l')
          .select((sub) => sub.fn.max('l.expires_at').as('e'))
          .whereRef('l.user_id', '=', 'u.id')
          .where('l.kind', '=', 'invitation')
          .where('l.used_at', 'is', null)
          .where('l.revoked_at', 'is', null)
          .as('invitationExpiresAt'),
        eb.selectFrom('device_sessions as s').select((sub) => sub.fn.countAll<number>().as('n')).whereRef('s.user_id', '=', 'u.id').where(liveAt(now, 's')).as('activeSessions'),
        eb.selectFrom('device_sessions as s').select((sub) => sub.fn.max('s.last_seen_at').as('m')).whereRef('s.user_id', '=', 'u.id').as('lastSeenAt'),
      ])
      .where('u.workspace_id', '=', workspaceId)
      .orderBy(this.caseless('u.name'))
      .orderBy('u.email')
      .execute();
    return rows.map((row) => ({
      ...row,
      role: row.role as Role,
      disabled: row.disabled === 1,
      activeSessions: Number(row.activeSessions ?? 0),
      lastSeenAt: row.lastSeenAt ?? null,
      invitedAt: row.invitedAt ?? null,
      invitationExpiresAt: row.invitationExpiresAt === null || row.invitationExpiresAt === undefined ? null : Number(row.invitationExpiresAt),
    }));
  }

  async setUserTimeZone(userId: string, timeZone: string) {
    await this.db.updateTable('users').set({ time_zone: timeZone }).where('id', '=', userId).execute();
  }
}
