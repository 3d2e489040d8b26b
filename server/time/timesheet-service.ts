import type { TimesheetRow, TimesheetWeek, WeekApproval, WeekQueue } from '../../shared/api/timesheets.js';
import { parseCivil, weekOf, type Week } from '../../shared/time/periods.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import { DAY_MS, type Clock } from '../platform/clock.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import type { AuditInput, StoredUser, StoredWeek, TabStore } from '../store/types.js';
import { oversees } from './entry-service.js';
import { toEntryView } from './time-views.js';

/** The approving manager may reopen a week this long after approving it; an admin at any time. */
export const REOPEN_WINDOW_MS = DAY_MS;
/** A week view lists at most this many entries (a week of 15-minute entries around the clock is 672). */
const WEEK_ENTRIES_MAX = 2000;
const QUEUE_MAX = 500;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Team timesheets (issue #13 item 4): a member's week as rows per client and
 * days as columns, and its approval. An accountant sees and submits their own
 * weeks; managers and admins see everyone's, approve submitted weeks (never a
 * week with a running timer) and reopen them: the approving manager within a
 * day of approving, an admin at any time. Submitting, approving and reopening
 * are audited and announced as `time.changed` (the member's and the
 * managers' screens refetch).
 *
 * Whose zone: the week VIEW counts days in the viewer's zone (what they read
 * everywhere else); the APPROVAL covers the member's Monday-to-Sunday in the
 * member's zone at submission, kept as instants, so the lock never moves.
 */
