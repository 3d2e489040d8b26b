import { randomUUID } from 'node:crypto';
import type { TimeChangeKind } from '../../shared/api/events.js';
import type {
  CreateEntryRequest,
  EntryList,
  EntryQuery,
  EntryWriteResponse,
  StartTimerRequest,
  StartTimerResponse,
  StopTimerResponse,
  UpdateEntryRequest,
} from '../../shared/api/time.js';
import { DESCRIPTION_MAX, RANGE_MAX_MS } from '../../shared/api/time.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError, notFound } from '../http/http-error.js';
import type { Clock } from '../platform/clock.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import type { ApprovalLock, AuditInput, StoredClient, StoredEntry, TabStore } from '../store/types.js';
import { formatCivil, localDate } from '../../shared/time/zoned-days.js';
import { thisWeek } from '../../shared/time/periods.js';
import { EntryBilling } from './entry-billing.js';
import { assertEntrySpan, overlapWarnings, parseInstant, parseRange, sameContent, toEntryView } from './time-views.js';

/** How often a write is retried when another request changed the entry in between. */
const WRITE_ATTEMPTS = 5;

const lockedMessage = 'This entry has been billed and is locked; only an admin can change or delete it.';
/** An entry on an issued invoice: nobody changes it, admins included, until the invoice is voided. */
const invoicedEntry = () => new HttpError('entry_invoiced', 'This entry is on an issued invoice; it can change only after that invoice is voided.');
const runningConflict = () => new HttpError('conflict', 'You already have a running timer; stop it before starting another running entry.');
// Its own code: the desktop queue keys on it (make a new id), never on this text.
const takenId = () => new HttpError('entry_of_another_person', "This entry id belongs to another person's entry.");
const keptChanging = (verb: string) => new HttpError('conflict', `The entry kept changing while being ${verb}; try again.`);
const weekApproved = (monday: string | null) =>
  new HttpError('week_approved', `Your ${monday ? `week of ${monday}` : 'week'} has been approved, so its entries are locked. Ask your manager to reopen it.`);
const descriptionRequired = () => new HttpError('description_required', 'Your firm requires a description on every time entry: say what the time was spent on.');
/** The fields a correction is described by in the audit log (before → after). */
const AUDITED_FIELDS = ['clientId', 'matterId', 'activityId', 'description', 'start', 'end', 'billable', 'hourlyRateCents'] as const;
const isBlank = (text: string) => text.trim() === '';
export const oversees = (auth: AuthContext) => auth.user.role === 'admin' || auth.user.role === 'manager';

type EntryFields = Pick<StoredEntry, 'description' | 'start' | 'end' | 'billable' | 'hourlyRateCents'>;
/** An entry's matter and activity as a request names them: undefined leaves them, null clears them. */
type Refs = { matterId?: string | null; activityId?: string | null };

/** A write's answer and its HTTP status (201 for a new entry or timer). */
export interface Written<T> {
  status: 200 | 201;
  body: T;
}

/**
 * Time entries and the timer. Ids are client-generated UUIDs and every write
 * is idempotent on them: a replayed create answers the same entry, a deleted
 * id stays deleted (tombstone), an id of someone else's entry is refused.
 * Accountants see and write their own entries; managers and admins see all
 * entries of the workspace and may correct them; billed entries are locked
 * for everyone but admins.
 *
 * Every write that changed something is announced as `time.changed`, after it
 * committed, to the owner's sessions and the workspace's managers and admins
 * (replays that changed nothing stay silent).
 */
export class EntryService {
  readonly #billing: EntryBilling;

  constructor(private readonly deps: { store: TabStore; clock: Clock; hub: EventHub }) {
    this.#billing = new EntryBilling(deps.store);
  }

  async list(auth: AuthContext, query: EntryQuery): Promise<EntryList> {
    const { from, to } = parseRange(query, RANGE_MAX_MS);
    let userId = query.userId;
    if (!oversees(auth)) {
      if (userId !== undefined && userId !== auth.user.id) throw new HttpError('forbidden', 'Accountants can only see their own entries.');
      userId = auth.user.id;
    }
    const limit = query.limit ?? 1000;
    const rows = await this.deps.store.listEntries({
      workspaceId: auth.user.workspaceId,
      userId,
      clientId: query.clientId?.toLowerCase(),
      from,
      to,
      limit: limit + 1,
    });
    const entries = rows.slice(0, limit);
    const nameOf = await this.#namesFor(auth, entries);
    return { entries: entries.map((e) => toEntryView(e, nameOf)), truncated: rows.length > limit };
  }

