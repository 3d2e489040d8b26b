import type { AuditEventType } from '../../shared/api/admin.js';

/** The audit log: append-only; every other domain writes its rows in the same transaction as the change. */
export interface AuditStore {
  appendAudit(event: AuditInput): Promise<void>;
  listAudit(workspaceId: string, query: AuditQuery): Promise<StoredAuditEvent[]>;
}

export interface AuditInput {
  workspaceId: string | null;
  type: AuditEventType;
  at: number;
  actorUserId?: string | null;
  targetUserId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  userId?: string;
  type?: AuditEventType;
  before?: number;
  limit: number;
}

export interface StoredAuditEvent extends Required<Omit<AuditInput, 'detail'>> {
  id: number;
  detail: Record<string, unknown>;
}