export class TimesheetService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; hub: EventHub }) {}

  async week(auth: AuthContext, userId: string, monday: string): Promise<TimesheetWeek> {
    const { store, clock } = this.deps;
    const member = await this.#visibleMember(auth, userId);
    const week = mondayWeek(monday, auth.user.timeZone);
    const now = clock.now();
    const [entries, clients, stored] = await Promise.all([
      store.listEntries({ workspaceId: auth.user.workspaceId, userId: member.id, from: week.from, to: week.to, limit: WEEK_ENTRIES_MAX }),
      store.listClients(auth.user.workspaceId),
      store.findWeek(member.id, monday),
    ]);
    const clientById = new Map(clients.map((c) => [c.id, c]));
    const rows = new Map<string, TimesheetRow>();
    const dayTotals = [0, 0, 0, 0, 0, 0, 0];
    let totalMs = 0;
    let billableMs = 0;
    let timerRunning = false;
    for (const entry of entries) {
      // An entry counts on the day it starts (as the entries list shows it); a running one up to now.
      const day = dayIndex(week, entry.start);
      const duration = Math.max(0, (entry.end ?? now) - entry.start);
      if (entry.end === null) timerRunning = true;
      let row = rows.get(entry.clientId);
      if (!row) {
        const client = clientById.get(entry.clientId);
        row = { clientId: entry.clientId, clientName: client?.name ?? 'Unknown client', currency: entry.currency, days: [0, 0, 0, 0, 0, 0, 0], totalMs: 0, billableMs: 0 };
        rows.set(entry.clientId, row);
      }
      row.days[day]! += duration;
      row.totalMs += duration;
      dayTotals[day]! += duration;
      totalMs += duration;
      if (entry.billable) {
        row.billableMs += duration;
        billableMs += duration;
      }
    }
    const people = await this.#names(auth, [...entries.map((e) => e.changedBy), stored?.approvedBy]);
    return {
      member: { id: member.id, name: member.name },
      monday,
      timeZone: auth.user.timeZone,
      days: week.days.map((d) => d.date),
      rows: [...rows.values()].sort((a, b) => a.clientName.localeCompare(b.clientName) || a.clientId.localeCompare(b.clientId)),
      dayTotals,
      totalMs,
      billableMs,
      timerRunning,
      approval: this.#approval(auth, stored, people, now),
      entries: entries.map((e) => toEntryView(e, (id) => people.get(id))),
    };
  }

  /** Submits one of the caller's own weeks (the member's zone decides which days it holds). */
  async submit(auth: AuthContext, userId: string, monday: string, ip: string | null): Promise<WeekApproval> {
    const { store, clock } = this.deps;
    if (userId.toLowerCase() !== auth.user.id) throw new HttpError('forbidden', 'You can submit only your own weeks.');
    const week = mondayWeek(monday, auth.user.timeZone);
    const now = clock.now();
    if (week.from > now) throw new HttpError('invalid_request', 'That week has not started yet.');
    const outcome = await store.submitWeek(
      { workspaceId: auth.user.workspaceId, userId: auth.user.id, monday, from: week.from, to: week.to, at: now },
      this.#audit(auth, 'week_submitted', auth.user.id, now, ip, { week: monday }),
    );
    if (outcome === 'approved') throw new HttpError('week_approved', `Your week of ${monday} is approved already.`);
    if (outcome === 'submitted') this.#announce(auth, auth.user.id, 'submitted');
    return this.#approvalOf(auth, auth.user.id, monday);
  }

  async approve(auth: AuthContext, userId: string, monday: string, ip: string | null): Promise<WeekApproval> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock } = this.deps;
    const member = await this.#visibleMember(auth, userId);
    mondayWeek(monday, member.timeZone);
    if (member.id === auth.user.id && auth.user.role !== 'admin') throw new HttpError('forbidden', 'A manager’s own weeks are approved by another manager or an admin.');
    const now = clock.now();
    const outcome = await store.approveWeek(member.id, monday, auth.user.id, now, this.#audit(auth, 'week_approved', member.id, now, ip, { week: monday }));
    if (outcome === 'not_submitted') throw new HttpError('week_not_submitted', `${member.name} has not submitted the week of ${monday}.`);
    if (outcome === 'timer_running') {
      throw new HttpError('week_timer_running', `${member.name} has a timer running in the week of ${monday}: it can be approved once the timer stops.`);
    }
    if (outcome === 'approved') this.#announce(auth, member.id, 'approved');
    return this.#approvalOf(auth, member.id, monday);
  }

  /**
   * Reopens a week: a submitted one goes back to its member (any manager or
   * admin); an approved one only by the manager who approved it, within a
   * day, or by an admin.
   */
  async reopen(auth: AuthContext, userId: string, monday: string, ip: string | null): Promise<WeekApproval> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock } = this.deps;
    const member = await this.#visibleMember(auth, userId);
    mondayWeek(monday, member.timeZone);
    const week = await store.findWeek(member.id, monday);
    if (!week) return this.#approvalOf(auth, member.id, monday); // open already: nothing to do
    const now = clock.now();
    if (week.status === 'approved' && !mayReopen(auth, week, now)) {
      throw new HttpError('forbidden', 'Only the manager who approved this week (within a day of approving it) or an admin can reopen it.');
    }
    if (await store.reopenWeek(member.id, monday, this.#audit(auth, 'week_reopened', member.id, now, ip, { week: monday, was: week.status }))) {
      this.#announce(auth, member.id, 'reopened');
    }
    return this.#approvalOf(auth, member.id, monday);
  }

  /** Weeks waiting for approval, oldest first (managers and admins). */
  async queue(auth: AuthContext): Promise<WeekQueue> {
    requireRole(auth, 'admin', 'manager');
    const weeks = await this.deps.store.listSubmittedWeeks(auth.user.workspaceId, QUEUE_MAX);
    return {
      weeks: weeks.map((w) => ({
        member: { id: w.userId, name: w.userName },
        monday: w.monday,
        submittedAt: iso(w.submittedAt)!,
        changedAfterApprovalAt: iso(w.changedAfterApprovalAt),
      })),
    };
  }

  async #approvalOf(auth: AuthContext, userId: string, monday: string): Promise<WeekApproval> {
    const stored = await this.deps.store.findWeek(userId, monday);
    return this.#approval(auth, stored, await this.#names(auth, [stored?.approvedBy]), this.deps.clock.now());
  }

  #approval(auth: AuthContext, week: StoredWeek | undefined, people: Map<string, string>, now: number): WeekApproval {
    if (!week) return { status: 'open', submittedAt: null, approvedAt: null, approvedBy: null, changedAfterApprovalAt: null, canReopen: false };
    return {
      status: week.status,
      submittedAt: iso(week.submittedAt),
      approvedAt: iso(week.approvedAt),
      approvedBy: week.approvedBy ? { id: week.approvedBy, name: people.get(week.approvedBy) ?? 'Someone else' } : null,
      changedAfterApprovalAt: iso(week.changedAfterApprovalAt),
      canReopen: oversees(auth) && (week.status === 'submitted' || mayReopen(auth, week, now)),
    };
  }

  async #names(auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
    if (!ids.some(Boolean)) return new Map();
    return new Map((await this.deps.store.listUsers(auth.user.workspaceId)).map((u) => [u.id, u.name]));
  }

  /** A member of the caller's workspace the caller may see: themselves, or anyone for managers and admins. */
  async #visibleMember(auth: AuthContext, rawId: string): Promise<StoredUser> {
    const id = rawId.toLowerCase();
    if (id !== auth.user.id && !oversees(auth)) throw new HttpError('forbidden', 'Accountants can only see their own timesheets.');
    const member = await this.deps.store.findUserById(id);
    if (!member || member.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    return member;
  }

  #audit(auth: AuthContext, type: AuditInput['type'], targetUserId: string, at: number, ip: string | null, detail: Record<string, unknown>): AuditInput {
    return { workspaceId: auth.user.workspaceId, type, at, actorUserId: auth.user.id, targetUserId, sessionId: currentSessionId(auth), ip, detail };
  }

  #announce(auth: AuthContext, userId: string, change: 'submitted' | 'approved' | 'reopened'): void {
    this.deps.hub.timeChanged(auth.user.workspaceId, { type: 'time.changed', entryId: null, userId, change });
  }
}

function mayReopen(auth: AuthContext, week: StoredWeek, now: number): boolean {
  if (auth.user.role === 'admin') return true;
  return auth.user.role === 'manager' && week.approvedBy === auth.user.id && week.approvedAt !== null && now - week.approvedAt <= REOPEN_WINDOW_MS;
}

/** The week of a `YYYY-MM-DD` Monday in the zone; 400 for anything else. */
function mondayWeek(monday: string, timeZone: string): Week {
  const civil = parseCivil(monday);
  const week = civil ? weekOf(civil, timeZone) : null;
  if (!week || week.monday !== monday) throw new HttpError('invalid_request', `${monday} is not a Monday (weeks run Monday to Sunday, as YYYY-MM-DD).`);
  return week;
}

function dayIndex(week: Week, instant: number): number {
  for (let i = 6; i > 0; i--) if (instant >= week.days[i]!.start) return i;
  return 0;
}
