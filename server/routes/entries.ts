import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateEntryRequest,
  EntryIdParams,
  EntryList,
  EntryQuery,
  EntryWriteResponse,
  StartTimerRequest,
  StartTimerResponse,
  StopTimerRequest,
  StopTimerResponse,
  UpdateEntryRequest,
} from '../../shared/api/time.js';
import { WeekGrid, WeekGridQuery } from '../../shared/api/week-grid.js';
import { authOf, clientIp } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** Time entries and the timer: the rules live in `EntryService` (server/time/entry-service.ts). */
export const entryRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'time:read' } as const;
  const write = { auth: 'any', scope: 'time:write' } as const;
  const tags = ['time entries'];
  const entries = deps.entries;

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
    async (request) => entries.list(authOf(request), request.query),
  );

  app.get(
    '/week-grid',
    {
      config: read,
      schema: {
        tags,
        summary: 'Your weekly timesheet grid: rows client / matter / activity, cells the hours of each day (your zone)',
        description: 'A cell holds the entries that start on its day; a running timer counts up to now.',
        querystring: WeekGridQuery,
        response: { 200: WeekGrid, ...errors(400, 401, 403) },
      },
    },
    async (request) => deps.weekGrid.grid(authOf(request), request.query.week),
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
      const { status, body } = await entries.create(authOf(request), request.body);
      return reply.status(status).send(body);
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
    async (request) => entries.update(authOf(request), request.params.id, request.body, clientIp(request)),
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
      await entries.remove(authOf(request), request.params.id, clientIp(request));
      return reply.status(204).send(null);
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
      const { status, body } = await entries.startTimer(authOf(request), request.body);
      return reply.status(status).send(body);
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
    async (request) => entries.stopTimer(authOf(request), request.body?.id ?? null),
  );
};
