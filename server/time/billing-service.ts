import type { MarkBilledResponse } from '../../shared/api/time.js';
import type { UnbillResponse } from '../../shared/api/timesheets.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { Clock } from '../platform/clock.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import type { TabStore } from '../store/types.js';

const listed = (ids: string[]) => ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');

/** Billing by the quick "Mark billed" path (managers and admins). */
export class BillingService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; hub: EventHub }) {}

  /** All or nothing: every id must be a finished entry of the caller's workspace. Idempotent. */
  async markBilled(auth: AuthContext, entryIds: string[], ip: string | null = null, reference: string | null = null): Promise<MarkBilledResponse> {
    requireRole(auth, 'admin', 'manager');
    const { store, clock, hub } = this.deps;
    const ids = [...new Set(entryIds.map((id) => id.toLowerCase()))];
    const now = clock.now();
    const requireApprovedWeeks = (await store.getWorkspaceSettings(auth.user.workspaceId))?.requireApprovedWeeks ?? false;
    const result = await store.markBilled(
      auth.user.workspaceId,
      ids,
      now,
      {
        workspaceId: auth.user.workspaceId, type: 'entries_billed', at: now, actorUserId: auth.user.id, sessionId: currentSessionId(auth), ip,
        ...(reference ? { detail: { reference } } : {}),
      },
      { requireApprovedWeeks, reference },
    );
    if (result.missing.length > 0) throw new HttpError('not_found', `${result.missing.length} of the entries were not found: ${listed(result.missing)}. Nothing was billed.`);
    if (result.unapproved && result.unapproved.length > 0) {
      throw new HttpError(
        'week_not_approved',
        `Your firm bills only approved weeks: ${result.unapproved.length} of the entries are in weeks not approved yet (${listed(result.unapproved)}). Nothing was billed.`,
      );
    }
    if (result.running.length > 0) throw new HttpError('invalid_request', `Running entries cannot be billed: ${listed(result.running)}. Nothing was billed.`);
    // One event per owner (not per entry): a thousand entries billed at once is one refetch per screen.
    if (result.billed > 0) {
      for (const userId of result.owners) hub.timeChanged(auth.user.workspaceId, { type: 'time.changed', entryId: ids.length === 1 ? ids[0]! : null, userId, change: 'billed' });
    }
    return { billed: result.billed, alreadyBilled: result.alreadyBilled };
  }

  /**
   * Un-bills entries billed through Mark billed (admins only), all or none;
   * audited. Entries billed by an issued invoice are refused (409
   * `entry_invoiced`): they change only by voiding that invoice.
   */
  async unbill(auth: AuthContext, entryIds: string[], ip: string | null = null): Promise<UnbillResponse> {
    requireRole(auth, 'admin');
    const { store, clock, hub } = this.deps;
    const ids = [...new Set(entryIds.map((id) => id.toLowerCase()))];
    const now = clock.now();
    const result = await store.unbill(auth.user.workspaceId, ids, {
      workspaceId: auth.user.workspaceId,
      type: 'entries_unbilled',
      at: now,
      actorUserId: auth.user.id,
      sessionId: currentSessionId(auth),
      ip,
    });
    if (result.missing.length > 0) throw new HttpError('not_found', `${result.missing.length} of the entries were not found: ${listed(result.missing)}. Nothing was un-billed.`);
    if (result.invoiced.length > 0) {
      throw new HttpError('entry_invoiced', `${result.invoiced.length} of the entries are on an issued invoice (${listed(result.invoiced)}); void that invoice instead. Nothing was un-billed.`);
    }
    for (const userId of result.owners) hub.timeChanged(auth.user.workspaceId, { type: 'time.changed', entryId: ids.length === 1 ? ids[0]! : null, userId, change: 'unbilled' });
    return { unbilled: result.unbilled, notBilled: result.notBilled };
  }
}
