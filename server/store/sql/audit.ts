import type { AuditEventType } from '../../../shared/api/admin.js';
import type { AuditInput, AuditQuery, AuditStore, StoredAuditEvent } from '../audit.js';
import { SqlDomain } from './base.js';

export class AuditSql extends SqlDomain implements AuditStore {
  async appendAudit(event: AuditInput) {
    await this.audit(this.db, event);
  }

  async listAudit(workspaceId: string, q: AuditQuery): Promise<StoredAuditEvent[]> {
    let query = this.db
      .selectFrom('audit_events')
      .select(['id', 'workspace_id as workspaceId', 'type', 'at', 'actor_user_id as actorUserId', 'target_user_id as targetUserId', 'session_id as sessionId', 'ip', 'detail'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '<', q.before ?? Number.MAX_SAFE_INTEGER);
    if (q.type !== undefined) query = query.where('type', '=', q.type);
    if (q.userId !== undefined) {
      const userId = q.userId;
      query = query.where((eb) => eb.or([eb('target_user_id', '=', userId), eb('actor_user_id', '=', userId)]));
    }
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      type: row.type as AuditEventType,
      // JSON text in SQLite; PostgreSQL's jsonb arrives parsed.
      detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
    }));
  }
}
