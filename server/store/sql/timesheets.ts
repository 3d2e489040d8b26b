import type { AuditInput } from '../audit.js';
import type { NewWeek, StoredWeek, TimesheetStore } from '../timesheets.js';
import { changed, SqlDomain } from './base.js';

const WEEK_COLUMNS = [
  'timesheet_weeks.workspace_id as workspaceId', 'timesheet_weeks.user_id as userId', 'monday', 'from_at as from', 'to_at as to', 'status',
  'submitted_at as submittedAt', 'approved_at as approvedAt', 'approved_by as approvedBy', 'changed_after_approval_at as changedAfterApprovalAt',
] as const;

export class TimesheetSql extends SqlDomain implements TimesheetStore {
  async findWeek(userId: string, monday: string): Promise<StoredWeek | undefined> {
    return this.db.selectFrom('timesheet_weeks').select(WEEK_COLUMNS).where('user_id', '=', userId).where('monday', '=', monday).executeTakeFirst();
  }

  async approvedWeeksAt(userId: string, instants: number[]): Promise<StoredWeek[]> {
    if (instants.length === 0) return [];
    const low = Math.min(...instants);
    const high = Math.max(...instants);
    const rows = await this.db
      .selectFrom('timesheet_weeks')
      .select(WEEK_COLUMNS)
      .where('user_id', '=', userId)
      .where('status', '=', 'approved')
      .where('from_at', '<=', high)
      .where('to_at', '>', low)
      .execute();
    return rows.filter((week) => instants.some((t) => t >= week.from && t < week.to));
  }

  async listSubmittedWeeks(workspaceId: string, limit: number) {
    return this.db
      .selectFrom('timesheet_weeks')
      .innerJoin('users', 'users.id', 'timesheet_weeks.user_id')
      .select([...WEEK_COLUMNS, 'users.name as userName'])
      .where('timesheet_weeks.workspace_id', '=', workspaceId)
      .where('status', '=', 'submitted')
      .orderBy('from_at')
      .orderBy('users.name')
      .limit(limit)
      .execute();
  }

  async submitWeek(week: NewWeek, audit: AuditInput) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `week-of:${week.userId}`);
      const existing = await trx.selectFrom('timesheet_weeks').select('status').where('user_id', '=', week.userId).where('monday', '=', week.monday).executeTakeFirst();
      if (existing) return existing.status === 'approved' ? ('approved' as const) : ('unchanged' as const);
      await trx
        .insertInto('timesheet_weeks')
        .values({ workspace_id: week.workspaceId, user_id: week.userId, monday: week.monday, from_at: week.from, to_at: week.to, status: 'submitted', submitted_at: week.at, approved_at: null, approved_by: null, changed_after_approval_at: null })
        .execute();
      await this.audit(trx, audit);
      return 'submitted' as const;
    });
  }

  async approveWeek(userId: string, monday: string, by: string, at: number, audit: AuditInput) {
    return this.tx(async (trx) => {
      // The timer's key: a timer starting now waits for this step, or this step sees it.
      await this.serializeOn(trx, `timer-of:${userId}`);
      await this.serializeOn(trx, `week-of:${userId}`);
      const week = await trx.selectFrom('timesheet_weeks').select(['status', 'to_at']).where('user_id', '=', userId).where('monday', '=', monday).executeTakeFirst();
      if (!week) return 'not_submitted' as const;
      if (week.status === 'approved') return 'unchanged' as const;
      const running = await trx
        .selectFrom('time_entries')
        .select('id')
        .where('user_id', '=', userId)
        .where('end_at', 'is', null)
        .where('deleted_at', 'is', null)
        .where('start_at', '<', week.to_at)
        .executeTakeFirst();
      if (running) return 'timer_running' as const;
      await trx
        .updateTable('timesheet_weeks')
        .set({ status: 'approved', approved_at: at, approved_by: by, changed_after_approval_at: null })
        .where('user_id', '=', userId)
        .where('monday', '=', monday)
        .execute();
      await this.audit(trx, audit);
      return 'approved' as const;
    });
  }

  async reopenWeek(userId: string, monday: string, audit: AuditInput) {
    return this.tx(async (trx) => {
      await this.serializeOn(trx, `week-of:${userId}`);
      const result = await trx.deleteFrom('timesheet_weeks').where('user_id', '=', userId).where('monday', '=', monday).executeTakeFirst();
      const reopened = changed(result) === 1;
      if (reopened) await this.audit(trx, audit);
      return reopened;
    });
  }

  async flagChangedAfterApproval(userId: string, mondays: string[], at: number, audit: AuditInput) {
    if (mondays.length === 0) return;
    await this.tx(async (trx) => {
      await this.serializeOn(trx, `week-of:${userId}`);
      const result = await trx
        .updateTable('timesheet_weeks')
        .set({ status: 'submitted', changed_after_approval_at: at })
        .where('user_id', '=', userId)
        .where('monday', 'in', mondays)
        .where('status', '=', 'approved')
        .executeTakeFirst();
      if (changed(result) > 0) await this.audit(trx, { ...audit, detail: { ...audit.detail, weeks: mondays } });
    });
  }
}
