import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import {
  CreateEntryRequest,
  DESCRIPTION_MAX,
  EntryIdParams,
  EntryList,
  EntryQuery,
  EntryWriteResponse,
  RANGE_MAX_MS,
  StartTimerRequest,
  StartTimerResponse,
  StopTimerRequest,
  StopTimerResponse,
  UpdateEntryRequest,
  type EntryWriteResponse as EntryWriteBody,
} from '../../shared/api/time.js';
import { HttpError, notFound } from '../http/http-error.js';
import { authOf } from '../http/request-context.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { StoredClient, StoredEntry } from '../store/types.js';
import { assertEntrySpan, overlapWarnings, parseInstant, parseRange, sameContent, toEntryView } from '../time/time-views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** How often a write is retried when another request changed the entry in between. */
const WRITE_ATTEMPTS = 5;

const lockedMessage = 'This entry has been billed and is locked; only an admin can change or delete it.';
const runningConflict = () => new HttpError('conflict', 'You already have a running timer; stop it before starting another running entry.');
const takenId = () => new HttpError('conflict', "This entry id belongs to another person's entry.");
const isManager = (auth: AuthContext) => auth.user.role === 'admin' || auth.user.role === 'manager';

/**
 * Time entries and the timer. Ids are client-generated UUIDs and every write
 * is idempotent on them: a replayed POST answers the same entry, a deleted id
 * stays deleted (tombstone), an id of someone else's entry is refused.
 * Accountants see and write their own entries; managers and admins see all
 * entries of the workspace and may correct them; billed entries are locked
 * for everyone but admins.
 */
