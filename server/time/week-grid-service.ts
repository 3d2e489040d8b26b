import { ENTRY_LIST_MAX } from '../../shared/api/time.js';
import type { WeekGrid } from '../../shared/api/week-grid.js';
import { parseCivil, weekOf } from '../../shared/time/periods.js';
import { buildWeekGrid } from '../../shared/time/week-grid.js';
import { HttpError } from '../http/http-error.js';
import type { Clock } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { TabStore } from '../store/types.js';
import { toEntryView } from './time-views.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The caller's weekly grid: the week in their zone, its entries as rows and cells (the shared rule), and what the grid needs to edit them. */
export class WeekGridService {
  constructor(private readonly deps: { store: TabStore; clock: Clock }) {}

  async grid(auth: AuthContext, day: string): Promise<WeekGrid> {
    const civil = parseCivil(day);
    if (!civil) throw new HttpError('invalid_request', `Invalid querystring.week: ${day} is not a date.`);
    const { store, clock } = this.deps;
    const timeZone = auth.user.timeZone;
    const week = weekOf(civil, timeZone);
    const [rows, settings] = await Promise.all([
      store.listEntries({ workspaceId: auth.user.workspaceId, userId: auth.user.id, from: week.from, to: week.to, limit: ENTRY_LIST_MAX }),
      store.getWorkspaceSettings(auth.user.workspaceId),
    ]);
    const grid = buildWeekGrid(
      rows.map((e) => ({ id: e.id, clientId: e.clientId, matterId: e.matterId ?? null, activityId: e.activityId ?? null, start: e.start, end: e.end })),
      week,
      clock.now(),
    );
    return {
      timeZone,
      monday: week.monday,
      days: week.days.map((d) => ({ date: d.date, start: iso(d.start), end: iso(d.end) })),
      ...grid,
      entries: rows.map((e) => toEntryView(e)),
      descriptionRequired: settings?.descriptionRequired ?? false,
    };
  }
}
