import { AUDIT_EXPORT_MAX, type AuditEvent, type AuditExportQuery, type AuditPage, type AuditQuery } from '../../shared/api/admin.js';
import { AUDIT_TYPE_TEXT, describeAuditEvent } from '../../shared/api/audit-text.js';
import { csvPlainField, csvTextField } from '../../shared/csv/csv-fields.js';
import { HttpError } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { AuditQuery as StoreAuditQuery, StoredAuditEvent, TabStore } from '../store/types.js';
import { parseInstant } from '../time/time-views.js';

export const AUDIT_CSV_COLUMNS = ['time_utc', 'event', 'by', 'about', 'what_happened', 'device', 'ip', 'event_id'] as const;
/** Rows read per query while exporting: big enough to be quick, small enough to stay light. */
const EXPORT_BATCH = 2_000;

const toView = (e: StoredAuditEvent): AuditEvent => ({ ...e, id: String(e.id), at: new Date(e.at).toISOString() });
const cursorOf = (e: StoredAuditEvent) => `${e.at}.${e.id}`;

/** The firm's audit log for admins: filtered pages, newest first, and the same rows as CSV. */
export class AuditService {
  constructor(private readonly deps: { store: TabStore }) {}

  async page(auth: AuthContext, query: AuditQuery): Promise<AuditPage> {
    requireRole(auth, 'admin');
    const limit = query.limit ?? 50;
    const filters = this.#filters(query);
    if (query.before) {
      const [at, id] = query.before.split('.').map(Number) as [number, number];
      filters.before = { at, id };
    }
    // One extra row tells whether there is a next page.
    const rows = await this.deps.store.listAudit(auth.user.workspaceId, { ...filters, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { events: page.map(toView), nextBefore: rows.length > limit ? cursorOf(page.at(-1)!) : null };
  }

  /** RFC 4180 with a header row, newest first, at most AUDIT_EXPORT_MAX rows; `truncated` when more matched. */
  async csv(auth: AuthContext, query: AuditExportQuery): Promise<{ csv: string; rows: number; truncated: boolean }> {
    requireRole(auth, 'admin');
    const filters = this.#filters(query);
    const lines = [AUDIT_CSV_COLUMNS.join(',')];
    let before: StoreAuditQuery['before'];
    let rows = 0;
    for (;;) {
      // One row past the ceiling says whether anything was left out.
      const want = Math.min(EXPORT_BATCH, AUDIT_EXPORT_MAX + 1 - rows);
      const batch = await this.deps.store.listAudit(auth.user.workspaceId, { ...filters, before, limit: want });
      for (const e of batch) {
        if (rows === AUDIT_EXPORT_MAX) return { csv: lines.join('\r\n') + '\r\n', rows, truncated: true };
        lines.push(
          [
            new Date(e.at).toISOString(),
            csvTextField(AUDIT_TYPE_TEXT[e.type] ?? e.type),
            csvTextField(e.actorName ?? ''),
            csvTextField(e.targetName ?? ''),
            csvTextField(describeAuditEvent(e)),
            csvTextField(e.session?.label ?? ''),
            csvPlainField(e.ip ?? ''),
            String(e.id),
          ].join(','),
        );
        rows++;
      }
      if (batch.length < want) break;
      before = { at: batch.at(-1)!.at, id: batch.at(-1)!.id };
    }
    return { csv: lines.join('\r\n') + '\r\n', rows, truncated: false };
  }

  #filters(query: AuditExportQuery): Omit<StoreAuditQuery, 'limit'> {
    const from = query.from === undefined ? undefined : parseInstant(query.from, 'querystring.from');
    const to = query.to === undefined ? undefined : parseInstant(query.to, 'querystring.to');
    if (from !== undefined && to !== undefined && to <= from) throw new HttpError('invalid_range', '`to` must be after `from`.');
    return { userId: query.userId, type: query.type, from, to };
  }
}
