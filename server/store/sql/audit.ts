import { sql, type SelectQueryBuilder } from 'kysely';
import type { AuditEventType } from '../../../shared/api/admin.js';
import type { AuditInput, AuditQuery, AuditStore, StoredAuditEvent } from '../audit.js';
import { SqlDomain } from './base.js';
import type { TabDatabase } from './schema.js';

const EVENT_COLUMNS = [
  'id', 'workspace_id as workspaceId', 'type', 'at', 'actor_user_id as actorUserId', 'target_user_id as targetUserId', 'session_id as sessionId', 'ip', 'detail',
] as const;

type Row = Omit<StoredAuditEvent, 'detail' | 'type' | 'actorName' | 'targetName' | 'session'> & { type: string; detail: string | Record<string, unknown> };

export class AuditSql extends SqlDomain implements AuditStore {
  async appendAudit(event: AuditInput) {
    await this.audit(this.db, event);
  }

  /**
   * A page of the log. Each filter has an index ending in (at, id), so a page
   * is one ordered index range, however many events there are. "By person" is
   * two such ranges (as actor, as target) merged here: an OR would make the
   * database sort every event of that person first.
   */
  async listAudit(workspaceId: string, q: AuditQuery): Promise<StoredAuditEvent[]> {
    const page = (who?: 'actor_user_id' | 'target_user_id') => {
      let query: SelectQueryBuilder<TabDatabase, 'audit_events', Row> = this.db
        .selectFrom('audit_events')
        .select(EVENT_COLUMNS)
        .where('workspace_id', '=', workspaceId) as never;
      if (who) query = query.where(who, '=', q.userId!);
      if (q.type !== undefined) query = query.where('type', '=', q.type);
      if (q.from !== undefined) query = query.where('at', '>=', q.from);
      if (q.to !== undefined) query = query.where('at', '<', q.to);
      if (q.before) query = query.where(sql<boolean>`(at, id) < (${q.before.at}, ${q.before.id})`);
      return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    };
    let rows: Row[];
    if (q.userId === undefined) rows = await page();
    else {
      const [asActor, asTarget] = await Promise.all([page('actor_user_id'), page('target_user_id')]);
      const byId = new Map([...asActor, ...asTarget].map((row) => [Number(row.id), row]));
      rows = [...byId.values()].sort((a, b) => b.at - a.at || Number(b.id) - Number(a.id)).slice(0, q.limit);
    }
    return this.#described(rows);
  }

  /** Names and devices for a page: two small lookups by id, not a join per row. */
  async #described(rows: Row[]): Promise<StoredAuditEvent[]> {
    const userIds = [...new Set(rows.flatMap((r) => [r.actorUserId, r.targetUserId]).filter((id): id is string => id !== null))];
    const sessionIds = [...new Set(rows.map((r) => r.sessionId).filter((id): id is string => id !== null))];
    const [users, sessions] = await Promise.all([
      userIds.length ? this.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [],
      sessionIds.length ? this.db.selectFrom('device_sessions').select(['id', 'label', 'client_kind as clientKind', 'ip']).where('id', 'in', sessionIds).execute() : [],
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const devices = new Map(sessions.map(({ id, ...device }) => [id, device]));
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      type: row.type as AuditEventType,
      // JSON text in SQLite; PostgreSQL's jsonb arrives parsed.
      detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
      actorName: row.actorUserId === null ? null : (names.get(row.actorUserId) ?? null),
      targetName: row.targetUserId === null ? null : (names.get(row.targetUserId) ?? null),
      session: row.sessionId === null ? null : (devices.get(row.sessionId) ?? null),
    }));
  }
}