export const entryRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'time:read' } as const;
  const write = { auth: 'any', scope: 'time:write' } as const;
  const tags = ['time entries'];

  async function clientOf(auth: AuthContext, id: string): Promise<StoredClient> {
    const client = await deps.store.findClient(id.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('That client');
    return client;
  }

  /** A live or deleted entry the caller may see; 404 otherwise. */
  async function visibleEntry(auth: AuthContext, id: string): Promise<StoredEntry> {
    const entry = await deps.store.findEntry(id.toLowerCase());
    if (!entry || entry.workspaceId !== auth.user.workspaceId || (entry.userId !== auth.user.id && !isManager(auth))) {
      throw notFound('That entry');
    }
    return entry;
  }

  /** A new entry of the caller's: the client's currency, and its rate unless one is given. */
  function newEntry(
    auth: AuthContext,
    client: StoredClient,
    fields: Pick<StoredEntry, 'id' | 'description' | 'start' | 'end' | 'billable'> & { hourlyRateCents?: number },
  ): StoredEntry {
    const now = deps.clock.now();
    return {
      ...fields,
      description: cleanDisplayText(fields.description, DESCRIPTION_MAX, { multiline: true }),
      workspaceId: auth.user.workspaceId,
      userId: auth.user.id,
      clientId: client.id,
      hourlyRateCents: fields.hourlyRateCents ?? client.hourlyRateCents,
      currency: client.currency,
      billedAt: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      version: 1,
    };
  }

  async function written(entry: StoredEntry, deleted = false): Promise<EntryWriteBody> {
    const warnings = deleted ? [] : overlapWarnings(await deps.store.overlappingEntries(entry.userId, entry.start, entry.end, entry.id));
    return { entry: toEntryView(entry), warnings, deleted };
  }

  /**
   * Applies a change to an existing live entry: nothing to do when the content
   * is the same (a replay), 403 when billed and the caller is not an admin.
   */
  async function change(auth: AuthContext, existing: StoredEntry, next: StoredEntry): Promise<'done' | 'stale'> {
    if (sameContent(existing, next)) return 'done';
    if (existing.billedAt !== null && auth.user.role !== 'admin') throw new HttpError('forbidden', lockedMessage);
    const outcome = await deps.store.updateEntry({ ...next, updatedAt: deps.clock.now() }, existing.version);
    if (outcome === 'running_conflict') throw runningConflict();
    if (outcome === 'client_missing') throw notFound('That client');
    return outcome === 'updated' ? 'done' : 'stale';
  }

  /** The entry with a change merged in: a new client brings its currency, and its rate unless one is given. */
  function merged(existing: StoredEntry, patch: Partial<Pick<StoredEntry, 'description' | 'start' | 'end' | 'billable' | 'hourlyRateCents'>>, client: StoredClient | null): StoredEntry {
    const newClient = client !== null && client.id !== existing.clientId;
    const next: StoredEntry = {
      ...existing,
      clientId: client?.id ?? existing.clientId,
      description: patch.description === undefined ? existing.description : cleanDisplayText(patch.description, DESCRIPTION_MAX, { multiline: true }),
      start: patch.start ?? existing.start,
      end: patch.end === undefined ? existing.end : patch.end,
      billable: patch.billable ?? existing.billable,
      hourlyRateCents: patch.hourlyRateCents ?? (newClient ? client.hourlyRateCents : existing.hourlyRateCents),
      currency: newClient ? client.currency : existing.currency,
    };
    assertEntrySpan(next.start, next.end);
    return next;
  }

  app.get(
    '/entries',
    {
      config: read,
      schema: {
        tags,
        summary: 'Entries starting in [from, to), by start. Accountants see their own; managers and admins the whole workspace',
        querystring: EntryQuery,
        response: { 200: EntryList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { from, to } = parseRange(request.query, RANGE_MAX_MS);
      let userId = request.query.userId;
      if (!isManager(auth)) {
        if (userId !== undefined && userId !== auth.user.id) throw new HttpError('forbidden', 'Accountants can only see their own entries.');
        userId = auth.user.id;
      }
      const limit = request.query.limit ?? 1000;
      const rows = await deps.store.listEntries({
        workspaceId: auth.user.workspaceId,
        userId,
        clientId: request.query.clientId?.toLowerCase(),
        from,
        to,
        limit: limit + 1,
      });
      return { entries: rows.slice(0, limit).map(toEntryView), truncated: rows.length > limit };
    },
  );

  app.post(
    '/entries',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create (or replay) one of your entries; idempotent on its client-generated id',
        description:
          'A new id answers 201. The same id again answers 200: unchanged when the content is the same, updated to the new content otherwise ' +
          '(403 when billed, unless you are an admin). A deleted id stays deleted (200, `deleted: true`). Overlaps are accepted with a warning.',
        body: CreateEntryRequest,
        response: { 200: EntryWriteResponse, 201: EntryWriteResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const body = request.body;
      const id = body.id.toLowerCase();
      const start = parseInstant(body.start, 'body.start');
      const end = body.end === null ? null : parseInstant(body.end, 'body.end');
      assertEntrySpan(start, end);
      const client = await clientOf(auth, body.clientId);
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const existing = await deps.store.findEntry(id);
        if (!existing) {
          const entry = newEntry(auth, client, { id, description: body.description, start, end, billable: body.billable, hourlyRateCents: body.hourlyRateCents });
          const outcome = await deps.store.insertEntry(entry);
          if (outcome === 'inserted') return reply.status(201).send(await written(entry));
          if (outcome === 'running_conflict') throw runningConflict();
          if (outcome === 'client_missing') throw notFound('That client');
          continue; // created by a concurrent request: treat as a replay
        }
        if (existing.workspaceId !== auth.user.workspaceId) throw notFound('That entry');
        if (existing.userId !== auth.user.id) throw takenId();
        if (existing.deletedAt !== null) return reply.status(200).send(await written(existing, true));
        const next = merged(existing, { description: body.description, start, end, billable: body.billable, hourlyRateCents: body.hourlyRateCents }, client);
        if ((await change(auth, existing, next)) === 'done') {
          return reply.status(200).send(await written((await deps.store.findEntry(id))!));
        }
      }
      throw new HttpError('conflict', 'The entry kept changing while being saved; try again.');
    },
  );

  app.patch(
    '/entries/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change an entry (yours; managers and admins: any in the workspace); idempotent',
        description: 'Only the fields sent change. A new client brings its currency, and its rate unless `hourlyRateCents` is sent. `end: null` makes it the running entry.',
        params: EntryIdParams,
        body: UpdateEntryRequest,
        response: { 200: EntryWriteResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const body = request.body;
      const start = body.start === undefined ? undefined : parseInstant(body.start, 'body.start');
      const end = body.end === undefined ? undefined : body.end === null ? null : parseInstant(body.end, 'body.end');
      const client = body.clientId === undefined ? null : await clientOf(auth, body.clientId);
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const existing = await visibleEntry(auth, request.params.id);
        if (existing.deletedAt !== null) throw notFound('That entry');
        const next = merged(existing, { description: body.description, start, end, billable: body.billable, hourlyRateCents: body.hourlyRateCents }, client);
        if ((await change(auth, existing, next)) === 'done') return written((await deps.store.findEntry(existing.id))!);
      }
      throw new HttpError('conflict', 'The entry kept changing while being saved; try again.');
    },
  );

  app.delete(
    '/entries/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete an entry; it is kept as a tombstone so that a replayed create does not bring it back. Idempotent',
        params: EntryIdParams,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const existing = await visibleEntry(auth, request.params.id);
        if (existing.deletedAt !== null) return reply.status(204).send(null);
        if (existing.billedAt !== null && auth.user.role !== 'admin') throw new HttpError('forbidden', lockedMessage);
        if ((await deps.store.deleteEntry(existing.id, existing.version, deps.clock.now())) === 'deleted') return reply.status(204).send(null);
      }
      throw new HttpError('conflict', 'The entry kept changing while being deleted; try again.');
    },
  );

  app.post(
    '/timer/start',
    {
      config: write,
      schema: {
        tags: ['timer'],
        summary: 'Start your timer; a running one is stopped first, in the same step',
        description: 'Pass your own `id` to make a retried start idempotent.',
        body: StartTimerRequest,
        response: { 200: StartTimerResponse, 201: StartTimerResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const body = request.body;
      const client = await clientOf(auth, body.clientId);
      const id = body.id?.toLowerCase() ?? randomUUID();
      const now = deps.clock.now();
      const entry = newEntry(auth, client, { id, description: body.description, start: now, end: null, billable: body.billable });
      const { outcome, stopped } = await deps.store.startTimer(entry, now);
      if (outcome === 'client_missing') throw notFound('That client');
      if (outcome === 'exists') {
        const existing = (await deps.store.findEntry(id))!;
        if (existing.workspaceId !== auth.user.workspaceId) throw notFound('That entry');
        if (existing.userId !== auth.user.id) throw takenId();
        return reply.status(200).send({ entry: toEntryView(existing), stopped: null });
      }
      return reply.status(201).send({ entry: toEntryView(entry), stopped: stopped ? toEntryView(stopped) : null });
    },
  );

  app.post(
    '/timer/stop',
    {
      config: write,
      schema: {
        tags: ['timer'],
        summary: 'Stop your running timer (404 when none runs)',
        description: 'With `{"id"}`, stops only that entry, and answers it again if it was already stopped: a replayed stop never stops a newer timer.',
        body: StopTimerRequest,
        response: { 200: StopTimerResponse, ...errors(400, 401, 403, 404) },
      },
      // The body is optional: a bare POST stops whatever runs.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const auth = authOf(request);
      const id = request.body?.id?.toLowerCase() ?? null;
      const stopped = await deps.store.stopTimer(auth.user.id, id, deps.clock.now());
      if (stopped) return { entry: toEntryView(stopped) };
      if (id !== null) {
        const entry = await deps.store.findEntry(id);
        if (entry && entry.userId === auth.user.id && entry.deletedAt === null && entry.end !== null) return { entry: toEntryView(entry) };
        throw notFound('That running timer');
      }
      throw new HttpError('not_found', 'No timer is running.');
    },
  );
};
