import type { AuditEventType } from '../../shared/api/admin.js';

/** The audit log: append-only; every other domain writes its rows in the same transaction as the change. */
export interface AuditStore {
  appendAudit(event: AuditInput): Promise<void>;
  /** Newest first (by time, then id), with the people's names and the session's device as they are now. */
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
  /** Events this person did or that were done to them. */
  userId?: string;
  type?: AuditEventType;
  /** [from, to) in epoch ms. */
  from?: number;
  to?: number;
  /** Rows strictly older than this one (the last row of the previous page). */
  before?: { at: number; id: number };
  limit: number;
}

export interface StoredAuditEvent extends Required<Omit<AuditInput, 'detail'>> {
  id: number;
  detail: Record<string, unknown>;
  actorName: string | null;
  targetName: string | null;
  /** The session the event came from, if it is still on file. */
  session: { label: string; clientKind: string; ip: string } | null;
}
