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
      const revoked = await revokeLiveSessions(trx, { userId }, null, { at, by, reason: 'member_disabled' }, at, this.ctx.kind === 'postgres');
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

  /**
   * Every member with their sessions' figures: one grouped pass over the
   * workspace's sessions and one over open invitations, joined to the users,
   * rather than three correlated subqueries per member (a firm of 500 people
   * is 1,500 index probes per list otherwise; PostgreSQL hashes the groups).
   */
  async listMembers(workspaceId: string, now: number): Promise<StoredMember[]> {
    const sessions = this.db
      .selectFrom('device_sessions as s')
      .select((eb) => [
        's.user_id as userId',
        eb.fn.sum<number | string | null>(eb.case().when(liveAt(now, 's')).then(1).else(0).end()).as('live'),
        eb.fn.max('s.last_seen_at').as('lastSeenAt'),
      ])
      .where('s.workspace_id', '=', workspaceId)
      .groupBy('s.user_id');
    const invitations = this.db
      .selectFrom('member_links as l')
      .innerJoin('users as iu', 'iu.id', 'l.user_id')
      .select((eb) => ['l.user_id as userId', eb.fn.max('l.expires_at').as('expiresAt')])
      .where('iu.workspace_id', '=', workspaceId)
      .where('l.kind', '=', 'invitation')
      .where('l.used_at', 'is', null)
      .where('l.revoked_at', 'is', null)
      .groupBy('l.user_id');
    const rows = await this.db
      .selectFrom('users as u')
      .leftJoin(sessions.as('s'), 's.userId', 'u.id')
      .leftJoin(invitations.as('i'), 'i.userId', 'u.id')
      .select(['u.id', 'u.name', 'u.email', 'u.role', 'u.disabled_at as disabledAt', 'u.invited_at as invitedAt', 'i.expiresAt', 's.live', 's.lastSeenAt'])
      .where('u.workspace_id', '=', workspaceId)
      .orderBy(this.caseless('u.name'))
      .orderBy('u.email')
      .execute();
    // Built field by field (no spreads): a big firm's list is hundreds of rows per request.
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role as Role,
      disabled: row.disabledAt !== null,
      activeSessions: row.live === null ? 0 : Number(row.live),
      lastSeenAt: row.lastSeenAt === null ? null : Number(row.lastSeenAt),
      invitedAt: row.invitedAt ?? null,
      invitationExpiresAt: row.expiresAt === null ? null : Number(row.expiresAt),
    }));
  }

  async setUserTimeZone(userId: string, timeZone: string) {
    await this.db.updateTable('users').set({ time_zone: timeZone }).where('id', '=', userId).execute();
  }
}
