import { clientRateCandidate, resolveRate } from '../../shared/billing/rates.js';
import { HttpError, notFound } from '../http/http-error.js';
import type { StoredActivity, StoredClient, StoredEntry, StoredMatter, TabStore } from '../store/types.js';

/**
 * What an entry's matter, activity and rate must be (issue #14 items 1-2),
 * for EntryService: the matter is one of the entry's client's, a closed
 * matter takes no new work (work that started before it closed is still
 * recorded: an offline laptop syncing late is never refused), and a new
 * entry's rate is resolved from the hierarchy and snapshotted on it.
 */
export class EntryBilling {
  constructor(private readonly store: TabStore) {}

  /** The matter (of `client`) and activity an entry names, checked; null where it names none. */
  async refs(
    workspaceId: string,
    client: StoredClient,
    matterId: string | null | undefined,
    activityId: string | null | undefined,
    field: 'body' = 'body',
  ): Promise<{ matter: StoredMatter | null; activity: StoredActivity | null }> {
    let matter: StoredMatter | null = null;
    if (matterId) {
      const found = await this.store.findMatter(matterId.toLowerCase());
      if (!found || found.workspaceId !== workspaceId) throw notFound('That matter');
      if (found.clientId !== client.id) throw new HttpError('invalid_request', `Invalid ${field}.matterId: the matter ${found.code} belongs to another client.`);
      matter = found;
    }
    let activity: StoredActivity | null = null;
    if (activityId) {
      // An archived activity still takes entries (as an archived client does): a queued entry made offline is never refused.
      const found = await this.store.findActivity(activityId.toLowerCase());
      if (!found || found.workspaceId !== workspaceId) throw notFound('That activity');
      activity = found;
    }
    return { matter, activity };
  }

  /** 400 `matter_closed` when work starting at `start` would go on a matter closed at or before it. */
  assertOpen(matter: StoredMatter | null, start: number): void {
    if (matter?.closedAt == null || start < matter.closedAt) return;
    throw new HttpError(
      'matter_closed',
      `Invalid body.matterId: the matter ${matter.code} (${matter.name}) was closed on ${new Date(matter.closedAt).toISOString()}; ` +
        'it takes only work that started before then. Choose an open matter.',
    );
  }

  /** The owner's rate for work for this client (and matter), from the hierarchy. */
  async rateFor(entry: Pick<StoredEntry, 'workspaceId' | 'userId'>, client: StoredClient, matter: StoredMatter | null): Promise<number> {
    const levels = await this.store.rateCandidates(entry.workspaceId, entry.userId, client.id, matter?.id ?? null);
    return resolveRate({ ...levels, client: clientRateCandidate(client.hourlyRateCents) }).hourlyRateCents;
  }
}