  /** Create, or replay, one of the caller's entries. */
  async create(auth: AuthContext, body: CreateEntryRequest): Promise<Written<EntryWriteResponse>> {
    const { store } = this.deps;
    const id = body.id.toLowerCase();
    const start = parseInstant(body.start, 'body.start');
    const end = body.end === null ? null : parseInstant(body.end, 'body.end');
    assertEntrySpan(start, end);
    const client = await this.clientOf(auth, body.clientId);
    const refs = await this.#billing.refs(auth.user.workspaceId, client, body.matterId, body.activityId);
    const fields = { description: body.description, start, end, billable: body.billable, hourlyRateCents: body.hourlyRateCents };
    const mustDescribe = await this.#descriptionRequired(auth);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const existing = await store.findEntry(id);
      if (!existing) {
        if (mustDescribe && isBlank(body.description)) throw descriptionRequired();
        this.#billing.assertOpen(refs.matter, start);
        const hourlyRateCents = fields.hourlyRateCents ?? (await this.#billing.rateFor({ workspaceId: auth.user.workspaceId, userId: auth.user.id }, client, refs.matter));
        const entry = this.newEntry(auth, client, { id, ...fields, hourlyRateCents, matterId: refs.matter?.id ?? null, activityId: refs.activity?.id ?? null });
        const lock = await this.#approvedWeekGuard(auth, entry.userId, [entry.start]);
        const outcome = await store.insertEntry(entry, lock);
        if (outcome === 'week_approved') {
          await this.#approvedMeanwhile(auth);
          continue;
        }
        if (outcome === 'inserted') {
          this.announce(entry, 'created');
          return { status: 201, body: await this.written(entry) };
        }
        if (outcome === 'running_conflict') throw runningConflict();
        if (outcome === 'client_missing') throw notFound('That client');
        continue; // created by a concurrent request: treat as a replay
      }
      if (existing.workspaceId !== auth.user.workspaceId) throw notFound('That entry');
      if (existing.userId !== auth.user.id) throw takenId();
      if (existing.deletedAt !== null) return { status: 200, body: await this.written(existing, true) };
      const next = await this.merged(existing, fields, client, { matterId: body.matterId ?? null, activityId: body.activityId ?? null });
      if (mustDescribe && isBlank(next.description) && next.description !== existing.description) throw descriptionRequired();
      const result = await this.change(auth, existing, next);
      if (result !== 'stale') return { status: 200, body: await this.written((await store.findEntry(id))!) };
    }
    throw keptChanging('saved');
  }

