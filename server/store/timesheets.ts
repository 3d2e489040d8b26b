import type { AuditInput } from './audit.js';

/**
 * Team timesheets (issue #13 item 4): a member's week, submitted and
 * approved. A week with no row is open. Each step is one transaction with its
 * audit row; approving serializes with the member's timer, so a timer started
 * at the same moment either blocks the approval or starts after it.
 */
export interface TimesheetStore {
  findWeek(userId: string, monday: string): Promise<StoredWeek | undefined>;
  /** The member's approved weeks that hold any of these instants (entry starts). */
  approvedWeeksAt(userId: string, instants: number[]): Promise<StoredWeek[]>;
  /** Weeks waiting for approval in the workspace (submitted, including those changed after approval), oldest first. */
  listSubmittedWeeks(workspaceId: string, limit: number): Promise<(StoredWeek & { userName: string })[]>;
  /** Submits an open week; a submitted one stays as it is; an approved one is refused. */
  submitWeek(week: NewWeek, audit: AuditInput): Promise<'submitted' | 'unchanged' | 'approved'>;
  /** Approves a submitted week unless the member has a timer running that started before the week's end. */
  approveWeek(userId: string, monday: string, by: string, at: number, audit: AuditInput): Promise<'approved' | 'unchanged' | 'not_submitted' | 'timer_running'>;
  /** Reopens (deletes) a week; false when it was open already. */
  reopenWeek(userId: string, monday: string, audit: AuditInput): Promise<boolean>;
  /** Puts approved weeks back in the queue, flagged "changed after approval" (a queued write landed in them). */
  flagChangedAfterApproval(userId: string, mondays: string[], at: number, audit: AuditInput): Promise<void>;
}

export interface NewWeek {
  workspaceId: string;
  userId: string;
  monday: string;
  from: number;
  to: number;
  at: number;
}

export interface StoredWeek {
  workspaceId: string;
  userId: string;
  monday: string;
  from: number;
  to: number;
  status: 'submitted' | 'approved';
  submittedAt: number;
  approvedAt: number | null;
  approvedBy: string | null;
  changedAfterApprovalAt: number | null;
}