  /** Change the fields sent of an entry the caller may see. */
  /** `ip`: the caller's address, for the audit row of a correction. */
  async update(auth: AuthContext, rawId: string, body: UpdateEntryRequest, ip: string | null = null): Promise<EntryWriteResponse> {
    const start = body.start === undefined ? undefined : parseInstant(body.start, 'body.start');
    const end = body.end === undefined ? undefined : body.end === null ? null : parseInstant(body.end, 'body.end');
    const client = body.clientId === undefined ? null : await this.clientOf(auth, body.clientId);
    // Only a description this write sets is checked: a correction of the times of an old entry without one goes through.
    if (body.description !== undefined && isBlank(body.description) && (await this.#descriptionRequired(auth))) throw descriptionRequired();
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const existing = await this.visibleEntry(auth, rawId);
      if (existing.deletedAt !== null) throw notFound('That entry');
      const patch = { description: body.description, start, end, billable: body.billable, hourlyRateCents: body.hourlyRateCents };
      const next = await this.merged(existing, patch, client, { matterId: body.matterId, activityId: body.activityId });
      if ((await this.change(auth, existing, next, ip)) !== 'stale') return this.written((await this.deps.store.findEntry(existing.id))!);
    }
    throw keptChanging('saved');
  }

  /** Delete (tombstone) an entry the caller may see; deleting again is a no-op. */
  async remove(auth: AuthContext, rawId: string, ip: string | null = null): Promise<void> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const existing = await this.visibleEntry(auth, rawId);
      if (existing.deletedAt !== null) return;
      if (existing.invoiceId) throw invoicedEntry();
      if (existing.billedAt !== null && auth.user.role !== 'admin') throw new HttpError('forbidden', lockedMessage);
      const lock = await this.#approvedWeekGuard(auth, existing.userId, [existing.start]);
      const now = this.deps.clock.now();
      const audit = existing.userId === auth.user.id ? undefined : this.#correction(auth, existing, 'entry_deleted', now, ip, { description: existing.description });
      const outcome = await this.deps.store.deleteEntry(existing.id, existing.version, now, audit, lock);
      if (outcome === 'deleted') {
        this.announce(existing, 'deleted');
        return;
      }
      if (outcome === 'week_approved') await this.#approvedMeanwhile(auth);
    }
    throw keptChanging('deleted');
  }

  /** Start the caller's timer, stopping a running one in the same step. */
  async startTimer(auth: AuthContext, body: StartTimerRequest): Promise<Written<StartTimerResponse>> {
    const { store, clock } = this.deps;
    const client = await this.clientOf(auth, body.clientId);
    if (isBlank(body.description) && (await this.#descriptionRequired(auth))) throw descriptionRequired();
    const refs = await this.#billing.refs(auth.user.workspaceId, client, body.matterId, body.activityId);
    const id = body.id?.toLowerCase() ?? randomUUID();
    const now = clock.now();
    this.#billing.assertOpen(refs.matter, now);
    const hourlyRateCents = await this.#billing.rateFor({ workspaceId: auth.user.workspaceId, userId: auth.user.id }, client, refs.matter);
    const entry = this.newEntry(auth, client, {
      id,
      description: body.description,
      start: now,
      end: null,
      billable: body.billable,
      hourlyRateCents,
      matterId: refs.matter?.id ?? null,
      activityId: refs.activity?.id ?? null,
    });
    // A desktop's start (queued, maybe made offline) into an approved week is accepted and flags it; a web start is
    // refused, checked inside the store's step so that an approval at the same moment and this start never both win.
    const fromDesktop = await this.#fromDesktop(auth);
    const { outcome, stopped } = await store.startTimer(entry, now, { refuseInApprovedWeek: !fromDesktop });
    if (outcome === 'week_approved') throw weekApproved(thisWeek(now, auth.user.timeZone).monday);
    if (outcome === 'started' && fromDesktop) await this.#approvedWeekGuard(auth, auth.user.id, [now], { accept: true });
    if (outcome === 'client_missing') throw notFound('That client');
    if (outcome === 'exists') {
      const existing = (await store.findEntry(id))!;
      if (existing.workspaceId !== auth.user.workspaceId) throw notFound('That entry');
      if (existing.userId !== auth.user.id) throw takenId();
      return { status: 200, body: { entry: toEntryView(existing), stopped: null } };
    }
    if (stopped) this.announce(stopped, 'timer_stopped');
    this.announce(entry, 'timer_started');
    return { status: 201, body: { entry: toEntryView(entry), stopped: stopped ? toEntryView(stopped) : null } };
  }

  /** Stop the caller's running timer (only `rawId`, when given: a replayed stop never stops a newer timer). */
  async stopTimer(auth: AuthContext, rawId: string | null): Promise<StopTimerResponse> {
    const { store, clock } = this.deps;
    const id = rawId?.toLowerCase() ?? null;
    const stopped = await store.stopTimer(auth.user.id, id, clock.now());
    // Stopping is never refused: a timer that ran into an approved week puts the week back in the queue.
    if (stopped) await this.#approvedWeekGuard(auth, auth.user.id, [stopped.start], { accept: true });
    if (stopped) {
      this.announce(stopped, 'timer_stopped');
      return { entry: toEntryView(stopped) };
    }
    if (id !== null) {
      const entry = await store.findEntry(id);
      if (entry && entry.userId === auth.user.id && entry.deletedAt === null && entry.end !== null) return { entry: toEntryView(entry) };
      throw notFound('That running timer');
    }
    throw new HttpError('not_found', 'No timer is running.');
  }

  /**
   * The approval lock: an entry of an approved week is locked for its owner
   * (a manager's or admin's correction goes through, audited). Nothing made
   * offline is ever refused: the desktop app sends every write through its
   * offline queue and the server cannot tell a queued write from a live one,
   * so a desktop session's write (and any timer stop) is accepted, and the
   * week goes back to the manager's queue flagged "changed after approval".
   * A web page or an API token is told at once (409 week_approved).
   */
  async #approvedWeekGuard(auth: AuthContext, ownerId: string, instants: number[], options: { accept?: boolean } = {}): Promise<ApprovalLock | undefined> {
    if (auth.user.id !== ownerId) return undefined;
    const { store, clock, hub } = this.deps;
    const weeks = await store.approvedWeeksAt(ownerId, instants);
    // Open now: the write checks again in its own step, so an approval committed in between still refuses it.
    if (weeks.length === 0) return options.accept ? undefined : { userId: ownerId, instants };
    if (!options.accept && !(await this.#fromDesktop(auth))) throw weekApproved(weeks[0]!.monday);
    const now = clock.now();
    const mondays = weeks.map((w) => w.monday);
    await store.flagChangedAfterApproval(ownerId, mondays, now, {
      workspaceId: auth.user.workspaceId,
      type: 'week_changed_after_approval',
      at: now,
      actorUserId: auth.user.id,
      targetUserId: ownerId,
      sessionId: currentSessionId(auth),
      detail: { week: mondays[0] },
    });
    hub.timeChanged(auth.user.workspaceId, { type: 'time.changed', entryId: null, userId: ownerId, change: 'changed_after_approval' });
    return undefined;
  }

  /** A write refused in its own step because its week was approved meanwhile: a desktop's is tried again (and then accepted, flagged). */
  async #approvedMeanwhile(auth: AuthContext): Promise<'stale'> {
    if (await this.#fromDesktop(auth)) return 'stale';
    throw weekApproved(null);
  }

  /** A desktop app's session: its writes come through its offline queue. */
  async #fromDesktop(auth: AuthContext): Promise<boolean> {
    return auth.kind === 'session' && (await this.deps.store.findSessionById(auth.session.id))?.clientKind === 'desktop';
  }

  /** People's names for the "changed by" of these entries: one read, only when some entry has one. */
  async #namesFor(auth: AuthContext, entries: StoredEntry[]): Promise<((id: string) => string | undefined) | undefined> {
    if (!entries.some((e) => e.changedBy)) return undefined;
    const names = new Map((await this.deps.store.listUsers(auth.user.workspaceId)).map((u) => [u.id, u.name]));
    return (id) => names.get(id);
  }

  async #descriptionRequired(auth: AuthContext): Promise<boolean> {
    return (await this.deps.store.getWorkspaceSettings(auth.user.workspaceId))?.descriptionRequired ?? false;
  }

  #correction(auth: AuthContext, entry: StoredEntry, type: 'entry_changed' | 'entry_deleted', at: number, ip: string | null, detail: Record<string, unknown>): AuditInput {
    return {
      workspaceId: entry.workspaceId,
      type,
      at,
      actorUserId: auth.user.id,
      targetUserId: entry.userId,
      sessionId: currentSessionId(auth),
      ip,
      // The entry's day as the person correcting it reads it.
      detail: { entryId: entry.id, date: formatCivil(localDate(entry.start, auth.user.timeZone)), ...detail },
    };
  }

  private announce(entry: Pick<StoredEntry, 'id' | 'workspaceId' | 'userId'>, change: TimeChangeKind): void {
    this.deps.hub.timeChanged(entry.workspaceId, { type: 'time.changed', entryId: entry.id, userId: entry.userId, change });
  }

  private async clientOf(auth: AuthContext, id: string): Promise<StoredClient> {
    const client = await this.deps.store.findClient(id.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('That client');
    return client;
  }

  /** A live or deleted entry the caller may see; 404 otherwise. */
  private async visibleEntry(auth: AuthContext, id: string): Promise<StoredEntry> {
    const entry = await this.deps.store.findEntry(id.toLowerCase());
    if (!entry || entry.workspaceId !== auth.user.workspaceId || (entry.userId !== auth.user.id && !oversees(auth))) {
      throw notFound('That entry');
    }
    return entry;
  }

  /** A new entry of the caller's, in the client's currency, at the rate resolved for it. */
  private newEntry(
    auth: AuthContext,
    client: StoredClient,
    fields: Pick<StoredEntry, 'id' | 'description' | 'start' | 'end' | 'billable' | 'hourlyRateCents' | 'matterId' | 'activityId'>,
  ): StoredEntry {
    const now = this.deps.clock.now();
    return {
      ...fields,
      description: cleanDisplayText(fields.description, DESCRIPTION_MAX, { multiline: true }),
      workspaceId: auth.user.workspaceId,
      userId: auth.user.id,
      clientId: client.id,
      currency: client.currency,
      billedAt: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      version: 1,
    };
  }

  private async written(entry: StoredEntry, deleted = false): Promise<EntryWriteResponse> {
    const warnings = deleted ? [] : overlapWarnings(await this.deps.store.overlappingEntries(entry.userId, entry.start, entry.end, entry.id));
    const changedBy = entry.changedBy ? await this.deps.store.findUserById(entry.changedBy) : undefined;
    return { entry: toEntryView(entry, () => changedBy?.name), warnings, deleted };
  }

  /**
   * Applies a change to an existing live entry: nothing to do when the content
   * is the same (a replay), 403 when billed and the caller is not an admin.
   */
  private async change(auth: AuthContext, existing: StoredEntry, next: StoredEntry, ip: string | null = null): Promise<'unchanged' | 'updated' | 'stale'> {
    if (sameContent(existing, next)) return 'unchanged';
    if (existing.invoiceId) throw invoicedEntry();
    if (existing.billedAt !== null && auth.user.role !== 'admin') throw new HttpError('forbidden', lockedMessage);
    // Both the week it was in and the one it moves to.
    const lock = await this.#approvedWeekGuard(auth, existing.userId, [existing.start, next.start]);
    const now = this.deps.clock.now();
    // A correction by someone else (a manager, an admin) is recorded with what it changed.
    let audit: AuditInput | undefined;
    if (existing.userId !== auth.user.id) {
      const [before, after] = [toEntryView(existing), toEntryView(next)];
      const fields = AUDITED_FIELDS.filter((field) => before[field] !== after[field]);
      audit = this.#correction(auth, existing, 'entry_changed', now, ip, { fields, changes: Object.fromEntries(fields.map((f) => [f, { from: before[f], to: after[f] }])) });
    }
    // "Changed by <name>" for the owner after someone else's correction; their own edit clears it.
    const changedBy = existing.userId === auth.user.id ? null : auth.user.id;
    const outcome = await this.deps.store.updateEntry({ ...next, updatedAt: now, changedBy }, existing.version, audit, lock);
    if (outcome === 'week_approved') return this.#approvedMeanwhile(auth);
    if (outcome === 'running_conflict') throw runningConflict();
    if (outcome === 'client_missing') throw notFound('That client');
    // Ending a running entry by editing it is a stop, as far as other screens are concerned.
    if (outcome === 'updated') this.announce(existing, existing.end === null && next.end !== null ? 'timer_stopped' : 'updated');
    return outcome;
  }

  /**
   * The entry with a change merged in. A new client brings its currency and
   * drops a matter of the old client's; a new client or matter brings the
   * owner's rate from the hierarchy unless one is given. Work moved onto a
   * closed matter, or moved to start after its matter closed, is refused.
   */
  private async merged(existing: StoredEntry, patch: Partial<EntryFields>, client: StoredClient | null, refs: Refs): Promise<StoredEntry> {
    const newClient = client !== null && client.id !== existing.clientId;
    const entryClient = client ?? (await this.deps.store.findClient(existing.clientId))!;
    const checked = await this.#billing.refs(
      existing.workspaceId,
      entryClient,
      refs.matterId === undefined ? (newClient ? null : existing.matterId) : refs.matterId,
      refs.activityId === undefined ? existing.activityId : refs.activityId,
    );
    const matterId = checked.matter?.id ?? null;
    const newMatter = matterId !== (existing.matterId ?? null);
    const start = patch.start ?? existing.start;
    if (newMatter || start !== existing.start) this.#billing.assertOpen(checked.matter, start);
    const next: StoredEntry = {
      ...existing,
      clientId: entryClient.id,
      matterId,
      activityId: checked.activity?.id ?? null,
      description: patch.description === undefined ? existing.description : cleanDisplayText(patch.description, DESCRIPTION_MAX, { multiline: true }),
      start,
      end: patch.end === undefined ? existing.end : patch.end,
      billable: patch.billable ?? existing.billable,
      hourlyRateCents:
        patch.hourlyRateCents ?? (newClient || newMatter ? await this.#billing.rateFor(existing, entryClient, checked.matter) : existing.hourlyRateCents),
      currency: newClient ? entryClient.currency : existing.currency,
    };
    assertEntrySpan(next.start, next.end);
    return next;
  }
}
